"""What every backend's sns code collects during one use case: the per-user counter changes
and sequence bumps, written at once at the end (one statement, whatever the batch size)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

__all__ = ["COUNTERS", "SEQUENCES", "Deltas", "UserDelta"]

COUNTERS = ("friend_count", "block_count", "pending_count")
SEQUENCES = ("standard_seq", "custom_seq", "block_seq", "list_seq")


@dataclass
class UserDelta:
    friend_count: int = 0
    block_count: int = 0
    pending_count: int = 0
    standard_seq: int = 0
    custom_seq: int = 0
    block_seq: int = 0
    list_seq: int = 0


class Deltas:
    """Counter changes and sequence bumps collected during one use case, written at once.

    Counters add up; a sequence is bumped at most once per use case, however many changes."""

    def __init__(self) -> None:
        self.users: dict[str, UserDelta] = defaultdict(UserDelta)

    def add(self, user: str, **changes: int) -> None:
        delta = self.users[user]
        for name, value in changes.items():
            if name in SEQUENCES:
                setattr(delta, name, 1 if value else getattr(delta, name))
            else:
                setattr(delta, name, getattr(delta, name) + value)
