"""``v4/follow/*`` handlers (issue 3)."""

from __future__ import annotations

from relchain.http.api import Api

__all__ = ["FOLLOW_APIS"]

FOLLOW_APIS: tuple[Api, ...] = ()
