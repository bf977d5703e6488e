"""Fixtures of the webhook tests: the gateway's in-process server (``served``) and a receiver."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.gateway.conftest import gateway_config, served
from tests.webhooks.receiver import Receiver, receiving

__all__ = ["gateway_config", "receiver", "served"]


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    async with receiving() as running:
        yield running
