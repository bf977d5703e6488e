"""``relchain webhooks status|retry``: what the webhook queue holds, and sending failed (or
dead) deliveries again."""

from __future__ import annotations

import click
import orjson

from relchain.cli._common import database_option, main, with_store
from relchain.clock import SystemClock
from relchain.ports import Store
from relchain.services.webhooks import WebhookService

__all__ = ["webhooks"]

sdkappid_option = click.option(
    "--sdkappid", type=int, default=None, help="The app (may be left out when there is one)."
)


async def _app_id(store: Store, sdkappid: int | None) -> int:
    if sdkappid is not None:
        return sdkappid
    async with store.read() as tx:
        apps = await tx.list_apps()
    if len(apps) != 1:
        found = ", ".join(str(a.sdkappid) for a in apps) or "none"
        raise ValueError(f"--sdkappid: several apps or none (apps: {found}); say which")
    return apps[0].sdkappid


@main.group()
def webhooks() -> None:
    """The webhook queue: status and retry (docs/webhooks.md)."""


@webhooks.command("status")
@sdkappid_option
@click.option(
    "--failures",
    type=click.IntRange(0, 1000),
    default=20,
    show_default=True,
    help="How many of the newest failed deliveries to list, with their last answer.",
)
@database_option
def webhooks_status(sdkappid: int | None, failures: int, database: str | None) -> None:
    """Print the deliveries per command (pending, delivered, failed, dead) and the newest
    failed ones with the receiver's last answer, as JSON."""

    async def work(store: Store) -> str:
        service = WebhookService(store, SystemClock())
        status = await service.status(await _app_id(store, sdkappid), failures)
        return orjson.dumps(status.to_json(), option=orjson.OPT_INDENT_2).decode()

    click.echo(with_store(database, work))


@webhooks.command("retry")
@sdkappid_option
@click.option("--dead", is_flag=True, help="Also the dead deliveries (with a new retry window).")
@database_option
def webhooks_retry(sdkappid: int | None, dead: bool, database: str | None) -> None:
    """Send the failed deliveries now instead of at their next backoff (and the dead ones with
    --dead); prints how many as JSON. A running server sends them within a second."""

    async def work(store: Store) -> int:
        service = WebhookService(store, SystemClock())
        return await service.retry(await _app_id(store, sdkappid), dead=dead)

    click.echo(orjson.dumps({"retried": with_store(database, work)}).decode())
