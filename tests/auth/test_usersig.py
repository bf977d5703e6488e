"""UserSig v2: the spec's test vector, the official generator, and every refusal code."""

from __future__ import annotations

import base64
import json
import zlib

import pytest
import TLSSigAPIv2

from relchain.auth.usersig import (
    MAX_CLOCK_SKEW,
    SigError,
    _hmac_b64,
    decode_usersig,
    generate_usersig,
    verify_usersig,
)
from relchain.domain.errors import Code

VECTOR_KEY = "5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e"
VECTOR_APP = 1400000000
NOW = 1_600_000_000
EXPIRE = 15_552_000


def encode_doc(doc: dict[str, object]) -> str:
    raw = base64.b64encode(zlib.compress(json.dumps(doc).encode())).decode()
    return raw.replace("+", "*").replace("/", "-").replace("=", "_")


def test_hmac_matches_the_spec_test_vector() -> None:
    assert (
        _hmac_b64(VECTOR_KEY, "xiaojun", VECTOR_APP, NOW, EXPIRE)
        == "1Z5PngDjGaufeSiPoBuxdHY7EK3JTdAjMP93S4KvV3M="
    )


def test_generated_usersig_carries_the_vector_signature() -> None:
    doc = decode_usersig(generate_usersig(VECTOR_KEY, VECTOR_APP, "xiaojun", EXPIRE, NOW))
    assert doc["TLS.sig"] == "1Z5PngDjGaufeSiPoBuxdHY7EK3JTdAjMP93S4KvV3M="
    assert doc["TLS.ver"] == "2.0"


def test_official_python_generator_is_accepted() -> None:
    sig = TLSSigAPIv2.TLSSigAPIv2(VECTOR_APP, VECTOR_KEY).gen_sig("xiaojun", EXPIRE)
    doc = decode_usersig(sig)
    assert isinstance(doc["TLS.time"], int)
    verified = verify_usersig(sig, VECTOR_KEY, VECTOR_APP, "xiaojun", doc["TLS.time"] + 10)
    assert verified.identifier == "xiaojun"
    assert verified.expires_at == doc["TLS.time"] + EXPIRE


def test_node_style_compact_json_with_time_before_expire_is_accepted() -> None:
    sig = _hmac_b64(VECTOR_KEY, "xiaojun", VECTOR_APP, NOW, EXPIRE)
    doc = {
        "TLS.ver": "2.0",
        "TLS.identifier": "xiaojun",
        "TLS.sdkappid": VECTOR_APP,
        "TLS.time": NOW,
        "TLS.expire": EXPIRE,
        "TLS.sig": sig,
    }
    raw = zlib.compress(json.dumps(doc, separators=(",", ":")).encode(), 0)
    usersig = base64.b64encode(raw).decode().translate(str.maketrans("+/=", "*-_"))
    assert verify_usersig(usersig, VECTOR_KEY, VECTOR_APP, "xiaojun", NOW).sdkappid == VECTOR_APP


def refusal(usersig: str, *, app: int = VECTOR_APP, who: str = "xiaojun", now: int = NOW) -> int:
    with pytest.raises(SigError) as caught:
        verify_usersig(usersig, VECTOR_KEY, app, who, now)
    return int(caught.value.code)


GOOD = generate_usersig(VECTOR_KEY, VECTOR_APP, "xiaojun", EXPIRE, NOW)


def test_empty_usersig_is_70002() -> None:
    assert refusal("") == Code.SIG_EMPTY


@pytest.mark.parametrize(
    "garbage",
    ["not-base64!!", encode_doc({}).replace("_", "") + "@", base64.b64encode(b"plain").decode()],
)
def test_undecodable_usersig_is_70003(garbage: str) -> None:
    assert refusal(garbage) == Code.SIG_INVALID


def test_json_that_is_not_an_object_is_70003() -> None:
    raw = base64.b64encode(zlib.compress(b"[1,2]")).decode().translate(str.maketrans("+/=", "*-_"))
    assert refusal(raw) == Code.SIG_INVALID


def test_missing_sig_field_is_70003() -> None:
    doc = {
        "TLS.identifier": "xiaojun",
        "TLS.sdkappid": VECTOR_APP,
        "TLS.time": NOW,
        "TLS.expire": EXPIRE,
    }
    assert refusal(encode_doc(doc)) == Code.SIG_INVALID


def test_other_sdkappid_is_70014_before_identifier() -> None:
    assert refusal(GOOD, app=VECTOR_APP + 1, who="someone-else") == Code.SIG_SDKAPPID_MISMATCH


def test_other_identifier_is_70013() -> None:
    assert refusal(GOOD, who="someone-else") == Code.SIG_IDENTIFIER_MISMATCH


def test_expired_is_70001_and_the_last_valid_second_passes() -> None:
    assert verify_usersig(GOOD, VECTOR_KEY, VECTOR_APP, "xiaojun", NOW + EXPIRE)
    assert refusal(GOOD, now=NOW + EXPIRE + 1) == Code.SIG_EXPIRED


def test_expired_wins_over_a_bad_hmac() -> None:
    forged = generate_usersig("another-key", VECTOR_APP, "xiaojun", 10, NOW)
    assert refusal(forged, now=NOW + 11) == Code.SIG_EXPIRED


def test_wrong_key_is_70009() -> None:
    assert (
        refusal(generate_usersig("other", VECTOR_APP, "xiaojun", EXPIRE, NOW)) == Code.SIG_MISMATCH
    )


def test_time_more_than_five_minutes_ahead_is_70003() -> None:
    future = generate_usersig(VECTOR_KEY, VECTOR_APP, "xiaojun", EXPIRE, NOW + MAX_CLOCK_SKEW + 1)
    assert refusal(future) == Code.SIG_INVALID
    near = generate_usersig(VECTOR_KEY, VECTOR_APP, "xiaojun", EXPIRE, NOW + MAX_CLOCK_SKEW)
    assert verify_usersig(near, VECTOR_KEY, VECTOR_APP, "xiaojun", NOW)


def test_boolean_sdkappid_is_not_a_number() -> None:
    doc = {
        "TLS.identifier": "xiaojun",
        "TLS.sdkappid": True,
        "TLS.time": NOW,
        "TLS.expire": EXPIRE,
        "TLS.sig": "x",
    }
    assert refusal(encode_doc(doc)) == Code.SIG_INVALID


@pytest.mark.parametrize("version", [None, "1.0", 2.0])
def test_usersig_that_is_not_version_2_is_70003(version: object) -> None:
    doc: dict[str, object] = {
        "TLS.identifier": "xiaojun",
        "TLS.sdkappid": VECTOR_APP,
        "TLS.time": NOW,
        "TLS.expire": EXPIRE,
        "TLS.sig": _hmac_b64(VECTOR_KEY, "xiaojun", VECTOR_APP, NOW, EXPIRE),
    }
    if version is not None:
        doc["TLS.ver"] = version
    assert refusal(encode_doc(doc)) == Code.SIG_INVALID
