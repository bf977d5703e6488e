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
