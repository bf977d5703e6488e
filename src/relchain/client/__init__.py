"""relchain's Python client: ``Admin`` / ``AsyncAdmin`` for the REST API (every API of
relchain, also usable against Tencent's own), and ``Chat``, a user over the Web SDK's own
protocol (the user gateway) with its calls and events; the exceptions, UserSigs and ``Event``.

It stands alone: it needs httpx and websockets only and imports nothing from the server's
packages (an import-linter contract in pyproject.toml keeps it so). Docs: docs/client.md.
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
from relchain.client._chat import Chat, FriendApplications
from relchain.client._chat_blocking import BlockingChat
from relchain.client._chat_events import (
    BlocklistChange,
    ChatEvent,
    FollowListChange,
    FriendListChange,
    FriendRequest,
    FriendRequestChange,
    ProfileChange,
)
from relchain.client._chat_socket import Backoff
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
    "Backoff",
    "Batch",
    "BlockCheckType",
    "BlockRelation",
    "BlockedUser",
    "BlockingChat",
    "BlocklistChange",
    "BlocklistCheck",
    "BlocklistPage",
    "Chat",
    "ChatEvent",
    "CheckType",
    "ConnectError",
    "DeleteType",
    "Event",
    "FeatureDisabled",
    "FollowCheck",
    "FollowCounts",
    "FollowEntry",
    "FollowListChange",
    "FollowPage",
    "FollowType",
    "Friend",
    "FriendApplications",
    "FriendCheck",
    "FriendInfo",
    "FriendList",
    "FriendListChange",
    "FriendLists",
    "FriendPage",
    "FriendRelation",
    "FriendRequest",
    "FriendRequestChange",
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
    "ProfileChange",
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
