"""``relchain events tail``: the event log as JSON lines (docs/events.md)."""

from __future__ import annotations

import contextlib
import sys

import click
import orjson

from relchain.cli._common import apps_of, database_option, main, with_store
from relchain.clock import SystemClock
from relchain.ports import Store
from relchain.services.events import EventLog, event_json

__all__ = ["PAGE"]

PAGE = 1000


@main.group()
def events() -> None:
    """The event log."""


@events.command("tail")
@click.option("--sdkappid", type=int, default=None, help="The app (default: the only one).")
@click.option(
    "--since",
    type=click.IntRange(0, 2**63 - 1),
    default=0,
    show_default=True,
    help="Print the events after this id (0: every event the log still has).",
)
@click.option("--follow", "-f", is_flag=True, help="Then wait for new events and print them.")
@database_option
def tail(sdkappid: int | None, since: int, follow: bool, database: str | None) -> None:
    """Print the app's events as JSON lines (one object a line: id, sdkappid, time_ms, kind,
    account, peers, data, origin), oldest first; with --follow, go on as events commit."""

    async def work(store: Store) -> None:
        apps = await apps_of(store).list()
        chosen = [a for a in apps if sdkappid is None or a.sdkappid == sdkappid]
        if sdkappid is None and len(chosen) > 1:
            raise click.ClickException("several apps exist: say which with --sdkappid")
        if not chosen:
            raise click.ClickException(
                f"no app with sdkappid {sdkappid}"
                if sdkappid
                else "no app yet: relchain app create"
            )
        app = chosen[0].sdkappid
        log = EventLog(store, SystemClock(), signal=store.event_signal() if follow else None)
        await log.start()
        try:
            if follow:
                async with contextlib.aclosing(log.tail(app, since)) as stream:
                    async for event in stream:
                        _print(event_json(event))
                return
            after = since
            while batch := await log.page(app, after, PAGE):
                for event in batch:
                    _print(event_json(event))
                after = batch[-1].id
        finally:
            await log.close()

    with contextlib.suppress(KeyboardInterrupt):
        with_store(database, work)


def _print(row: dict[str, object]) -> None:
    sys.stdout.write(orjson.dumps(row).decode() + "\n")
    sys.stdout.flush()
