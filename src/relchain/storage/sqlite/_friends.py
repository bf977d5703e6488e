"""Friends, blocklists, friend lists and pending requests (issue 4)."""

from __future__ import annotations

from collections.abc import Sequence

from relchain.storage.sqlite._base import SQLiteBase

__all__ = ["FriendsMixin"]


class FriendsMixin(SQLiteBase):
    async def purge_sns(self, sdkappid: int, user_ids: Sequence[str]) -> None:
        return None
