"""A scripted stand-in for the server under ``httpx.MockTransport``: answers from a queue and
records what the client sent."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx

from relchain.client import Admin, AsyncAdmin, Retry

SDKAPPID = 1400000001
KEY = "unit-test-key"

Answer = dict[str, Any] | httpx.Response | Exception | Callable[[httpx.Request], httpx.Response]


def ok(**fields: Any) -> dict[str, Any]:
    """A successful envelope with ``fields``."""
    return {"ActionStatus": "OK", "ErrorCode": 0, "ErrorInfo": "", "ErrorDisplay": "", **fields}


def fail(code: int, info: str = "what went wrong") -> dict[str, Any]:
    return {"ActionStatus": "FAIL", "ErrorCode": code, "ErrorInfo": info, "ErrorDisplay": ""}


@dataclass
class Sent:
    """One request the client made."""

    path: str
    query: dict[str, str]
    body: Any
    at: float


class Scripted:
    """Answers the client's requests in order from ``answers`` (the last one repeats): an
    envelope dict (sent as JSON, HTTP 200), an ``httpx.Response``, or an exception to raise."""

    def __init__(self, *answers: Answer) -> None:
        self.answers = list(answers) or [ok()]
        self.sent: list[Sent] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.sent.append(
            Sent(
                request.url.path,
                dict(request.url.params),
                json.loads(request.content) if request.content else None,
                time.monotonic(),
            )
        )
        answer = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        if isinstance(answer, Exception):
            raise answer
        if isinstance(answer, httpx.Response):
            return answer
        if callable(answer):
            return answer(request)
        return httpx.Response(200, json=answer)

    def admin(self, retry: Retry | None = None) -> Admin:
        """An Admin of this server (admin ``admin``); retries without waiting by default."""
        return Admin(*self.app, retry=retry or Retry(base_delay=0), transport=self.transport)

    def async_admin(self, retry: Retry | None = None) -> AsyncAdmin:
        return AsyncAdmin(*self.app, retry=retry or Retry(base_delay=0), transport=self.transport)

    app = ("http://relchain.test", SDKAPPID, KEY, "admin")

    @property
    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self)
