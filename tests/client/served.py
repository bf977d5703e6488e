"""A real ``relchain serve`` process with a known app, for the client's end-to-end tests."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.processes import ServeProcess, relchain

SDKAPPID = 1400000555
KEY = "e2e-client-key-0123456789abcdef"


@dataclass(frozen=True)
class Served:
    url: str
    sdkappid: int
    key: str


@contextmanager
def serve(tmp: Path) -> Iterator[Served]:
    """``relchain serve`` on an SQLite file holding one app (SDKAPPID, KEY, admin
    ``administrator``); stopped afterwards."""
    database = f"sqlite:///{tmp / 'client-e2e.db'}"
    relchain("app", "create", "--sdkappid", str(SDKAPPID), "--key", KEY, "--database", database)
    server = ServeProcess(database).wait_ready()
    try:
        yield Served(server.url, SDKAPPID, KEY)
    finally:
        server.stop()
