"""Fixtures: the app served by uvicorn in this process, and a logged-in socket maker."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from relchain.config import Config
from relchain.domain.apps import App
from relchain.ports import Store
from tests.gateway.support import Served, serving
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
