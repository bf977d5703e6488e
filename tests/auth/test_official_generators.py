"""UserSigs made by the official generators (Python and Node ports) pass relchain's check."""

from __future__ import annotations

import shutil
import subprocess
import time
from pathlib import Path

import TLSSigAPIv2

from relchain.auth.usersig import verify_usersig

KEY = "5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e"
APP = 1400000000
NODE_DIR = Path(__file__).parent.parent / "node"


def test_python_port_signature_verifies_now() -> None:
    sig = TLSSigAPIv2.TLSSigAPIv2(APP, KEY).gen_sig("user_1", 86400)
    assert verify_usersig(sig, KEY, APP, "user_1", int(time.time())).identifier == "user_1"


def test_node_port_signature_verifies_now() -> None:
    """Needs `npm install` in tests/node (done by .ci/run); fails, never skips, without it."""
    node = shutil.which("node")
    assert node, "node is required for this test"
    assert (NODE_DIR / "node_modules" / "tls-sig-api-v2").is_dir(), "run npm install in tests/node"
    sig = subprocess.run(
        [node, str(NODE_DIR / "gen_usersig.js"), str(APP), KEY, "user-2", "3600"],
        check=True,
        capture_output=True,
        text=True,
        timeout=30,
    ).stdout.strip()
    verified = verify_usersig(sig, KEY, APP, "user-2", int(time.time()))
    assert verified.sdkappid == APP
