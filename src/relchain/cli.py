"""The ``relchain`` command line (docs/cli.md): serve, app, usersig, db."""

from __future__ import annotations

import asyncio
import os
import sys
import time
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import click
import orjson

from relchain import __version__
from relchain.auth.usersig import generate_usersig
from relchain.clock import SystemClock
from relchain.config import Config, load_config, redact_url
from relchain.domain.apps import SETTING_DOCS, App
from relchain.ports import Store
from relchain.services.apps import AppService
from relchain.storage import StorageError, open_store

__all__ = ["main"]

T = TypeVar("T")
DEFAULT_USERSIG_EXPIRE = 180 * 86400

database_option = click.option(
    "--database",
    default=None,
    metavar="URL",
    help="sqlite:///path.db (default sqlite:///./relchain.db) or postgresql://user@host/db; "
    "also RELCHAIN_DATABASE_URL.",
)


def with_store(database: str | None, work: Callable[[Store], Awaitable[T]]) -> T:
    """Open the store, run ``work`` on it, close it; database errors become CLI errors."""

    async def run() -> T:
        try:
            store = await open_store(load_config({"database": database}).database)
        except StorageError as exc:
            raise click.ClickException(str(exc)) from None
        try:
            return await work(store)
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


@click.group()
@click.version_option(__version__, prog_name="relchain")
def main() -> None:
    """relchain: a self-hosted, Tencent-compatible relationship-chain server."""


@main.command()
@click.option("--host", default=None, help="Address to listen on (default 127.0.0.1).")
@click.option("--port", default=None, type=int, help="Port to listen on (default 8080).")
@database_option
@click.option("--workers", default=None, type=int, help="Server processes (default 1).")
@click.option("--redis", default=None, metavar="URL", help="Redis URL for shared rate limits.")
def serve(
    host: str | None,
    port: int | None,
    database: str | None,
    workers: int | None,
    redis: str | None,
) -> None:
    """Run the server. On an empty database, create a first app and print how to call it."""
    import uvicorn

    config = load_config(
        {"host": host, "port": port, "database": database, "workers": workers, "redis": redis}
    )
    first = with_store(config.database, _first_app_if_empty)
    if first is not None:
        click.echo(first_run_message(config, first))
    click.echo(
        f"relchain {__version__} serving http://{config.host}:{config.port}/v4/ "
        f"(database {redact_url(config.database)}, {config.workers} worker(s))",
        err=True,
    )
    if config.workers > 1:
        os.environ.update(config.to_env())
        uvicorn.run(
            "relchain.http.app:create_app_from_env",
            factory=True,
            host=config.host,
            port=config.port,
            workers=config.workers,
            log_level=config.log_level,
            access_log=False,
            ws_max_size=config.gateway_max_frame_bytes,  # larger gateway frames: closed, 1009
            ws_per_message_deflate=False,  # zlib state is ~45 KB a socket; frames are small
        )
    else:
        from relchain.http.app import create_app

        uvicorn.run(
            create_app(config),
            host=config.host,
            port=config.port,
            log_level=config.log_level,
            access_log=False,
            ws_max_size=config.gateway_max_frame_bytes,
            ws_per_message_deflate=False,
        )


async def _first_app_if_empty(store: Store) -> App | None:
    service = apps_of(store)
    if await service.list():
        return None
    return await service.create()


def first_run_message(config: Config, app: App) -> str:
    sig = generate_usersig(
        app.key, app.sdkappid, app.admins[0], DEFAULT_USERSIG_EXPIRE, int(time.time())
    )
    url = (
        f"http://{config.host}:{config.port}/v4/im_open_login_svc/account_import"
        f"?sdkappid={app.sdkappid}&identifier={app.admins[0]}&usersig={sig}"
        "&random=99999999&contenttype=json"
    )
    return (
        "relchain: created the first app of this database.\n"
        f"  SDKAppID:   {app.sdkappid}\n"
        f"  admin:      {app.admins[0]}\n"
        f"  secret key: {app.key}\n"
        "Try it (UserSig valid 180 days):\n"
        f'  curl -s -X POST \'{url}\' -d \'{{"UserID":"alice","Nick":"Alice"}}\'\n'
    )


@main.group()
def app() -> None:
    """Create and configure apps (SDKAppIDs)."""


@app.command("create")
@click.option("--sdkappid", type=int, default=None, help="SDKAppID (random when not given).")
@click.option("--key", default=None, help="Secret key (random 64 hex digits when not given).")
@click.option("--admin", default="administrator", show_default=True, help="Admin identifier.")
@database_option
def app_create(sdkappid: int | None, key: str | None, admin: str, database: str | None) -> None:
    """Create an app and print it as JSON."""

    async def work(store: Store) -> App:
        try:
            return await apps_of(store).create(sdkappid, key, admin)
        except ValueError as exc:
            raise click.ClickException(str(exc)) from None

    click.echo(app_json(with_store(database, work)))


