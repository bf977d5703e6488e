"""TLS Sig API v2 UserSigs, made the way the official ``tls-sig-api-v2`` generators make them.

The client has its own copy (it imports nothing from the server packages); the tests check that
it gives the official Python port's bytes and that the server accepts it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
import zlib
from collections.abc import Callable

__all__ = ["DEFAULT_EXPIRE", "UserSigCache", "generate_usersig"]

DEFAULT_EXPIRE = 180 * 86400  # the official generators' default validity
_URLSAFE = str.maketrans({"+": "*", "/": "-", "=": "_"})


def generate_usersig(
    key: str, sdkappid: int, user_id: str, expire: int = DEFAULT_EXPIRE, now: int | None = None
) -> str:
    """A UserSig for ``user_id`` of app ``sdkappid``, valid ``expire`` seconds from ``now``
    (Unix seconds; the current time when not given), signed with the app's secret ``key``."""
    made = int(time.time()) if now is None else now
    signed = (
        f"TLS.identifier:{user_id}\nTLS.sdkappid:{sdkappid}\nTLS.time:{made}\nTLS.expire:{expire}\n"
    )
    digest = hmac.new(key.encode("utf-8"), signed.encode("utf-8"), hashlib.sha256).digest()
    doc = {
        "TLS.ver": "2.0",
        "TLS.identifier": user_id,
        "TLS.sdkappid": sdkappid,
        "TLS.expire": expire,
        "TLS.time": made,
        "TLS.sig": base64.b64encode(digest).decode("ascii"),
    }
    compressed = zlib.compress(json.dumps(doc).encode("utf-8"))
    return base64.b64encode(compressed).decode("ascii").translate(_URLSAFE)


class UserSigCache:
    """One identifier's UserSig, made when first needed and made again once ``renew_after``
    (default 90 %) of its ``expire`` seconds have passed, or after :meth:`invalidate`."""

    def __init__(
        self,
        key: str,
        sdkappid: int,
        identifier: str,
        expire: int = 86400,
        *,
        renew_after: float = 0.9,
        clock: Callable[[], float] = time.time,
    ) -> None:
        if expire < 1:
            raise ValueError(f"expire: must be at least 1 second, got {expire}")
        self._key = key
        self._sdkappid = sdkappid
        self._identifier = identifier
        self._expire = expire
        self._lifetime = expire * renew_after
        self._clock = clock
        self._sig = ""
        self._made_at = 0.0

    def __repr__(self) -> str:  # never shows the key
        return f"UserSigCache(sdkappid={self._sdkappid}, identifier={self._identifier!r})"

    def get(self) -> str:
        now = self._clock()
        if not self._sig or now - self._made_at >= self._lifetime or now < self._made_at:
            self._sig = generate_usersig(
                self._key, self._sdkappid, self._identifier, self._expire, int(now)
            )
            self._made_at = now
        return self._sig

    def invalidate(self) -> None:
        """Forget the cached UserSig (the server refused it); the next :meth:`get` makes one."""
        self._sig = ""
