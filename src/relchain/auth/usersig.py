"""TLS Sig API v2 UserSig: the same bytes the official generators make, and their verification.

Verification order (docs/design.md, "The request path"): not decodable -> 70003; sdkappid
mismatch -> 70014; identifier mismatch -> 70013; expired -> 70001; HMAC mismatch -> 70009. A
UserSig whose ``TLS.time`` lies more than five minutes in the future is refused as invalid
(70003). UserSigs of the generators' ``gen_sig_with_userbuf`` (``genSig`` with a buffer in Node)
carry ``TLS.userbuf``, which is part of the signed content.

Decoding is bounded before credentials are known: at most 4096 characters, inflating to at most
16 KiB, parsed by orjson (nesting limited, no Python recursion), so no UserSig costs more than a
few microseconds to refuse.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import zlib
from dataclasses import dataclass

import orjson

from relchain.domain.errors import Code

__all__ = ["MAX_CLOCK_SKEW", "SigError", "VerifiedSig", "generate_usersig", "verify_usersig"]

MAX_CLOCK_SKEW = 300
MAX_USERSIG_LENGTH = 4096
MAX_DOCUMENT_BYTES = 16384
_TO_URLSAFE = str.maketrans({"+": "*", "/": "-", "=": "_"})
_FROM_URLSAFE = str.maketrans({"*": "+", "-": "/", "_": "="})


class SigError(Exception):
    """A UserSig was refused; ``code`` is the wire code, ``reason`` what was wrong."""

    def __init__(self, code: Code, reason: str) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason


@dataclass(frozen=True, slots=True)
class VerifiedSig:
    """What a good UserSig says: who, for which app, valid until when (Unix seconds)."""

    sdkappid: int
    identifier: str
    expires_at: int


def _hmac_b64(
    key: str, identifier: str, sdkappid: int, time: int, expire: int, *, userbuf: str | None = None
) -> str:
    content = (
        f"TLS.identifier:{identifier}\nTLS.sdkappid:{sdkappid}\n"
        f"TLS.time:{time}\nTLS.expire:{expire}\n"
    )
    if userbuf is not None:
        content += f"TLS.userbuf:{userbuf}\n"
    digest = hmac.new(key.encode("utf-8"), content.encode("utf-8"), hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


def generate_usersig(key: str, sdkappid: int, identifier: str, expire: int, now: int) -> str:
    """Make a UserSig exactly as the official ``tls-sig-api-v2`` generators do."""
    doc = {
        "TLS.ver": "2.0",
        "TLS.identifier": identifier,
        "TLS.sdkappid": sdkappid,
        "TLS.expire": expire,
        "TLS.time": now,
        "TLS.sig": _hmac_b64(key, identifier, sdkappid, now, expire),
    }
    compressed = zlib.compress(json.dumps(doc).encode("utf-8"))
    return base64.b64encode(compressed).decode("ascii").translate(_TO_URLSAFE)


def decode_usersig(usersig: str) -> dict[str, object]:
    """The JSON document inside a UserSig; raises :class:`SigError` (70002/70003)."""
    if not usersig:
        raise SigError(Code.SIG_EMPTY, "usersig: missing or empty")
    if len(usersig) > MAX_USERSIG_LENGTH:
        raise SigError(Code.SIG_INVALID, "usersig: too long to be a UserSig")
    try:
        raw = base64.b64decode(usersig.translate(_FROM_URLSAFE), validate=True)
        inflater = zlib.decompressobj()
        document = inflater.decompress(raw, MAX_DOCUMENT_BYTES)
        if inflater.unconsumed_tail:
            raise SigError(Code.SIG_INVALID, "usersig: inflates to more than a UserSig holds")
        doc = orjson.loads(document)
    except (binascii.Error, ValueError, zlib.error):  # orjson's JSONDecodeError is a ValueError
        raise SigError(Code.SIG_INVALID, "usersig: not a TLS Sig API v2 UserSig") from None
    if not isinstance(doc, dict):
        raise SigError(Code.SIG_INVALID, "usersig: not a TLS Sig API v2 UserSig")
    return doc


def verify_usersig(usersig: str, key: str, sdkappid: int, identifier: str, now: int) -> VerifiedSig:
    """Check a UserSig for ``identifier`` of app ``sdkappid`` at Unix time ``now``."""
    doc = decode_usersig(usersig)
    sig_app = doc.get("TLS.sdkappid")
    sig_id = doc.get("TLS.identifier")
    sig_time = doc.get("TLS.time")
    sig_expire = doc.get("TLS.expire")
    sig = doc.get("TLS.sig")
    userbuf = doc.get("TLS.userbuf")
    if doc.get("TLS.ver") != "2.0":
        raise SigError(Code.SIG_INVALID, "usersig: not a TLS Sig API v2 UserSig (TLS.ver)")
    if (
        not _is_int(sig_app)
        or not isinstance(sig_id, str)
        or not _is_int(sig_time)
        or not _is_int(sig_expire)
        or not isinstance(sig, str)
        or not (userbuf is None or isinstance(userbuf, str))
    ):
        raise SigError(Code.SIG_INVALID, "usersig: a TLS.* field is missing or of the wrong type")
    assert isinstance(sig_app, int) and isinstance(sig_time, int) and isinstance(sig_expire, int)
    if sig_app != sdkappid:
        raise SigError(
            Code.SIG_SDKAPPID_MISMATCH,
            f"usersig: made for sdkappid {sig_app}, but the URL says sdkappid {sdkappid}",
        )
    if sig_id != identifier:
        raise SigError(
            Code.SIG_IDENTIFIER_MISMATCH,
            "usersig: made for another identifier than the URL's identifier",
        )
    if sig_time > now + MAX_CLOCK_SKEW:
        raise SigError(Code.SIG_INVALID, "usersig: TLS.time lies in the future")
    if now > sig_time + sig_expire:
        raise SigError(Code.SIG_EXPIRED, "usersig: expired; generate a new one")
    expected = _hmac_b64(key, sig_id, sig_app, sig_time, sig_expire, userbuf=userbuf)
    if not hmac.compare_digest(expected.encode("ascii"), sig.encode("utf-8", "replace")):
        raise SigError(Code.SIG_MISMATCH, "usersig: signature check failed (wrong key)")
    return VerifiedSig(sdkappid=sig_app, identifier=sig_id, expires_at=sig_time + sig_expire)


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)
