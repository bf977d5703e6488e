"""kill -9 under write load loses no acknowledged write, on both backends: the short version of
scripts/kill9.py (5 kills each here; the script's default is 20)."""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path
from types import ModuleType

import pytest

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parent.parent.parent
POSTGRES_URL = os.environ.get("RELCHAIN_TEST_POSTGRES_URL", "")
KILLS = 5


def kill9() -> ModuleType:
    spec = importlib.util.spec_from_file_location("kill9", ROOT / "scripts" / "kill9.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["kill9"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


async def test_sqlite_loses_no_acknowledged_write(tmp_path: Path) -> None:
    figures = await kill9().run(f"sqlite:///{tmp_path / 'k9.db'}", KILLS, 8, seed=1)
    assert figures.kills == KILLS and figures.acknowledged_accounts > 0
    assert figures.lost_accounts == [] and figures.lost_follows == []
    assert figures.hub_count == figures.hub_listed >= figures.acknowledged_follows


@pytest.mark.postgres
@pytest.mark.skipif(not POSTGRES_URL, reason="RELCHAIN_TEST_POSTGRES_URL is not set")
async def test_postgres_loses_no_acknowledged_write() -> None:
    from tests.storage.postgres_db import fresh_postgres_url

    figures = await kill9().run(await fresh_postgres_url(POSTGRES_URL), KILLS, 8, seed=2)
    assert figures.kills == KILLS and figures.acknowledged_accounts > 0
    assert figures.lost_accounts == [] and figures.lost_follows == []
    assert figures.hub_count == figures.hub_listed >= figures.acknowledged_follows
