"""relchain's Python client: ``Admin`` / ``AsyncAdmin`` for the REST API (every API of
relchain, also usable against Tencent's own), and the parts the user-side ``Chat`` client
shares: the exceptions, UserSigs and the ``Event`` names.

It stands alone: it needs httpx only and imports nothing from the server's packages (an
import-linter contract in pyproject.toml keeps it so). Docs: docs/client.md.
"""

from relchain.client._accounts import AccountCheck, ImportResult, NewAccount
from relchain.client._admin import Admin, AsyncAdmin
from relchain.client._blocklist import (
    BlockCheckType,
    BlockedUser,
    BlocklistCheck,
    BlocklistPage,
    BlockRelation,
)
from relchain.client._errors import (
    ApiError,
    AuthError,
    ConnectError,
    FeatureDisabled,
    InvalidRequest,
    LimitExceeded,
    NotFound,
    PermissionDenied,
    ProtocolError,
    RateLimited,
    RelchainError,
    ServerError,
    TransportError,
)
from relchain.client._events import Event
from relchain.client._follows import FollowCheck, FollowCounts, FollowEntry, FollowPage, FollowType
from relchain.client._friend_lists import FriendList, FriendLists, ListChange
from relchain.client._friends import (
    AddFriend,
    AddType,
    CheckType,
    DeleteType,
    Friend,
    FriendCheck,
    FriendInfo,
    FriendPage,
    FriendRelation,
    ImportFriend,
    SnsTag,
    UpdateFriend,
)
from relchain.client._profiles import AdminForbidType, AllowType, Gender, ProfileTag, UserProfile
from relchain.client._retry import Retry
from relchain.client._usersig import generate_usersig
from relchain.client._wire import Batch, ItemResult

# The user-side client, ``Chat``, comes from ``relchain.client._chat`` (the user gateway's work).

__all__ = [
    "AccountCheck",
    "AddFriend",
    "AddType",
    "Admin",
    "AdminForbidType",
    "AllowType",
    "ApiError",
    "AsyncAdmin",
    "AuthError",
    "Batch",
    "BlockCheckType",
    "BlockRelation",
    "BlockedUser",
    "BlocklistCheck",
    "BlocklistPage",
    "CheckType",
    "ConnectError",
    "DeleteType",
    "Event",
    "FeatureDisabled",
    "FollowCheck",
    "FollowCounts",
    "FollowEntry",
    "FollowPage",
    "FollowType",
    "Friend",
    "FriendCheck",
    "FriendInfo",
    "FriendList",
    "FriendLists",
    "FriendPage",
    "FriendRelation",
    "Gender",
    "ImportFriend",
    "ImportResult",
    "InvalidRequest",
    "ItemResult",
    "LimitExceeded",
    "ListChange",
    "NewAccount",
    "NotFound",
    "PermissionDenied",
    "ProfileTag",
    "ProtocolError",
    "RateLimited",
    "RelchainError",
    "Retry",
    "ServerError",
    "SnsTag",
    "TransportError",
    "UpdateFriend",
    "UserProfile",
    "generate_usersig",
]
