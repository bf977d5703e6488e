"""relchain migrate against a second real `relchain serve` standing in for Tencent: a few
hundred accounts, paged lists, killed half-way and run again; then both apps export the same
data (but what the wire does not carry)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import orjson
import pytest

from tests.processes import ServeProcess, relchain

pytestmark = pytest.mark.e2e

SOURCE, TARGET = 1400000101, 1400000202
KEY = "ab" * 32
USERS = [f"u{i:03d}" for i in range(600)]
HUB, BLOCKER = USERS[0], USERS[-1]
SRC = "AddSource_Type_Web"


def source_records() -> list[dict[str, Any]]:
    """The hub follows, is followed by and befriends everyone (friend_get and follow_get need
    two pages); the blocker blocks 300 (two pages); everyone follows the next five."""
    records: list[dict[str, Any]] = [
        {"kind": "account", "id": u, "profile": {"Tag_Profile_IM_Nick": f"N{u}"}} for u in USERS
    ]
    records[1]["profile"]["Tag_Profile_Custom_Hobby"] = "go"
    records += [{"kind": "list", "owner": HUB, "name": n} for n in ("close", "far", "empty")]
    for i, user in enumerate(USERS[1:], start=1):
        records += [
            {"kind": "follow", "from": HUB, "to": user, "time": 1_700_000_000 + i},
            {"kind": "follow", "from": user, "to": HUB, "time": 1_700_001_000 + i},
            {"kind": "friend", "owner": HUB, "friend": user, "add_source": SRC,
             "add_time": 1_700_002_000 + i, "remark": f"r{i}" if i % 3 == 0 else "",
             "groups": ["close"] if i % 2 else ["far", "close"],
             "custom": {"Tag_SNS_Custom_Level": i} if i % 5 == 0 else {}},
            {"kind": "friend", "owner": user, "friend": HUB, "add_source": SRC,
             "add_time": 1_700_002_000 + i, "add_wording": "hello"},
        ]  # fmt: skip
        records += [
            {"kind": "follow", "from": user, "to": USERS[j], "time": 1_700_003_000 + j}
            for j in range(i + 1, min(i + 6, len(USERS) - 1))
        ]
    records += [
        {"kind": "block", "owner": BLOCKER, "blocked": u, "time": 1_700_004_000 + n}
        for n, u in enumerate(USERS[298:598])
    ]
    return records


def setup_app(db: str, sdkappid: int) -> None:
    relchain("app", "create", "--sdkappid", str(sdkappid), "--key", KEY, "--admin", "admin",
             "--database", db)  # fmt: skip
    for name, value in (
        ("rate_limit", "0"),
        ("custom_profile_tags", "Hobby"),
        ("custom_sns_tags", "Level"),
    ):
        relchain("app", "set", str(sdkappid), name, value, "--database", db)


def comparable(path: Path) -> list[Any]:
    """The records, without the header and app, and without what Tencent's wire does not
    carry: account creation and remark times."""
    out = []
    for line in path.read_bytes().splitlines()[1:]:
        record = orjson.loads(line)
        record.pop("created", None)
        record.pop("remark_time", None)
        if record["kind"] != "app":
            out.append(record)
    return sorted(out, key=lambda r: orjson.dumps(r, option=orjson.OPT_SORT_KEYS))


def test_migrate_with_an_interruption(tmp_path: Path) -> None:
    source_db, target_db = f"sqlite:///{tmp_path / 'src.db'}", f"sqlite:///{tmp_path / 'dst.db'}"
    setup_app(source_db, SOURCE)
    setup_app(target_db, TARGET)
    data = tmp_path / "source.jsonl"
    lines = [b'{"format":"relchain","version":1}', *map(orjson.dumps, source_records())]
    data.write_bytes(b"\n".join(lines) + b"\n")
    relchain("import", str(data), "--database", source_db)
    accounts = tmp_path / "accounts.txt"
    accounts.write_text("\n".join(USERS) + "\n")
    state = tmp_path / "accounts.txt.migrate.state"

    server = ServeProcess(source_db).wait_ready()
    try:
        args = [sys.executable, "-m", "relchain", "migrate", "--from", server.url,
                "--from-sdkappid", str(SOURCE), "--from-admin", "admin", "--from-key", KEY,
                "--accounts", str(accounts), "--database", target_db]  # fmt: skip
        first = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            saved = orjson.loads(state.read_bytes()) if state.exists() else {}
            if saved.get("phase") == "relations" and saved["done"] >= 300:
                break
            assert first.poll() is None, "migrate ended before it was interrupted"
            time.sleep(0.05)
        os.kill(first.pid, signal.SIGKILL)
        first.wait()
        saved = orjson.loads(state.read_bytes())
        assert saved["phase"] == "relations" and 300 <= saved["done"] < len(USERS)
        empty = relchain("check", "--database", target_db)  # nothing imported yet
        assert "every invariant holds" in empty

        relchain(*args[3:])  # goes on from the saved state
        assert not state.exists()
    finally:
        server.stop()
    relchain("export", "-o", str(tmp_path / "a.jsonl"), "--database", source_db)
    relchain("export", "-o", str(tmp_path / "b.jsonl"), "--database", target_db)
    expected, got = comparable(tmp_path / "a.jsonl"), comparable(tmp_path / "b.jsonl")
    assert len(expected) > 3000
    assert got == expected
    assert "every invariant holds" in relchain("check", "--database", target_db)
