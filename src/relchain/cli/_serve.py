"""``relchain serve``: its options come from the settings table (relchain.config.SETTINGS)."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from relchain import __version__
from relchain.auth.usersig import generate_usersig
from relchain.cli._common import apps_of, main, with_store
from relchain.cli._db import DEFAULT_USERSIG_EXPIRE
from relchain.config import SETTINGS, Config, ConfigError, load_config, redact_url
from relchain.domain.apps import App
from relchain.ports import Store
from relchain.storage import database_file

__all__ = ["first_run_message", "serve"]


def setting_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """One option per server setting: ``--name`` (``--name/--no-name`` for switches), read as
    text and checked by :func:`relchain.config.load_config` like the environment variable."""
    for setting in reversed(SETTINGS):
        default = setting.default
        if isinstance(default, bool):
            shown = "on" if default else "off"
        else:
            shown = str(default) if default != "" else "none"
        help_text = f"{setting.help.replace('`', '')} [{setting.env}; default {shown}]"
        if setting.kind is bool:
            flags = f"{setting.flag}/--no-{setting.flag[2:]}"
            option = click.option(flags, setting.name, default=None, help=help_text)
        else:
            option = click.option(
                setting.flag, setting.name, default=None, metavar=setting.metavar, help=help_text
            )
        command = option(command)
    return command


@main.command()
@setting_options
def serve(**flags: Any) -> None:
    """Run the server (every option also has an environment variable; see
    docs/configuration.md). On an empty database, create a first app and say how to call it."""
    try:
        config = load_config(flags)
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from None
    first = with_store(config.database, _first_app_if_empty)
    if first is not None:
        click.echo(first_run_message(config, first, sys.stdout.isatty()))
    click.echo(
        f"relchain {__version__} serving http://{config.host}:{config.port}/v4/ "
        f"(database {redact_url(config.database)}, {config.workers} worker(s))",
        err=True,
    )
    from relchain.http.server import run

    run(config)


async def _first_app_if_empty(store: Store) -> App | None:
    service = apps_of(store)
    if await service.list():
        return None
    return await service.create()


def secrets_file(config: Config, app: App) -> Path:
    """Where the first app's secrets go when stdout is not a terminal: beside the SQLite
    database, else in the current directory."""
    database = database_file(config.database)
    folder = database.resolve().parent if database is not None else Path.cwd()
    return folder / f"relchain-first-app-{app.sdkappid}.txt"


def first_run_message(config: Config, app: App, on_terminal: bool) -> str:
    """What ``serve`` prints after creating the first app. The secret key and an admin UserSig
    are printed only on a terminal; otherwise (a service's log) they go to a file only its owner
    may read, and the message says where."""
    admin = app.admins[0]
    sig = generate_usersig(app.key, app.sdkappid, admin, DEFAULT_USERSIG_EXPIRE, int(time.time()))
    url = (
        f"http://{config.host}:{config.port}/v4/im_open_login_svc/account_import"
        f"?sdkappid={app.sdkappid}&identifier={admin}&usersig={sig}"
        "&random=99999999&contenttype=json"
    )
    secrets = (
        f"  secret key: {app.key}\n"
        "Try it (UserSig valid 180 days):\n"
        f'  curl -s -X POST \'{url}\' -d \'{{"UserID":"alice","Nick":"Alice"}}\'\n'
    )
    head = (
        "relchain: created the first app of this database.\n"
        f"  SDKAppID:   {app.sdkappid}\n"
        f"  admin:      {admin}\n"
    )
    again = (
        f"Show them again: relchain app show {app.sdkappid} --show-key; "
        f"a new UserSig: relchain usersig {admin}\n"
    )
    if on_terminal:
        return head + secrets + again
    target = secrets_file(config, app)
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as out:
        os.fchmod(out.fileno(), 0o600)
        out.write(head + secrets)
    return (
        head + f"  secret key and a ready curl line: in {target} (mode 0600; not printed "
        "because stdout is not a terminal)\n" + again
    )
