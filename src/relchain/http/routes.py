"""The one table of every REST API relchain answers (``/v4/<path>``)."""

from __future__ import annotations

from relchain.http.api import Api
from relchain.http.handlers.accounts import ACCOUNT_APIS
from relchain.http.handlers.blocklist import BLOCKLIST_APIS
from relchain.http.handlers.follows import FOLLOW_APIS
from relchain.http.handlers.friends import FRIEND_APIS
from relchain.http.handlers.lists import LIST_APIS
from relchain.http.handlers.profiles import PROFILE_APIS

__all__ = ["APIS", "BY_PATH"]

APIS: tuple[Api, ...] = (
    ACCOUNT_APIS + PROFILE_APIS + FOLLOW_APIS + FRIEND_APIS + BLOCKLIST_APIS + LIST_APIS
)
BY_PATH: dict[str, Api] = {api.path: api for api in APIS}
