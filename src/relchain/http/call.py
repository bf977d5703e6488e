"""One authenticated REST call, as handlers see it."""

from __future__ import annotations

from dataclasses import dataclass

from relchain.domain.apps import App
from relchain.http.context import ServerContext
from relchain.http.wire import Body

__all__ = ["Call"]


@dataclass(slots=True)
class Call:
    ctx: ServerContext
    app: App
    identifier: str
    body: Body
    now: int

    @property
    def sdkappid(self) -> int:
        return self.app.sdkappid
