"""Friends, blocklists, friend lists and pending requests (issue 4): not yet on PostgreSQL.

The SQLite backend has them; the port (migration 0003, the methods of ``ports.FriendsTx``) is the
next step of issue 5. Until then ``purge_sns`` has nothing to purge and the other methods raise
:class:`NotImplementedError` (see :class:`~relchain.storage.postgres._follows.NotPorted`).
"""

from __future__ import annotations

from collections.abc import Sequence

from relchain.storage.postgres._base import PostgresBase

__all__ = ["FriendsMixin"]


class FriendsMixin(PostgresBase):
    async def purge_sns(self, sdkappid: int, user_ids: Sequence[str]) -> None:
        return None  # no friend tables on PostgreSQL yet
