"""Follow edges, mutual edges and counters (issue 3): ported from SQLite in a later step."""

from __future__ import annotations

from collections.abc import Sequence

from relchain.storage.postgres._base import PostgresBase

__all__ = ["FollowsMixin"]


class FollowsMixin(PostgresBase):
    async def purge_follows(self, sdkappid: int, user_ids: Sequence[str]) -> None:
        return None
