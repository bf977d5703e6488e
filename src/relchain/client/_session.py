"""What ``Admin`` and ``AsyncAdmin`` share, without I/O: the app and its UserSig, the query of
each call, reading an answer into a result or an exception, and when to try again."""

from __future__ import annotations

import random
import secrets
from typing import Any, TypeVar

import httpx

from relchain.client._endpoint import Request
from relchain.client._errors import (
    AuthError,
    ConnectError,
    ProtocolError,
    RateLimited,
    RelchainError,
    TransportError,
    api_error,
)
from relchain.client._retry import Retry
from relchain.client._usersig import UserSigCache
from relchain.client._wire import Reader

__all__ = ["DEFAULT_TIMEOUT", "DEFAULT_USERSIG_EXPIRE", "USER_AGENT", "Attempts", "Session"]

T = TypeVar("T")

DEFAULT_TIMEOUT = 10.0  # Tencent: the server side gives up after 3 s; clients wait longer
DEFAULT_USERSIG_EXPIRE = 86400  # the admin UserSig's validity
USER_AGENT = "relchain-client"
PROXY_STATUSES = frozenset({502, 503, 504})  # a proxy in front could not reach the server
SIG_EXPIRED = 70001
NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)


def root_url(base_url: str) -> str:
    """The server's root: ``http://host:8080`` as given, or with Tencent's ``/v4`` taken off
    (``https://console.tim.qq.com/v4``), so either form works."""
    root = str(base_url).rstrip("/")
    return root.removesuffix("/v4")


class Session:
    """The app an admin client acts for (SDKAppID, admin identifier and its cached UserSig)."""

    def __init__(
        self,
        base_url: str,
        sdkappid: int,
        key: str,
        admin: str,
        *,
        retry: Retry | None,
        expire: int,
    ) -> None:
        self.root = root_url(base_url)
        self.sdkappid = int(sdkappid)
        self.admin = admin
        self.retry = retry or Retry()
        self.usersig = UserSigCache(key, self.sdkappid, admin, expire)
        self.jitter = random.Random()  # noqa: S311 - jitter, not a secret

    def __repr__(self) -> str:
        return f"{self.root!r}, sdkappid={self.sdkappid}, admin={self.admin!r}"

    def http_options(self, timeout: float | httpx.Timeout) -> dict[str, Any]:
        """The settings of the httpx client (other than its transport)."""
        return {"base_url": self.root, "timeout": timeout, "headers": {"User-Agent": USER_AGENT}}

    def url(self, request: Request[Any]) -> str:
        return f"/v4/{request.path}"

    def params(self) -> dict[str, str | int]:
        """The query of one call, in the order Tencent's docs give it (a fresh ``random``)."""
        return {
            "sdkappid": self.sdkappid,
            "identifier": self.admin,
            "usersig": self.usersig.get(),
            "random": secrets.randbelow(2**32),
            "contenttype": "json",
        }

    def read(self, request: Request[T], response: httpx.Response) -> T:
        """The result of a call from its HTTP response, or the exception it means."""
        try:
            data = response.json()
        except ValueError:
            data = None
        if isinstance(data, dict) and data.get("ErrorCode"):
            answer = Reader(data, request.path)
            raise api_error(
                request.path,
                answer.integer("ErrorCode"),
                answer.text("ErrorInfo", ""),
                answer.text("ErrorDisplay", ""),
            )
        if response.status_code != httpx.codes.OK:
            raise ProtocolError(
                f"{request.path}: HTTP {response.status_code} {response.reason_phrase}",
                status_code=response.status_code,
            )
        if not isinstance(data, dict):
            raise ProtocolError(f"{request.path}: the answer is not a JSON object")
        answer = Reader(data, request.path)
        if answer.integer("ErrorCode") != 0 or answer.text("ActionStatus", "OK") != "OK":
            raise ProtocolError(f"{request.path}: ActionStatus FAIL without an ErrorCode")
        return request.parse(answer)

    def transport_error(self, request: Request[Any], exc: httpx.TransportError) -> TransportError:
        cls = ConnectError if isinstance(exc, NOT_SENT) else TransportError
        return cls(f"{request.path}: {type(exc).__name__}: {exc}")

    def attempts(self, request: Request[Any]) -> Attempts:
        return Attempts(self, request)


class Attempts:
    """The tries of one call: after each failure, :meth:`after` says how long to wait before the
    next try, or None when the failure is final."""

    def __init__(self, session: Session, request: Request[Any]) -> None:
        self.session = session
        self.request = request
        self.retries = 0
        self.resigned = False

    def after(self, error: RelchainError) -> float | None:
        policy = self.session.retry
        if self.retries + 1 >= policy.attempts:
            if self.retries:
                error.add_note(f"gave up after {self.retries + 1} attempts")
            return None
        if isinstance(error, AuthError) and error.error_code == SIG_EXPIRED and not self.resigned:
            # the cached UserSig ran out (a clock ahead of ours): make a new one, once
            self.session.usersig.invalidate()
            self.resigned = True
            delay = 0.0
        elif self._retryable(error):
            delay = policy.delay(self.retries, self.session.jitter.random())
        else:
            return None
        self.retries += 1
        return delay

    def _retryable(self, error: RelchainError) -> bool:
        if isinstance(error, RateLimited | ConnectError):
            return True  # refused before any work / never sent
        if not self.request.read:
            return False
        if isinstance(error, TransportError):
            return True
        return isinstance(error, ProtocolError) and error.status_code in PROXY_STATUSES
