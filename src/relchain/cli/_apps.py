"""``relchain app ...``: create, list, show, set, key, delete, admin add|remove, tag add|remove."""

from __future__ import annotations

import sys

import click
import orjson

from relchain.cli._common import app_json, apps_of, database_option, main, with_store
from relchain.domain.apps import APP_SETTINGS, App
from relchain.ports import Store

__all__ = ["app"]

SDKAPPID = click.IntRange(1, 2**63 - 1)
KIND_OPTIONS = (
    click.option("--profile", "kind", flag_value="profile", default=True, help="A profile tag."),
    click.option("--sns", "kind", flag_value="sns", help="A friend (SNS) tag."),
)


def api_commands() -> frozenset[str]:
    """Every ``service/command`` the server answers (what ``rate_limits`` may name)."""
    from relchain.http.routes import BY_PATH

    return frozenset(BY_PATH)


@main.group()
def app() -> None:
    """Create, configure and delete apps (SDKAppIDs)."""


@app.command("create")
@click.option("--sdkappid", type=SDKAPPID, default=None, help="SDKAppID (random when not given).")
@click.option("--key", default=None, help="Secret key (random 64 hex digits when not given).")
@click.option("--admin", default="administrator", show_default=True, help="Admin identifier.")
@database_option
def app_create(sdkappid: int | None, key: str | None, admin: str, database: str | None) -> None:
    """Create an app and print it as JSON."""
    click.echo(app_json(with_store(database, lambda s: apps_of(s).create(sdkappid, key, admin))))


@app.command("list")
@database_option
def app_list(database: str | None) -> None:
    """List the apps (without their keys), one JSON object a line."""
    for one in with_store(database, lambda store: apps_of(store).list()):
        click.echo(app_json(one, with_key=False))


def found(app: App | None, sdkappid: int) -> App:
    if app is None:
        raise click.ClickException(f"no app with sdkappid {sdkappid}")
    return app


@app.command("show")
@click.argument("sdkappid", type=SDKAPPID)
@click.option("--show-key", is_flag=True, help="Also print the secret key and the callback token.")
@database_option
def app_show(sdkappid: int, show_key: bool, database: str | None) -> None:
    """Print an app's admins and settings as JSON (the key and the callback token only with
    --show-key)."""
    shown = found(with_store(database, lambda store: apps_of(store).get(sdkappid)), sdkappid)
    data: dict[str, object] = {"sdkappid": shown.sdkappid}
    if show_key:
        data["key"] = shown.key
    data["admins"] = list(shown.admins)
    data["settings"] = shown.settings.to_json() if show_key else shown.settings.shown_json()
    click.echo(orjson.dumps(data, option=orjson.OPT_INDENT_2).decode())


@app.command("set", context_settings={"ignore_unknown_options": True})
@click.argument("sdkappid", type=SDKAPPID)
@click.argument("name", type=click.Choice(list(APP_SETTINGS)), metavar="NAME")
@click.argument("value")
@database_option
def app_set(sdkappid: int, name: str, value: str, database: str | None) -> None:
    """Change one per-app setting NAME to VALUE (see docs/configuration.md) and print it."""
    commands = api_commands()
    updated = with_store(
        database, lambda store: apps_of(store).set_setting(sdkappid, name, value, commands)
    )
    click.echo(orjson.dumps({name: updated.settings.shown_json()[name]}).decode())


@app.command("key")
@click.argument("sdkappid", type=SDKAPPID)
@click.option("--key", default=None, help="The new key (random 64 hex digits when not given).")
@database_option
def app_key(sdkappid: int, key: str | None, database: str | None) -> None:
    """Give the app a new secret key and print it as JSON. UserSigs signed with the old key stop
    working once running servers re-read the app (app_cache_seconds)."""
    updated = with_store(database, lambda store: apps_of(store).rotate_key(sdkappid, key))
    click.echo(orjson.dumps({"sdkappid": updated.sdkappid, "key": updated.key}).decode())


@app.command("delete")
@click.argument("sdkappid", type=SDKAPPID)
@click.option("--yes", is_flag=True, help="Do not ask (needed when stdin is not a terminal).")
@database_option
def app_delete(sdkappid: int, yes: bool, database: str | None) -> None:
    """Delete the app and all its data (accounts, profiles, follows, friends...) for good, and
    print the rows deleted per table as JSON."""
    if not yes:
        if not sys.stdin.isatty():
            raise click.ClickException(
                f"deleting app {sdkappid} removes all its data for good: add --yes"
            )
        click.confirm(f"Delete app {sdkappid} and all its data for good?", abort=True)
    deleted = with_store(database, lambda store: apps_of(store).delete(sdkappid))
    click.echo(orjson.dumps(deleted).decode())


@app.group("admin")
def app_admin() -> None:
    """Add or remove admin identifiers (only admins may call the REST API)."""


def _admin_command(name: str, present: bool, doc: str) -> None:
    @app_admin.command(name, help=doc)
    @click.argument("sdkappid", type=SDKAPPID)
    @click.argument("identifier")
    @database_option
    def command(sdkappid: int, identifier: str, database: str | None) -> None:
        async def work(store: Store) -> App:
            service = apps_of(store)
            change = service.add_admin if present else service.remove_admin
            return await change(sdkappid, identifier)

        click.echo(orjson.dumps(list(with_store(database, work).admins)).decode())


_admin_command("add", True, "Make IDENTIFIER an admin of the app; print the admins.")
_admin_command(
    "remove",
    False,
    "Take IDENTIFIER's admin right away (not the app's last admin); print the admins.",
)


@app.group("tag")
def app_tag() -> None:
    """Register or unregister custom tags: Tag_Profile_Custom_* (default) or, with --sns,
    Tag_SNS_Custom_*."""


def _tag_command(name: str, present: bool, doc: str) -> None:
    @app_tag.command(name, help=doc)
    @click.argument("sdkappid", type=SDKAPPID)
    @click.argument("tag")
    @KIND_OPTIONS[0]
    @KIND_OPTIONS[1]
    @database_option
    def command(sdkappid: int, tag: str, kind: str, database: str | None) -> None:
        async def work(store: Store) -> App:
            service = apps_of(store)
            change = service.add_tag if present else service.remove_tag
            return await change(sdkappid, kind, tag)

        updated = with_store(database, work)
        click.echo(orjson.dumps(list(getattr(updated.settings, f"custom_{kind}_tags"))).decode())


_tag_command(
    "add",
    True,
    "Register TAG (a keyword of 1..8 letters, or the full Tag_..._Custom_ name) for the app; "
    "print the registered tags of its kind.",
)
_tag_command(
    "remove",
    False,
    "Unregister TAG; stored values stay and show again if it is registered again. Print the "
    "registered tags of its kind.",
)