@app.command("list")
@database_option
def app_list(database: str | None) -> None:
    """List the apps (without their keys), one JSON object a line."""
    for one in with_store(database, lambda store: apps_of(store).list()):
        click.echo(app_json(one, with_key=False))


@app.command("show")
@click.argument("sdkappid", type=int)
@database_option
def app_show(sdkappid: int, database: str | None) -> None:
    """Print an app's admins and settings as JSON (the key is not shown)."""
    found = with_store(database, lambda store: apps_of(store).get(sdkappid))
    if found is None:
        raise click.ClickException(f"no app with sdkappid {sdkappid}")
    data = {"sdkappid": found.sdkappid, "admins": list(found.admins)}
    data["settings"] = found.settings.to_json()
    click.echo(orjson.dumps(data, option=orjson.OPT_INDENT_2).decode())


@app.command("set")
@click.argument("sdkappid", type=int)
@click.argument("name", type=click.Choice(sorted(SETTING_DOCS)))
@click.argument("value")
@database_option
def app_set(sdkappid: int, name: str, value: str, database: str | None) -> None:
    """Change one per-app setting (see docs/configuration.md)."""

    async def work(store: Store) -> App:
        try:
            return await apps_of(store).set_setting(sdkappid, name, value)
        except ValueError as exc:
            raise click.ClickException(str(exc)) from None

    updated = with_store(database, work)
    click.echo(orjson.dumps({name: updated.settings.to_json()[name]}).decode())


@app.command("tag")
@click.argument("sdkappid", type=int)
@click.argument("tag")
@click.option("--profile", "kind", flag_value="profile", default=True, help="A profile tag.")
@click.option("--sns", "kind", flag_value="sns", help="A friend (SNS) tag.")
@database_option
def app_tag(sdkappid: int, tag: str, kind: str, database: str | None) -> None:
    """Register a custom tag: Tag_Profile_Custom_<kw> (--profile) or Tag_SNS_Custom_<kw> (--sns)."""

    async def work(store: Store) -> App:
        try:
            return await apps_of(store).add_tag(sdkappid, kind, tag)
        except ValueError as exc:
            raise click.ClickException(str(exc)) from None

    updated = with_store(database, work)
    tags = getattr(updated.settings, f"custom_{kind}_tags")
    click.echo(orjson.dumps(list(tags)).decode())


@app.command("admin")
@click.argument("sdkappid", type=int)
@click.argument("identifier")
@database_option
def app_admin(sdkappid: int, identifier: str, database: str | None) -> None:
    """Make IDENTIFIER an admin of the app."""

    async def work(store: Store) -> App:
        try:
            return await apps_of(store).add_admin(sdkappid, identifier)
        except ValueError as exc:
            raise click.ClickException(str(exc)) from None

    click.echo(orjson.dumps(list(with_store(database, work).admins)).decode())


@main.command()
@click.argument("userid")
@click.option("--sdkappid", type=int, default=None, help="The app (default: the only one).")
@click.option(
    "--expire",
    type=int,
    default=DEFAULT_USERSIG_EXPIRE,
    show_default=True,
    help="Validity in seconds.",
)
@database_option
def usersig(userid: str, sdkappid: int | None, expire: int, database: str | None) -> None:
    """Print a UserSig for USERID, signed with the app's key."""
    apps = with_store(database, lambda store: apps_of(store).list())
    chosen = [a for a in apps if sdkappid is None or a.sdkappid == sdkappid]
    if sdkappid is None and len(chosen) > 1:
        raise click.ClickException("several apps exist: say which with --sdkappid")
    if not chosen:
        raise click.ClickException(
            f"no app with sdkappid {sdkappid}" if sdkappid else "no app yet: relchain app create"
        )
    target = chosen[0]
    click.echo(generate_usersig(target.key, target.sdkappid, userid, expire, int(time.time())))


@main.group()
def db() -> None:
    """Database schema."""


@db.command("upgrade")
@database_option
def db_upgrade(database: str | None) -> None:
    """Apply the schema migrations the database lacks."""

    async def run() -> list[int]:
        try:
            store = await open_store(load_config({"database": database}).database, migrate=False)
        except StorageError as exc:
            raise click.ClickException(str(exc)) from None
        try:
            return await store.upgrade()
        finally:
            await store.close()

    applied = asyncio.run(run())
    for version in applied:
        click.echo(f"applied migration {version:04d}", err=True)
    click.echo("database schema is up to date", err=True)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
