"""``relchain events tail``: the log as JSON lines, ``--since``, ``--follow`` (a real process
on SQLite and on PostgreSQL, where LISTEN/NOTIFY wakes it)."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from relchain.cli import main
from relchain.clock import SystemClock
from relchain.domain.apps import App
from relchain.services.accounts import AccountService
from relchain.storage import open_store
from tests.conftest import POSTGRES_URL
from tests.support import ADMIN, KEY, SDKAPPID

LINE_KEYS = {"id", "sdkappid", "time_ms", "kind", "account", "peers", "data", "origin"}


def run(*args: str, code: int = 0) -> str:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    assert result.exit_code == code, result.output
    return result.output


async def seed(url: str, *accounts: str, app: bool = True) -> None:
    store = await open_store(url)
    try:
        if app:
            async with store.write() as tx:
                await tx.create_app(App(SDKAPPID, KEY, (ADMIN,)), 0)
        await AccountService(store, SystemClock()).import_accounts(
            SDKAPPID, [(a, {}) for a in accounts]
        )
    finally:
        await store.close()


def test_tail_prints_json_lines_after_since(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'ev.db'}"
    asyncio.run(seed(db, "a", "b", "c"))
    rows = [json.loads(line) for line in run("events", "tail", "--database", db).splitlines()]
    assert [(r["kind"], r["account"]) for r in rows] == [
        ("account.imported", "a"),
        ("account.imported", "b"),
        ("account.imported", "c"),
    ]
    assert set(rows[0]) == LINE_KEYS and rows[0]["sdkappid"] == SDKAPPID
    assert rows[0]["origin"] == {
        "platform": "RESTAPI",
        "client_ip": "",
        "operator": "",
        "user_initiated": False,
    }
    since = str(rows[0]["id"])
    later = run("events", "tail", "--since", since, "--sdkappid", str(SDKAPPID), "--database", db)
    assert [json.loads(line)["account"] for line in later.splitlines()] == ["b", "c"]


def test_tail_needs_the_app(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'ev.db'}"
    assert "no app yet" in run("events", "tail", "--database", db, code=1)
    asyncio.run(seed(db))
    assert "no app with sdkappid 7" in run(
        "events", "tail", "--sdkappid", "7", "--database", db, code=1
    )


def follow_picks_up_new_commits(db: str) -> None:
    asyncio.run(seed(db, "old"))
    lines: list[str] = []
    got = threading.Condition()
    command = [sys.executable, "-m", "relchain", "events", "tail", "--follow", "--database", db]
    with subprocess.Popen(command, stdout=subprocess.PIPE, text=True) as proc:

        def read() -> None:
            assert proc.stdout is not None
            for line in proc.stdout:
                with got:
                    lines.append(line)
                    got.notify_all()

        reader = threading.Thread(target=read, daemon=True)
        reader.start()
        try:
            with got:
                assert got.wait_for(lambda: len(lines) >= 1, timeout=30)
            asyncio.run(seed(db, "new", app=False))
            with got:
                assert got.wait_for(lambda: len(lines) >= 2, timeout=30)
        finally:
            proc.terminate()
            proc.wait(timeout=10)
            reader.join(timeout=10)
    assert [json.loads(line)["account"] for line in lines] == ["old", "new"]


def test_follow_on_sqlite(tmp_path: Path) -> None:
    follow_picks_up_new_commits(f"sqlite:///{tmp_path / 'ev.db'}")


@pytest.mark.skipif(not POSTGRES_URL, reason="needs RELCHAIN_TEST_POSTGRES_URL")
def test_follow_on_postgres() -> None:
    from tests.storage.postgres_db import fresh_postgres_url

    follow_picks_up_new_commits(asyncio.run(fresh_postgres_url(POSTGRES_URL)))


@pytest.mark.parametrize(
    ("value", "error"),
    [
        ("0", "events_retention_days: must be 1..3650 days, got 0"),
        ("3651", "events_retention_days: must be 1..3650 days, got 3651"),
        ("week", "events_retention_days: expected a whole number, got 'week'"),
    ],
)
def test_events_retention_days_is_validated(tmp_path: Path, value: str, error: str) -> None:
    db = f"sqlite:///{tmp_path / 'ev.db'}"
    asyncio.run(seed(db))
    out = run("app", "set", str(SDKAPPID), "events_retention_days", value, "--database", db, code=1)
    assert error in out
    ok = run("app", "set", str(SDKAPPID), "events_retention_days", "30", "--database", db)
    assert json.loads(ok) == {"events_retention_days": 30}
