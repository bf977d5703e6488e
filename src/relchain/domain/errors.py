"""Wire error codes and the exceptions that carry them.

Every failure that reaches a client is an :class:`ApiError` with the exact Tencent ``ErrorCode``
and an ``ErrorInfo`` that names the field and the reason. Partial batch failures are values
(per-item result codes), never exceptions.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

__all__ = [
    "ACCOUNT",
    "FOLLOW",
    "MEANINGS",
    "PROFILE",
    "SNS",
    "AccountMissing",
    "ApiError",
    "Code",
    "ServiceGroup",
]


class Code(IntEnum):
    """Every ``ErrorCode`` relchain sends."""

    OK = 0
    # relationship chain (sns) and follow
    SNS_BAD_PARAM = 30001
    SNS_SDKAPPID_MISMATCH = 30002
    SNS_ACCOUNT_NOT_FOUND = 30003
    SNS_NOT_ADMIN = 30004
    FOLLOW_DISABLED = 30005  # follow: feature switched off; sns: sensitive words
    SNS_INTERNAL = 30006
    SNS_TIMEOUT = 30007
    SNS_WRITE_CONFLICT = 30008
    SNS_ADD_FORBIDDEN = 30009
    SNS_MY_FRIENDS_FULL = 30010
    SNS_TOO_MANY_LISTS = 30011
    SNS_TOO_MANY_PENDING = 30012
    SNS_BLOCKLIST_FULL = 30013
    SNS_PEER_FRIENDS_FULL = 30014
    SNS_PEER_IN_MY_BLOCKLIST = 30515
    SNS_PEER_DENY_ANY = 30516
    SNS_IN_PEER_BLOCKLIST = 30525
    SNS_PENDING = 30539
    SNS_NOT_FRIEND_GET_LIST = 31211
    SNS_NOT_FRIEND_DELETE = 31704
    FOLLOW_MY_FOLLOWING_FULL = 32100
    FOLLOW_PEER_FOLLOWERS_FULL = 32101
    FOLLOW_MY_MUTUAL_FULL = 32102
    FOLLOW_PEER_MUTUAL_FULL = 32103
    SNS_GROUP_NOT_FRIEND = 32216
    # profile
    PROFILE_BAD_PARAM = 40001
    PROFILE_TO_ACCOUNT_MISSING = 40002
    PROFILE_ACCOUNT_NOT_FOUND = 40003
    PROFILE_NOT_ADMIN = 40004
    PROFILE_INTERNAL = 40006
    PROFILE_TAG_NOT_FOUND = 40009
    PROFILE_VALUE_TOO_LONG = 40601
    PROFILE_BAD_VALUE = 40605
    PROFILE_BAD_VALUE_TYPE = 40610
    # REST common
    HTTP_PARSE = 60002
    JSON_PARSE = 60003
    SDKAPPID_INVALID = 60006
    RATE_LIMITED = 60007
    BAD_RESOURCE = 60009
    SDKAPPID_MISSING = 60012
    # account / UserSig
    SIG_EXPIRED = 70001
    SIG_EMPTY = 70002
    SIG_INVALID = 70003
    SIG_MISMATCH = 70009
    SIG_IDENTIFIER_MISMATCH = 70013
    SIG_SDKAPPID_MISMATCH = 70014
    ACCOUNT_NOT_FOUND = 70107
    ACCOUNT_BAD_BATCH = 70206
    ACCOUNT_BAD_PARAM = 70402
    ACCOUNT_NOT_ADMIN = 70403
    ACCOUNT_INTERNAL = 70500


# What each code means, in a sentence (the console explains answers with it; docs/api/errors.md
# is generated from it). A test fails when a code has no meaning.
MEANINGS: dict[Code, str] = {
    Code.OK: "Success.",
    Code.SNS_BAD_PARAM: "Bad parameter (follow, friend, blocklist or friend-list API): a field is "
    "missing, of the wrong type or out of range; ErrorInfo names it. Per item: following "
    "oneself, or an item that is not valid.",
    Code.SNS_SDKAPPID_MISMATCH: "The SDKAppID does not match the one of the request.",
    Code.SNS_ACCOUNT_NOT_FOUND: "The account does not exist (import it first with "
    "account_import). For the whole request: From_Account; per item: To_Account.",
    Code.SNS_NOT_ADMIN: "The identifier in the URL is not an admin of the app; REST calls need "
    "an app admin.",
    Code.FOLLOW_DISABLED: "Follow APIs: the app's follow feature is switched off (setting "
    "follow_enabled). Friend APIs: a field holds sensitive words.",
    Code.SNS_INTERNAL: "Internal error; see the server log.",
    Code.SNS_TIMEOUT: "The server timed out; retry.",
    Code.SNS_WRITE_CONFLICT: "Write conflict on the same user; retry, or batch the changes.",
    Code.SNS_ADD_FORBIDDEN: "The caller is not allowed to add friends.",
    Code.SNS_MY_FRIENDS_FULL: "From_Account's friend list is full (setting max_friends).",
    Code.SNS_TOO_MANY_LISTS: "Too many friend lists (setting max_friend_lists).",
    Code.SNS_TOO_MANY_PENDING: "Too many pending friend requests (setting max_pending_requests).",
    Code.SNS_BLOCKLIST_FULL: "The blocklist is full (setting max_blocklist).",
    Code.SNS_PEER_FRIENDS_FULL: "To_Account's friend list is full (setting max_friends).",
    Code.SNS_PEER_IN_MY_BLOCKLIST: "To_Account is on From_Account's blocklist.",
    Code.SNS_PEER_DENY_ANY: "To_Account refuses every friend request (AllowType_Type_DenyAny).",
    Code.SNS_IN_PEER_BLOCKLIST: "From_Account is on To_Account's blocklist.",
    Code.SNS_PENDING: "A friend request is pending: To_Account must accept it "
    "(AllowType_Type_NeedConfirm). Not a failure of the call.",
    Code.SNS_NOT_FRIEND_GET_LIST: "To_Account is not a friend of From_Account.",
    Code.SNS_NOT_FRIEND_DELETE: "To_Account is not a friend of From_Account, so there is "
    "nothing to delete.",
    Code.FOLLOW_MY_FOLLOWING_FULL: "From_Account follows as many accounts as allowed "
    "(setting max_following).",
    Code.FOLLOW_PEER_FOLLOWERS_FULL: "To_Account has as many followers as allowed "
    "(setting max_followers).",
    Code.FOLLOW_MY_MUTUAL_FULL: "The follow would make a mutual pair, and From_Account has as "
    "many mutual follows as allowed (setting max_mutual).",
    Code.FOLLOW_PEER_MUTUAL_FULL: "The follow would make a mutual pair, and To_Account has as "
    "many mutual follows as allowed (setting max_mutual).",
    Code.SNS_GROUP_NOT_FRIEND: "The account is not a friend, so it cannot be put in a friend list.",
    Code.PROFILE_BAD_PARAM: "Bad parameter (profile API): ErrorInfo names the field.",
    Code.PROFILE_TO_ACCOUNT_MISSING: "To_Account is missing.",
    Code.PROFILE_ACCOUNT_NOT_FOUND: "The account does not exist (import it first).",
    Code.PROFILE_NOT_ADMIN: "The identifier in the URL is not an admin of the app; REST calls "
    "need an app admin.",
    Code.PROFILE_INTERNAL: "Internal error; see the server log.",
    Code.PROFILE_TAG_NOT_FOUND: "The profile tag does not exist: a custom tag must be "
    "registered first (setting custom_profile_tags).",
    Code.PROFILE_VALUE_TOO_LONG: "A profile value is longer than 500 bytes.",
    Code.PROFILE_BAD_VALUE: "A value that a standard profile tag does not accept.",
    Code.PROFILE_BAD_VALUE_TYPE: "A profile value of the wrong type for its tag.",
    Code.HTTP_PARSE: "The URL or the request is malformed (method, identifier, random, "
    "contenttype); ErrorInfo says which.",
    Code.JSON_PARSE: "The body is not a JSON object, or is too large.",
    Code.SDKAPPID_INVALID: "No app has this SDKAppID.",
    Code.RATE_LIMITED: "Over the app's limit of calls per second for this API (settings "
    "rate_limit and rate_limits); retry later.",
    Code.BAD_RESOURCE: "No API at this path: check the URL.",
    Code.SDKAPPID_MISSING: "The URL has no sdkappid.",
    Code.SIG_EXPIRED: "The UserSig has expired: make a new one.",
    Code.SIG_EMPTY: "The URL has no usersig.",
    Code.SIG_INVALID: "The UserSig cannot be read as a TLS Sig API v2 UserSig (or its time lies "
    "in the future).",
    Code.SIG_MISMATCH: "The UserSig's signature is wrong: it was made with another key.",
    Code.SIG_IDENTIFIER_MISMATCH: "The UserSig was made for another identifier than the URL's.",
    Code.SIG_SDKAPPID_MISMATCH: "The UserSig was made for another SDKAppID than the URL's.",
    Code.ACCOUNT_NOT_FOUND: "The account does not exist.",
    Code.ACCOUNT_BAD_BATCH: "Too many or too few items in a batch.",
    Code.ACCOUNT_BAD_PARAM: "Bad parameter (account API): ErrorInfo names the field.",
    Code.ACCOUNT_NOT_ADMIN: "The identifier in the URL is not an admin of the app; REST calls "
    "need an app admin.",
    Code.ACCOUNT_INTERNAL: "Internal error; see the server log.",
}


@dataclass(frozen=True, slots=True)
class ServiceGroup:
    """The codes one API family uses for the failures every family has."""

    name: str
    bad_param: Code
    not_admin: Code
    internal: Code
    account_missing: Code


ACCOUNT = ServiceGroup(
    "im_open_login_svc",
    Code.ACCOUNT_BAD_PARAM,
    Code.ACCOUNT_NOT_ADMIN,
    Code.ACCOUNT_INTERNAL,
    Code.ACCOUNT_NOT_FOUND,
)
PROFILE = ServiceGroup(
    "profile",
    Code.PROFILE_BAD_PARAM,
    Code.PROFILE_NOT_ADMIN,
    Code.PROFILE_INTERNAL,
    Code.PROFILE_ACCOUNT_NOT_FOUND,
)
SNS = ServiceGroup(
    "sns", Code.SNS_BAD_PARAM, Code.SNS_NOT_ADMIN, Code.SNS_INTERNAL, Code.SNS_ACCOUNT_NOT_FOUND
)
FOLLOW = ServiceGroup(
    "follow", Code.SNS_BAD_PARAM, Code.SNS_NOT_ADMIN, Code.SNS_INTERNAL, Code.SNS_ACCOUNT_NOT_FOUND
)


class ApiError(Exception):
    """A whole-request failure: answered as ``ActionStatus: FAIL`` with ``code`` and ``info``."""

    def __init__(self, code: int, info: str) -> None:
        super().__init__(f"{int(code)}: {info}")
        self.code = int(code)
        self.info = info


class AccountMissing(ApiError):
    """A whole-request failure: the calling account (``user_id``) does not exist. ``code`` is
    the API family's "no such account" code; ``relchain.http`` writes the text naming the field.
    """

    def __init__(self, code: int, user_id: str) -> None:
        super().__init__(code, f"account {user_id!r} does not exist")
        self.user_id = user_id
