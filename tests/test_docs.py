"""Docs that cannot drift: generated references are current; README's commands are the CI's."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def load_generator():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("gen_docs", ROOT / "scripts" / "gen_docs.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_generated_reference_pages_are_current() -> None:
    generator = load_generator()
    for name, render in generator.PAGES.items():
        on_disk = (ROOT / "docs" / name).read_text()
        assert on_disk == render(), f"docs/{name} is stale: run python scripts/gen_docs.py"


def test_every_setting_is_documented() -> None:
    from relchain.config import SETTINGS, Config
    from relchain.domain.apps import SETTING_DOCS, AppSettings

    assert {s.name for s in SETTINGS} == set(Config.__dataclass_fields__)
    assert set(SETTING_DOCS) == set(AppSettings.__dataclass_fields__)


def test_readme_opens_with_the_two_commands_and_ci_runs_the_test_one() -> None:
    readme = (ROOT / "README.md").read_text()
    blocks = re.findall(r"```(?:sh|bash)\n(.*?)```", readme, re.S)
    assert "relchain serve" in blocks[0]
    assert "bash scripts/test.sh" in blocks[1]
    assert "bash scripts/test.sh" in (ROOT / ".ci" / "run").read_text()
