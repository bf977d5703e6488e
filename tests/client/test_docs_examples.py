"""Docs that cannot drift: every ``python`` block of docs/client.md runs, in order, in one
namespace, against a real ``relchain serve``."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from relchain.client import Admin, Event
from tests.client.served import serve

pytestmark = pytest.mark.e2e

DOC = Path(__file__).resolve().parents[2] / "docs" / "client.md"
SETTINGS = ("BASE_URL", "SDKAPPID", "KEY")


def blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", DOC.read_text(), re.S)


def test_the_page_has_examples_and_names_the_server_once() -> None:
    code = "".join(blocks())
    assert len(blocks()) >= 6
    for name in SETTINGS:
        assert len(re.findall(rf"^{name} = ", code, re.M)) == 1, name


def test_every_example_of_docs_client_md_runs_against_a_real_server(tmp_path: Path) -> None:
    with serve(tmp_path) as server:
        values = {"BASE_URL": server.url, "SDKAPPID": server.sdkappid, "KEY": server.key}
        namespace: dict[str, object] = {"__name__": "docs_client_md"}
        for index, block in enumerate(blocks()):
            source = block
            for name, value in values.items():
                source = re.sub(rf"^{name} = .*$", f"{name} = {value!r}", source, flags=re.M)
            code = compile(source, f"docs/client.md block {index + 1}", "exec")
            exec(code, namespace)


def test_the_page_lists_every_method_and_every_event() -> None:
    text = DOC.read_text()
    methods = {n for n in dir(Admin) if not n.startswith("_")} - {"close"}
    assert {m for m in methods if f"`{m}(" not in text and f"`{m}`" not in text} == set()
    assert {e.name for e in Event if f"`{e.name}`" not in text} == set()
