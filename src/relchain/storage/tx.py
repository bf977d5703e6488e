"""One transaction over every area: the use cases (written once) over a backend's
:class:`relchain.storage.db.Db` and statement table."""

from __future__ import annotations

from relchain.storage.accounts import AccountsMixin
from relchain.storage.apps import AppsMixin
from relchain.storage.db import Db
from relchain.storage.events import EventsMixin
from relchain.storage.follows import FollowsMixin
from relchain.storage.sns.blocklist import BlocklistMixin
from relchain.storage.sns.friends import FriendsMixin
from relchain.storage.sns.lists import ListsMixin
from relchain.storage.sns.purge import PurgeMixin
from relchain.storage.sns.requests import RequestsMixin
from relchain.storage.statements import Statements

__all__ = ["StoreTx"]


class StoreTx(
    AppsMixin,
    AccountsMixin,
    FollowsMixin,
    FriendsMixin,
    BlocklistMixin,
    ListsMixin,
    RequestsMixin,
    PurgeMixin,
    EventsMixin,
):
    """Implements :class:`relchain.ports.Tx` for any backend."""

    def __init__(self, db: Db, sql: Statements) -> None:
        self.db = db
        self.sql = sql
        self._reset_events()

    def begin_unit(self) -> dict[int, int]:
        """A unit of work starts in a shared transaction (SQLite's group commit): what the
        transaction had appended so far, to give back if the unit is rolled back alone."""
        self._event_count = 0  # SQLite numbers its ids itself: the count is per unit there
        return dict(self.appended)

    def rollback_unit(self, before: dict[int, int]) -> None:
        self.appended = before

    def take_appended(self) -> dict[int, int]:
        """The events appended per app since the last call (called once committed)."""
        appended = self.appended
        self._reset_events()
        return appended
