"""``v4/sns/*`` handlers (issue 4)."""

from __future__ import annotations

from relchain.http.api import Api

__all__ = ["SNS_APIS"]

SNS_APIS: tuple[Api, ...] = ()
