"""Every dialect defines every statement the use cases run, under the same names."""

from __future__ import annotations

from relchain.storage.postgres.statements import PostgresStatements
from relchain.storage.sqlite.statements import SQLiteStatements
from relchain.storage.statements import missing_statements


def test_every_dialect_defines_every_statement() -> None:
    assert missing_statements(SQLiteStatements) == []
    assert missing_statements(PostgresStatements) == []


def test_sqlite_statements_take_numbered_parameters_like_postgresql() -> None:
    """The algorithms pass the same parameters to both: no bare ``?`` in SQLite's text."""
    for name in dir(SQLiteStatements):
        value = getattr(SQLiteStatements, name)
        texts = value if isinstance(value, tuple) else (value,) if isinstance(value, str) else ()
        for text in texts:
            assert "? " not in text and not text.rstrip().endswith("?"), (name, text)
