"""What one REST API is: its path, its service group, its handler, its documented sample, its
declared body fields and answer (the OpenAPI document is generated from them)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from relchain.domain.errors import ServiceGroup
from relchain.http.call import Call
from relchain.http.fields import Field

__all__ = ["Api", "Handler"]

Handler = Callable[[Call], Awaitable[dict[str, Any]]]


@dataclass(frozen=True, slots=True)
class Api:
    path: str  # "service/command", as after /v4/
    group: ServiceGroup
    handler: Handler
    sample: str  # the documented sample request body (JSON text)
    fields: tuple[Field, ...] = ()  # the body's fields: what the handler reads, and the docs
    answer: Mapping[str, Any] = field(default_factory=dict)  # JSON Schema of its own fields
    alternatives: tuple[tuple[str, ...], ...] = ()  # of each group, one field is required
    codes: tuple[int, ...] = ()  # whole-request ErrorCodes of its own (besides every API's)
    item_codes: tuple[int, ...] = ()  # per-item ResultCodes
    summary: str = ""
