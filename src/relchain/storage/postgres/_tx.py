"""The PostgreSQL transaction: one mixin per area over one pooled connection."""

from __future__ import annotations

from typing import Any

from relchain.storage.postgres._accounts import AccountsMixin
from relchain.storage.postgres._apps import AppsMixin
from relchain.storage.postgres._follows import FollowsMixin
from relchain.storage.postgres._friends import FriendsMixin

__all__ = ["PostgresTx"]


class PostgresTx(AppsMixin, AccountsMixin, FollowsMixin, FriendsMixin):
    def __init__(self, conn: Any) -> None:
        self.conn = conn
