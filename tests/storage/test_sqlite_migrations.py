"""SQLite schema migrations: from an empty file, from the previous version, and idempotent."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from relchain.storage.migrations import migrations_for
from relchain.storage.sqlite import SQLiteStore
from relchain.storage.sqlite.store import split_statements


def versions(path: Path) -> list[int]:
    with sqlite3.connect(path) as conn:
        return [row[0] for row in conn.execute("SELECT version FROM schema_migrations ORDER BY 1")]


def test_empty_file_gets_every_migration_once(tmp_path: Path) -> None:
    path = tmp_path / "m.db"
    store = SQLiteStore.open(f"sqlite:///{path}")
    every = [m.version for m in migrations_for("sqlite")]
    assert versions(path) == every
    assert store.upgrade_now() == []
    assert SQLiteStore.open(f"sqlite:///{path}").upgrade_now() == []
    assert versions(path) == every


def test_database_at_the_previous_version_is_upgraded_keeping_its_data(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    everything = migrations_for("sqlite")
    with sqlite3.connect(path) as conn:
        conn.execute(
            "CREATE TABLE schema_migrations "
            "(version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
        )
        for migration in everything[:-1]:
            for statement in split_statements(migration.sql):
                conn.execute(statement)
            conn.execute(
                "INSERT INTO schema_migrations VALUES (?, ?, 'then')",
                (migration.version, migration.name),
            )
        conn.execute(
            "INSERT INTO apps VALUES (1, 'k', '[\"admin\"]', '{}', 0)",
        )
    store = SQLiteStore.open(f"sqlite:///{path}", migrate=False)
    assert store.upgrade_now() == [everything[-1].version]
    assert versions(path) == [m.version for m in everything]
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT secret_key FROM apps WHERE sdkappid = 1").fetchone() == ("k",)


def test_migration_versions_are_unique_and_start_at_one() -> None:
    found = [m.version for m in migrations_for("sqlite")]
    assert found == list(range(1, len(found) + 1))


def test_split_statements_keeps_triggers_whole() -> None:
    sql = (
        "-- c\nCREATE TABLE t (a);\n"
        "CREATE TRIGGER tr AFTER INSERT ON t BEGIN UPDATE t SET a = 1; END;\n"
    )
    assert len(split_statements(sql)) == 2
