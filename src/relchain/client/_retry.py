"""When a call is tried again, and how long the client waits first (pure)."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Retry"]


@dataclass(frozen=True, slots=True)
class Retry:
    """The retry policy of ``Admin`` / ``AsyncAdmin``.

    A call is tried at most ``attempts`` times in all. Before try ``n + 1`` the client waits
    ``min(max_delay, base_delay * 2**n)``, of which a random share of up to ``jitter`` (0..1) is
    taken off, so that many clients refused in the same second do not come back in step
    (``jitter=1`` is "full jitter", ``0`` none). ``Retry(attempts=1)`` never retries.

    What is retried: a rate-limit refusal (60007, and Tencent's 60011/60018/60019; the server did
    no work) on every call; a connection that could not be opened (nothing was sent) on every
    call; any other transport failure, and HTTP 502/503/504 from a proxy, on reads only.
    """

    attempts: int = 5
    base_delay: float = 0.1
    max_delay: float = 2.0
    jitter: float = 1.0

    def __post_init__(self) -> None:
        if self.attempts < 1:
            raise ValueError(f"attempts: must be at least 1, got {self.attempts}")
        if self.base_delay < 0 or self.max_delay < 0:
            raise ValueError("base_delay, max_delay: must not be negative")
        if not 0 <= self.jitter <= 1:
            raise ValueError(f"jitter: must be 0..1, got {self.jitter}")

    def delay(self, retry: int, rand: float) -> float:
        """Seconds to wait before retry number ``retry`` (0 = the first retry), given a uniform
        random number ``rand`` in [0, 1)."""
        ceiling = min(self.max_delay, self.base_delay * 2.0 ** min(retry, 64))
        return ceiling * (1.0 - self.jitter * rand)
