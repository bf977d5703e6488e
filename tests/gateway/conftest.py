"""Fixtures: the app served by uvicorn in this process (``served``: the test can inject pushes
and move the clock), and a real ``relchain serve`` per test module (``serve`` / ``server``)."""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator, Iterator

import pytest

from relchain.config import Config
from relchain.domain.apps import App
from relchain.ports import Store
from tests.gateway.realserver import RealServer, real_server
from tests.gateway.support import Served, serving
from tests.processes import ServeProcess
from tests.support import FrozenClock


@pytest.fixture
def gateway_config() -> Config:
    return Config(database="unused://", app_cache_seconds=0)


@pytest.fixture
async def served(
    store: Store, clock: FrozenClock, app: App, gateway_config: Config
) -> AsyncIterator[Served]:
    async with serving(store, clock, gateway_config) as running:
        yield running


@pytest.fixture(scope="module")
def serve(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServeProcess]:
    """One real ``relchain serve`` (SQLite) for the tests of a module."""
    with real_server(tmp_path_factory.mktemp("serve")) as proc:
        yield proc


@pytest.fixture
async def server(serve: ServeProcess) -> AsyncIterator[RealServer]:
    running = RealServer(serve)
    yield running
    await running.http.aclose()


_names = itertools.count(1)


@pytest.fixture
def users() -> tuple[str, str, str]:
    """Three fresh user names (the module's tests share one server)."""
    n = next(_names)
    return f"alice{n}", f"bob{n}", f"carol{n}"
