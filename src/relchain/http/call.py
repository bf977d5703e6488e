"""One authenticated call, as handlers see it: a REST call, or a Web SDK command from the user
gateway (which sets the user's platform and IP and ``user_initiated``)."""

from __future__ import annotations

from dataclasses import dataclass

from relchain.domain.apps import App
from relchain.domain.events import Origin
from relchain.http.context import ServerContext
from relchain.http.wire import Body

__all__ = ["Call", "Outcome"]


@dataclass(slots=True)
class Outcome:
    """What the access log and the metrics say of one request (filled in as it is answered)."""

    request_id: str = ""
    path: str = ""  # service/command, when it is an API
    sdkappid: int | str = ""
    identifier: str = ""
    drain: bool = False  # the body was refused unread: drain it before closing


@dataclass(slots=True)
class Call:
    ctx: ServerContext
    app: App
    identifier: str
    body: Body
    now: int
    platform: str = "RESTAPI"  # who caused the change, for events and webhooks (OptPlatform)
    client_ip: str = ""
    user_initiated: bool = False  # a user acting as itself (the gateway), not an App admin

    @property
    def sdkappid(self) -> int:
        return self.app.sdkappid

    @property
    def origin(self) -> Origin:
        """Who causes the changes of this call (recorded with its events)."""
        return Origin(self.platform, self.client_ip, self.identifier, self.user_initiated)
