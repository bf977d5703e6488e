"""What every command shares: the ``main`` group, ``--database``, opening the store."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import click
import orjson

from relchain import __version__
from relchain.clock import SystemClock
from relchain.config import ConfigError, load_config
from relchain.domain.apps import App
from relchain.ports import Store
from relchain.services.apps import AppService
from relchain.storage import StorageError, open_store

__all__ = ["app_json", "apps_of", "database_option", "database_url", "main", "with_store"]

T = TypeVar("T")

database_option = click.option(
    "--database",
    default=None,
    metavar="URL",
    help="sqlite:///path.db (default sqlite:///./relchain.db) or postgresql://user@host/db; "
    "also RELCHAIN_DATABASE_URL.",
)


@click.group()
@click.version_option(__version__, prog_name="relchain")
def main() -> None:
    """relchain: a self-hosted, Tencent-compatible relationship-chain server."""


def database_url(database: str | None) -> str:
    """``--database``, else ``RELCHAIN_DATABASE_URL``, else the default."""
    try:
        return load_config({"database": database}, names={"database"}).database
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from None


def with_store(database: str | None, work: Callable[[Store], Awaitable[T]]) -> T:
    """Open the store, run ``work`` on it, close it. Database errors and ``ValueError`` (what
    the app service raises for a refused change) become one-line CLI errors."""

    async def run() -> T:
        try:
            store = await open_store(database_url(database))
        except StorageError as exc:
            raise click.ClickException(str(exc)) from None
        try:
            return await work(store)
        except ValueError as exc:
            raise click.ClickException(str(exc)) from None
        finally:
            await store.close()

    return asyncio.run(run())


def apps_of(store: Store) -> AppService:
    return AppService(store, SystemClock())


def app_json(app: App, with_key: bool = True) -> str:
    data: dict[str, Any] = {"sdkappid": app.sdkappid}
    if with_key:
        data["key"] = app.key
    data["admin"] = app.admins[0] if app.admins else ""
    return orjson.dumps(data).decode()
