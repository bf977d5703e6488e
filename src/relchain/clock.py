"""The real clock (a :class:`relchain.ports.Clock`); tests pass a frozen one instead."""

from __future__ import annotations

import time

__all__ = ["SystemClock"]


class SystemClock:
    """Unix time from the system clock."""

    def now(self) -> float:
        return time.time()
