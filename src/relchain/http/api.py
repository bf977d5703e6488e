"""What one REST API is: its path, its service group, its handler and its documented sample."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from relchain.domain.errors import ServiceGroup
from relchain.http.call import Call

__all__ = ["Api", "Handler"]

Handler = Callable[[Call], Awaitable[dict[str, Any]]]


@dataclass(frozen=True, slots=True)
class Api:
    path: str  # "service/command", as after /v4/
    group: ServiceGroup
    handler: Handler
    sample: str  # the documented sample request body (JSON text)
