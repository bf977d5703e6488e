"""The SQLite transaction: one mixin per area over one connection."""

from __future__ import annotations

import sqlite3

from relchain.storage.sqlite._accounts import AccountsMixin
from relchain.storage.sqlite._apps import AppsMixin
from relchain.storage.sqlite._follows import FollowsMixin
from relchain.storage.sqlite._friends import FriendsMixin

__all__ = ["SQLiteTx"]


class SQLiteTx(AppsMixin, AccountsMixin, FollowsMixin, FriendsMixin):
    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
