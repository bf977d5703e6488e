"""The exceptions of the client: one base, transport and protocol failures, and one class per
family of Tencent ``ErrorCode`` for whole-request failures.

Per-item failures of batch calls (``ResultItem[].ResultCode``) are values, never exceptions.
"""

from __future__ import annotations

__all__ = [
    "ApiError",
    "AuthError",
    "ConnectError",
    "FeatureDisabled",
    "InvalidRequest",
    "LimitExceeded",
    "NotFound",
    "PermissionDenied",
    "ProtocolError",
    "RateLimited",
    "RelchainError",
    "ServerError",
    "TransportError",
    "api_error",
]


class RelchainError(Exception):
    """Base of every exception the client raises."""


class TransportError(RelchainError):
    """The server could not be reached or did not answer (timeout, connection reset...).
    The :class:`httpx.TransportError` is the ``__cause__``. A write may have been done."""


class ConnectError(TransportError):
    """No connection could be opened: the request was never sent."""


class ProtocolError(RelchainError):
    """The answer is not Tencent's envelope: an HTTP status other than 200 (``status_code``),
    a body that is not a JSON object, or a field missing or of the wrong type."""

    def __init__(self, message: str, *, status_code: int | None = None) -> None:
        super().__init__(message)
        self.status_code = status_code


class ApiError(RelchainError):
    """A whole-request failure (``ActionStatus: "FAIL"``).

    ``error_code`` / ``error_info`` / ``error_display`` are the wire's ``ErrorCode`` /
    ``ErrorInfo`` / ``ErrorDisplay``; ``path`` is the API (``"follow/follow_add"``).
    """

    def __init__(
        self, path: str, error_code: int, error_info: str, error_display: str = ""
    ) -> None:
        super().__init__(f"{path}: {error_code} {error_info}".rstrip())
        self.path = path
        self.error_code = error_code
        self.error_info = error_info
        self.error_display = error_display


class RateLimited(ApiError):
    """Over the app's call rate (60007 and Tencent's other frequency codes); nothing was done.
    Raised only after the client's retries (see ``Retry``) were used up."""


class AuthError(ApiError):
    """The UserSig or the app was refused: 70001 expired, 70002 empty, 70003 invalid, 70009
    wrong key, 70013/70014 made for another identifier/app, 60006 unknown SDKAppID, ..."""


class PermissionDenied(ApiError):
    """The caller may not do this: not an app admin (30004 follow/sns, 40004 profile, 70403
    account, 60010), or the user may not send friend requests (30009)."""


class InvalidRequest(ApiError):
    """A field is missing, of the wrong type or out of range (30001, 40001, 70402, ...), or the
    URL or body is malformed (60002, 60003, 60009). ``error_info`` names the field."""


class NotFound(ApiError):
    """The account the request acts for does not exist (30003, 40003, 70107)."""


class LimitExceeded(ApiError):
    """A per-user limit of the app would be passed (friends 30010/30014, lists 30011, pending
    requests 30012, blocklist 30013, follows 32100..32103)."""


class FeatureDisabled(ApiError):
    """The app's follow feature is switched off (30005 on ``follow/*``)."""


class ServerError(ApiError):
    """The server failed (30006, 40006, 70500: see its log) or timed out (30007, 60008)."""


_FAMILIES: dict[type[ApiError], tuple[int, ...]] = {
    RateLimited: (60007, 60011, 60018, 60019),
    AuthError: (
        60004, 60005, 60006, 60016, 70001, 70002, 70003, 70004, 70005, 70006, 70007, 70008,
        70009, 70010, 70013, 70014, 70016, 70020, 70050, 70051,
    ),
    PermissionDenied: (30004, 30009, 40004, 60010, 60017, 60021, 70403, 71000),
    InvalidRequest: (
        30001, 40001, 40002, 40009, 40601, 40605, 40610, 60002, 60003, 60009, 60012, 60015,
        70206, 70402,
    ),
    NotFound: (30003, 40003, 70107),
    LimitExceeded: (30010, 30011, 30012, 30013, 30014, 32100, 32101, 32102, 32103, 70398),
    ServerError: (30006, 30007, 30008, 40006, 60008, 60022, 70169, 70202, 70500),
}  # fmt: skip
_BY_CODE: dict[int, type[ApiError]] = {
    code: cls for cls, codes in _FAMILIES.items() for code in codes
}
FOLLOW_DISABLED = 30005  # follow: feature off; sns: sensitive words (a plain ApiError there)


def api_error(path: str, error_code: int, error_info: str, error_display: str = "") -> ApiError:
    """The exception for a failed answer of ``path``: the class of its code's family, or
    :class:`ApiError` for a code without one."""
    cls = _BY_CODE.get(error_code, ApiError)
    if error_code == FOLLOW_DISABLED and path.startswith("follow"):
        cls = FeatureDisabled
    return cls(path, error_code, error_info, error_display)
