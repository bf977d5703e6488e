"""The commands as a user runs them: export (gzip), import (file, stdin, CSV, dry run, invalid
lines), check and repair with their exit codes."""

from __future__ import annotations

import gzip
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import orjson
import pytest

from tests.processes import relchain

SDKAPPID = "1400000303"
SRC = "AddSource_Type_Web"
RECORDS = [
    {"format": "relchain", "version": 1},
    {"kind": "app", "admins": ["ops"], "settings": {"custom_sns_tags": ["Level"]}},
    *({"kind": "account", "id": u, "profile": {"Tag_Profile_IM_Nick": u.upper()}} for u in "abcd"),
    {"kind": "follow", "from": "a", "to": "b", "time": 10},
    {"kind": "follow", "from": "b", "to": "a", "time": 20},
    {"kind": "follow", "from": "c", "to": "a"},
    {"kind": "list", "owner": "a", "name": "team"},
    {"kind": "friend", "owner": "a", "friend": "b", "add_source": SRC, "groups": ["team"],
     "custom": {"Tag_SNS_Custom_Level": 2}},
    {"kind": "friend", "owner": "b", "friend": "a", "add_source": SRC, "remark": "A"},
    {"kind": "block", "owner": "d", "blocked": "c", "time": 5},
    {"kind": "request", "from": "c", "to": "b", "add_source": SRC, "add_wording": "hey"},
]  # fmt: skip


def run(*args: str, stdin: bytes = b"") -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "relchain", *args], input=stdin, capture_output=True, check=False
    )


def new_db(tmp_path: Path, name: str) -> str:
    db = f"sqlite:///{tmp_path / name}"
    relchain("app", "create", "--sdkappid", SDKAPPID, "--database", db)
    return db


def write_jsonl(path: Path, records: list[object]) -> Path:
    path.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in records))
    return path


def test_export_import_round_trip_with_gzip(tmp_path: Path) -> None:
    db = new_db(tmp_path, "one.db")
    relchain("import", str(write_jsonl(tmp_path / "in.jsonl", RECORDS)), "--database", db)
    relchain("export", "-o", str(tmp_path / "out.jsonl.gz"), "--database", db)
    exported = gzip.decompress((tmp_path / "out.jsonl.gz").read_bytes())
    assert not list(tmp_path.glob("*.part"))
    other = new_db(tmp_path, "two.db")
    done = run("import", "-", "--database", other, stdin=exported)  # from stdin
    assert done.returncode == 0, done.stderr
    assert b"imported 1 app, 4 account, 3 follow, 1 list, 2 friend, 1 block, 1 request" in (
        done.stderr
    )
    again = run("export", "--database", other).stdout  # to stdout
    assert again.splitlines()[1:] == exported.splitlines()[1:]
    app = orjson.loads(again.splitlines()[1])
    assert app["admins"] == ["administrator", "ops"]
    assert app["settings"]["custom_sns_tags"] == ["Tag_SNS_Custom_Level"]


def test_invalid_lines_are_listed_and_nothing_is_imported(tmp_path: Path) -> None:
    db = new_db(tmp_path, "bad.db")
    bad = [*RECORDS[:6], {"kind": "follow", "from": "a", "to": "zz"}, {"kind": "nope"}]
    done = run("import", str(write_jsonl(tmp_path / "bad.jsonl", bad)), "--database", db)
    assert done.returncode == 1
    assert done.stderr.decode().splitlines() == [
        "line 7: to: account 'zz' does not exist (not in the app, nor on an earlier line)",
        "line 8: kind: must be one of app, account, follow, list, friend, block, request,"
        " got 'nope'",
        "Error: nothing imported: 2 invalid lines",
    ]
    rows = sqlite3.connect(tmp_path / "bad.db").execute("SELECT count(*) FROM accounts")
    assert rows.fetchone() == (0,)


def test_dry_run_and_csv(tmp_path: Path) -> None:
    db = new_db(tmp_path, "csv.db")
    edges = tmp_path / "edges.csv"
    edges.write_text("x,y,100\ny,x,200\nz,x\n")
    done = run("import", str(edges), "--dry-run", "--database", db)
    assert done.returncode == 0 and b"dry run: would import 3 follow" in done.stderr
    assert b'"kind":"follow"' not in run("export", "--database", db).stdout
    relchain("import", str(edges), "--database", db)
    out = run("export", "--database", db).stdout.splitlines()
    follows = [r for r in out if b'"kind":"follow"' in r]
    assert [orjson.loads(r)["from"] for r in follows] == ["x", "y", "z"]


