"""What every service gets: the store and the clock."""

from __future__ import annotations

import time
from dataclasses import dataclass

from relchain.ports import Clock, Store

__all__ = ["ServiceBase", "SystemClock"]


class SystemClock:
    def now(self) -> float:
        return time.time()


@dataclass
class ServiceBase:
    store: Store
    clock: Clock

    def now(self) -> int:
        return int(self.clock.now())
