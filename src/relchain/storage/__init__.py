"""Storage backends, chosen by database URL; drivers are imported only when used."""

from __future__ import annotations

from pathlib import Path

from relchain.ports import Store

__all__ = ["StorageError", "database_file", "open_store"]


class StorageError(Exception):
    """The database could not be opened or used (bad URL, missing driver, unreachable)."""


def database_file(url: str) -> Path | None:
    """The file an ``sqlite:`` URL names (``None`` for other databases and ``:memory:``)."""
    if url.split(":", 1)[0].lower() != "sqlite":
        return None
    from relchain.storage.sqlite.store import path_from_url

    path = path_from_url(url)
    return None if path == ":memory:" else Path(path)


async def open_store(url: str, *, migrate: bool = True) -> Store:
    """Open the store at ``url`` (``sqlite:///path`` or ``postgresql://...``)."""
    scheme = url.split(":", 1)[0].lower()
    if scheme == "sqlite":
        from relchain.storage.sqlite import SQLiteStore

        return SQLiteStore.open(url, migrate=migrate)
    if scheme in {"postgresql", "postgres"}:
        try:
            from relchain.storage.postgres import PostgresStore
        except ImportError as exc:  # pragma: no cover - depends on the install
            raise StorageError(
                "PostgreSQL needs its driver: pip install 'relchain[postgres]'"
            ) from exc
        return await PostgresStore.open(url, migrate=migrate)
    raise StorageError(
        f"unsupported database URL {url!r}: use sqlite:///path.db or postgresql://user@host/db"
    )
