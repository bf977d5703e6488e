"""``v4/sns/*``: the 15 relationship-chain APIs (friends, blocklists, friend lists)."""

from __future__ import annotations

from relchain.http.api import Api
from relchain.http.handlers.blocklist import BLOCKLIST_APIS
from relchain.http.handlers.friend_lists import FRIEND_LIST_APIS
from relchain.http.handlers.friends import FRIEND_APIS

__all__ = ["SNS_APIS"]

SNS_APIS: tuple[Api, ...] = FRIEND_APIS + BLOCKLIST_APIS + FRIEND_LIST_APIS
