"""Helpers of the data tests: export to lines, import from lines, a second empty app."""

from __future__ import annotations

from typing import Any

import orjson

from relchain.domain.apps import App
from relchain.http.routes import BY_PATH
from relchain.ports import DataStore, Store
from relchain.services.data_export import export_app
from relchain.services.data_import import ImportReport, import_lines
from tests.conftest import UNLIMITED
from tests.support import ADMIN, KEY, T0

OTHER = 1400000002


async def exported(store: Store, app: App) -> list[bytes]:
    """The app's export, line by line (header's time fixed)."""
    chunks: list[bytes] = []
    assert isinstance(store, DataStore)
    await export_app(store, app, chunks.append, T0, lambda kind, n: None)
    return b"".join(chunks).splitlines()


def body(lines: list[bytes]) -> list[Any]:
    """Every record but the header (which names the app), decoded."""
    return [orjson.loads(line) for line in lines[1:]]


async def get_app(store: Store, sdkappid: int) -> App:
    async with store.read() as tx:
        app = await tx.get_app(sdkappid)
    assert app is not None
    return app


async def empty_app(store: Store, sdkappid: int = OTHER) -> App:
    other = App(sdkappid=sdkappid, key=KEY, admins=(ADMIN,), settings=UNLIMITED)
    async with store.write() as tx:
        await tx.create_app(other, T0)
    return other


async def run_import(store: Store, app: App, lines: list[bytes], **options: Any) -> ImportReport:
    assert isinstance(store, DataStore)
    return await import_lines(store, app, lines, now=T0 + 100, commands=BY_PATH, **options)
