"""The webhook sender over httpx (the :class:`relchain.ports.CallbackSender` of the server)."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

import httpx

from relchain.domain.callbacks import Answer

__all__ = ["HttpSender"]

MAX_ANSWER_CHARS = 2000  # what is kept of an answer (the last answer of a failed delivery)
MAX_CONNECTIONS = 32  # httpcore assigns requests to connections in O(connections x requests)


class HttpSender:
    """POSTs callbacks with one pooled httpx client. A receiver's answer is read up to
    :data:`MAX_ANSWER_CHARS`; any transport failure becomes ``Answer.error``."""

    def __init__(self, transport: httpx.AsyncBaseTransport | None = None) -> None:
        self._client = httpx.AsyncClient(
            transport=transport,
            limits=httpx.Limits(
                max_connections=MAX_CONNECTIONS, max_keepalive_connections=MAX_CONNECTIONS
            ),
            follow_redirects=False,
            headers={"content-type": "application/json", "user-agent": "relchain-webhooks"},
        )

    async def post(
        self, url: str, query: Sequence[tuple[str, str]], body: bytes, seconds: float
    ) -> Answer:
        try:
            merged = httpx.URL(url).copy_merge_params(list(query))
            async with asyncio.timeout(seconds):  # the whole exchange, not each read
                response = await self._client.post(merged, content=body, timeout=seconds)
        except (httpx.TimeoutException, TimeoutError):
            return Answer(error=f"no answer within {int(seconds * 1000)} ms")
        except (httpx.HTTPError, ValueError) as exc:  # refused, reset, bad URL ...
            return Answer(error=f"{type(exc).__name__}: {exc}"[:MAX_ANSWER_CHARS])
        return Answer(response.status_code, response.text[:MAX_ANSWER_CHARS])

    async def close(self) -> None:
        await self._client.aclose()