def test_check_and_repair_exit_codes(tmp_path: Path) -> None:
    db = new_db(tmp_path, "fix.db")
    relchain("import", str(write_jsonl(tmp_path / "in.jsonl", RECORDS)), "--database", db)
    assert "every invariant holds" in relchain("check", "--database", db)
    with sqlite3.connect(tmp_path / "fix.db") as conn:
        conn.execute("UPDATE follow_counts SET following = 7 WHERE user_id = 'c'")
    done = run("check", "--database", db)
    assert done.returncode == 1
    assert b"count_following: 1 x following counter differs from the edges" in done.stdout
    assert b"  user, stored, actual: c, 7, 1" in done.stdout
    dry = run("repair", "--dry-run", "--database", db)
    assert dry.returncode == 1 and b"would repair: count_following" in dry.stdout
    assert run("check", "--database", db).returncode == 1
    fixed = run("repair", "--database", db)
    assert fixed.returncode == 0 and b"repaired: count_following" in fixed.stdout
    assert "every invariant holds" in relchain("check", "--database", db)


@pytest.mark.parametrize("other_connection", [False, True])
def test_an_import_killed_half_way_changes_nothing(tmp_path: Path, other_connection: bool) -> None:
    """SIGKILL while the rows are being loaded, with a rollback journal (nobody else has the
    database open) or in the WAL (a server has it open): the database is as it was."""
    db = new_db(tmp_path, "kill.db")
    users = [f"u{i:05d}" for i in range(20_000)]
    records: list[object] = [RECORDS[0], *({"kind": "account", "id": u} for u in users)]
    records += [
        {"kind": "follow", "from": u, "to": users[(i + k) % len(users)], "time": k}
        for i, u in enumerate(users)
        for k in range(1, 16)
    ]
    data = write_jsonl(tmp_path / "big.jsonl", records)
    reader = sqlite3.connect(tmp_path / "kill.db", isolation_level=None)
    reader.execute("SELECT count(*) FROM apps").fetchall()  # opens the file and its WAL
    reader.execute("PRAGMA busy_timeout = 0")
    if not other_connection:
        reader.close()
    importing = subprocess.Popen(
        [sys.executable, "-m", "relchain", "import", str(data), "--database", db],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    journal = tmp_path / "kill.db-journal"

    def loading() -> bool:
        """The import holds the write lock (WAL) or has its rollback journal."""
        if not other_connection:
            return journal.exists()
        try:
            reader.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError:
            return True
        reader.execute("ROLLBACK")
        return False

    deadline = time.monotonic() + 60
    while not loading():
        assert importing.poll() is None and time.monotonic() < deadline, "not killed in time"
        time.sleep(0.005)
    time.sleep(0.3)
    assert importing.poll() is None
    importing.kill()
    importing.wait()
    reader.close()
    with sqlite3.connect(tmp_path / "kill.db") as conn:
        counts = [conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                  for t in ("accounts", "follows", "follow_counts")]  # fmt: skip
        indexes = conn.execute(
            "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND tbl_name = 'follows'"
        ).fetchone()[0]
    assert counts == [0, 0, 0]
    assert indexes >= 2  # the follow list indexes dropped for the load are back
    assert "every invariant holds" in relchain("check", "--database", db)
    mode = sqlite3.connect(tmp_path / "kill.db").execute("PRAGMA journal_mode").fetchone()
    assert mode == ("wal",)  # relchain opened it since, in WAL again


def test_csv_from_a_pipe_with_progress(tmp_path: Path) -> None:
    """Standard input (a pipe: no position to report) in CSV with --format, past the first
    progress report."""
    db = new_db(tmp_path, "pipe.db")
    edges = "".join(f"p{i},p{i + 1},{i}\n" for i in range(25_000)).encode()
    done = run("import", "-", "--format", "csv", "--database", db, stdin=edges)
    assert done.returncode == 0, done.stderr
    assert b"imported 25000 follow (25000 lines)" in done.stderr
