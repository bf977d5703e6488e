"""Friends, blocklists, friend lists and pending requests (issue 4): ported in a later step."""

from __future__ import annotations

from collections.abc import Sequence

from relchain.storage.postgres._base import PostgresBase

__all__ = ["FriendsMixin"]


class FriendsMixin(PostgresBase):
    async def purge_sns(self, sdkappid: int, user_ids: Sequence[str]) -> None:
        return None
