"""``relchain usersig`` and ``relchain db upgrade``."""

from __future__ import annotations

import asyncio
import time

import click

from relchain.auth.usersig import generate_usersig
from relchain.cli._common import apps_of, database_option, database_url, main, with_store
from relchain.storage import StorageError, open_store

__all__ = ["DEFAULT_USERSIG_EXPIRE"]

DEFAULT_USERSIG_EXPIRE = 180 * 86400


@main.command()
@click.argument("userid")
@click.option("--sdkappid", type=int, default=None, help="The app (default: the only one).")
@click.option(
    "--expire",
    type=click.IntRange(1, 100 * 365 * 86400),
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
            store = await open_store(database_url(database), migrate=False)
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
