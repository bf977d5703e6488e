"""The client's UserSig generator gives the official generators' bytes, the server accepts it,
and an admin client reuses one UserSig until near its expiry."""

from __future__ import annotations

import base64
import json
import shutil
import subprocess
import time
import zlib
from pathlib import Path

import pytest
import TLSSigAPIv2

from relchain.auth.usersig import verify_usersig
from relchain.client import generate_usersig
from relchain.client._usersig import DEFAULT_EXPIRE, UserSigCache

KEY = "5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e"
APP = 1400000000
NODE_DIR = Path(__file__).parent.parent / "node"


def decode(sig: str) -> dict[str, object]:
    raw = base64.b64decode(sig.translate(str.maketrans("*-_", "+/=")))
    doc: dict[str, object] = json.loads(zlib.decompress(raw))
    return doc


def test_the_spec_test_vector() -> None:
    """tencent-wire.md 2.3: xiaojun at 1600000000 for 180 days."""
    doc = decode(generate_usersig(KEY, APP, "xiaojun", 15552000, now=1600000000))
    assert doc == {
        "TLS.ver": "2.0",
        "TLS.identifier": "xiaojun",
        "TLS.sdkappid": APP,
        "TLS.expire": 15552000,
        "TLS.time": 1600000000,
        "TLS.sig": "1Z5PngDjGaufeSiPoBuxdHY7EK3JTdAjMP93S4KvV3M=",
    }


@pytest.mark.parametrize("user", ["user_1", "administrator", "a-b_c.D@1"])
def test_the_same_bytes_as_the_official_python_port(user: str) -> None:
    official = TLSSigAPIv2.TLSSigAPIv2(APP, KEY).gen_sig(user, 86400)
    made_at = decode(official)["TLS.time"]
    assert isinstance(made_at, int)
    assert generate_usersig(KEY, APP, user, 86400, now=made_at) == official


def test_the_same_signature_as_the_official_node_port() -> None:
    """Needs `npm install` in tests/node (done by .ci/run); fails, never skips, without it."""
    node = shutil.which("node")
    assert node, "node is required for this test"
    official = subprocess.run(
        [node, str(NODE_DIR / "gen_usersig.js"), str(APP), KEY, "user-2", "3600"],
        check=True,
        capture_output=True,
        text=True,
        timeout=30,
    ).stdout.strip()
    theirs = decode(official)
    made_at = theirs["TLS.time"]
    assert isinstance(made_at, int)
    assert decode(generate_usersig(KEY, APP, "user-2", 3600, now=made_at)) == theirs


def test_the_server_accepts_it_and_the_default_is_180_days() -> None:
    now = int(time.time())
    sig = generate_usersig(KEY, APP, "alice")
    verified = verify_usersig(sig, KEY, APP, "alice", now)
    assert verified.identifier == "alice"
    assert verified.expires_at - now == pytest.approx(DEFAULT_EXPIRE, abs=5)


class Clock:
    def __init__(self) -> None:
        self.now = 1_700_000_000.0

    def __call__(self) -> float:
        return self.now


def test_the_cache_reuses_a_usersig_until_90_percent_of_its_life_and_then_renews() -> None:
    clock = Clock()
    cache = UserSigCache(KEY, APP, "admin", 1000, clock=clock)
    first = cache.get()
    clock.now += 899
    assert cache.get() == first
    clock.now += 1
    renewed = cache.get()
    assert renewed != first
    assert decode(renewed)["TLS.time"] == 1_700_000_900
    assert verify_usersig(renewed, KEY, APP, "admin", int(clock.now) + 999).identifier == "admin"


def test_the_cache_renews_after_invalidate_and_when_the_clock_goes_back() -> None:
    clock = Clock()
    cache = UserSigCache(KEY, APP, "admin", 1000, clock=clock)
    first = cache.get()
    clock.now += 10
    cache.invalidate()
    second = cache.get()
    assert second != first
    clock.now -= 60
    assert decode(cache.get())["TLS.time"] == 1_699_999_950


def test_the_cache_hides_the_key_and_refuses_a_useless_expiry() -> None:
    cache = UserSigCache("very-secret", APP, "admin")
    assert "very-secret" not in repr(cache)
    with pytest.raises(ValueError, match="expire"):
        UserSigCache(KEY, APP, "admin", 0)
