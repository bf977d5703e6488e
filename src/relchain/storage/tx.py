"""One transaction over every area: the use cases (written once) over a backend's
:class:`relchain.storage.db.Db` and statement table."""

from __future__ import annotations

from relchain.storage.accounts import AccountsMixin
from relchain.storage.apps import AppsMixin
from relchain.storage.db import Db
from relchain.storage.follows import FollowsMixin
from relchain.storage.sns.blocklist import BlocklistMixin
from relchain.storage.sns.friends import FriendsMixin
from relchain.storage.sns.lists import ListsMixin
from relchain.storage.sns.purge import PurgeMixin
from relchain.storage.sns.requests import RequestsMixin
from relchain.storage.statements import Statements
from relchain.storage.webhooks import WebhooksMixin

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
    WebhooksMixin,
):
    """Implements :class:`relchain.ports.Tx` for any backend."""

    def __init__(self, db: Db, sql: Statements) -> None:
        self.db = db
        self.sql = sql
