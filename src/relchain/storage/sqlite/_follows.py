"""Follow edges, mutual edges and counters (issue 3)."""

from __future__ import annotations

from collections.abc import Sequence

from relchain.storage.sqlite._base import SQLiteBase

__all__ = ["FollowsMixin"]


class FollowsMixin(SQLiteBase):
    async def purge_follows(self, sdkappid: int, user_ids: Sequence[str]) -> None:
        return None
