"""UserSigs made by the official generators (Python and Node ports) pass relchain's check,
also those signed with a user buffer (``gen_sig_with_userbuf``, Node ``genSig(id, expire, buf)``
and TRTC's ``genPrivateMapKey``); a user buffer changed after signing does not."""

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

from relchain.auth.usersig import SigError, verify_usersig
from relchain.domain.errors import Code

KEY = "5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e"
APP = 1400000000
NODE_DIR = Path(__file__).parent.parent / "node"


def node_sig(*args: str) -> str:
    """Needs `npm install` in tests/node (done by .ci/run); fails, never skips, without it."""
    node = shutil.which("node")
    assert node, "node is required for this test"
    assert (NODE_DIR / "node_modules" / "tls-sig-api-v2").is_dir(), "run npm install in tests/node"
    return subprocess.run(
        [node, str(NODE_DIR / "gen_usersig.js"), str(APP), KEY, *args],
        check=True,
        capture_output=True,
        text=True,
        timeout=30,
    ).stdout.strip()


def test_python_port_signature_verifies_now() -> None:
    sig = TLSSigAPIv2.TLSSigAPIv2(APP, KEY).gen_sig("user_1", 86400)
    assert verify_usersig(sig, KEY, APP, "user_1", int(time.time())).identifier == "user_1"


def test_python_port_signature_with_userbuf_verifies_now() -> None:
    sig = TLSSigAPIv2.TLSSigAPIv2(APP, KEY).gen_sig_with_userbuf("user_1", 86400, b"room 42")
    assert verify_usersig(sig, KEY, APP, "user_1", int(time.time())).identifier == "user_1"


def test_node_port_signature_verifies_now() -> None:
    verified = verify_usersig(node_sig("user-2", "3600"), KEY, APP, "user-2", int(time.time()))
    assert verified.sdkappid == APP


@pytest.mark.parametrize("extra", [["some user buffer"], ["--room", "1234"]])
def test_node_port_signatures_with_a_user_buffer_verify_now(extra: list[str]) -> None:
    sig = node_sig("user-3", "3600", *extra)
    assert verify_usersig(sig, KEY, APP, "user-3", int(time.time())).identifier == "user-3"


def tampered(sig: str, change: dict[str, object]) -> str:
    raw = base64.b64decode(sig.translate(str.maketrans({"*": "+", "-": "/", "_": "="})))
    doc = json.loads(zlib.decompress(raw))
    doc.update(change)
    again = base64.b64encode(zlib.compress(json.dumps(doc).encode())).decode()
    return again.translate(str.maketrans({"+": "*", "/": "-", "=": "_"}))


def test_a_changed_or_removed_user_buffer_fails_the_signature() -> None:
    sig = TLSSigAPIv2.TLSSigAPIv2(APP, KEY).gen_sig_with_userbuf("user_1", 86400, b"room 42")
    now = int(time.time())
    for change in ({"TLS.userbuf": base64.b64encode(b"room 43").decode()}, {"TLS.userbuf": None}):
        with pytest.raises(SigError) as caught:
            verify_usersig(tampered(sig, change), KEY, APP, "user_1", now)
        assert caught.value.code == Code.SIG_MISMATCH
    with pytest.raises(SigError) as caught:
        verify_usersig(tampered(sig, {"TLS.userbuf": 7}), KEY, APP, "user_1", now)
    assert caught.value.code == Code.SIG_INVALID
