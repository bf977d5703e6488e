"""End to end: a real `relchain serve` process on a free port, called with curl and httpx."""

from __future__ import annotations

import os
import pty
import re
import select
import shlex
import shutil
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import orjson
import pytest

from tests.processes import ServeProcess, free_port, relchain

pytestmark = pytest.mark.e2e


class Server(ServeProcess):
    """``relchain serve`` on an SQLite file, started and ready."""

    def __init__(self, db: Path) -> None:
        super().__init__(f"sqlite:///{db}")
        self.wait_ready()


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    running = Server(tmp_path / "e2e.db")
    yield running
    running.stop()


def test_first_run_without_a_terminal_keeps_secrets_out_of_the_log(tmp_path: Path) -> None:
    """stdout is a pipe (a service's log): the key and UserSig go to a 0600 file whose path is
    printed; the curl line in it works."""
    server = Server(tmp_path / "first.db")
    try:
        curl = shutil.which("curl")
        assert curl, "curl is needed for this test"
        banner = server.wait_for("Show them again")
        sdkappid = int(re.search(r"SDKAppID:\s+(\d+)", banner).group(1))  # type: ignore[union-attr]
        assert sdkappid >= 1400000000
        secrets = tmp_path / f"relchain-first-app-{sdkappid}.txt"
        assert f"in {secrets} (mode 0600" in banner
        assert f"relchain app show {sdkappid} --show-key" in banner
        assert stat.S_IMODE(secrets.stat().st_mode) == 0o600
        saved = secrets.read_text()
        key = re.search(r"secret key: ([0-9a-f]{64})", saved).group(1)  # type: ignore[union-attr]
        assert key not in banner and "usersig=" not in banner
        line = next(ln for ln in saved.splitlines() if ln.strip().startswith("curl"))
        out = subprocess.run(
            shlex.split(line.strip()), check=True, capture_output=True, text=True, timeout=30
        ).stdout
        assert orjson.loads(out) == {
            "ActionStatus": "OK",
            "ErrorCode": 0,
            "ErrorInfo": "",
            "ErrorDisplay": "",
        }
    finally:
        output = server.stop()
    assert key not in output
    again = Server(tmp_path / "first.db")
    output = again.stop()
    assert "created the first app" not in output


def test_first_run_on_a_terminal_prints_the_secrets(tmp_path: Path) -> None:
    primary, secondary = pty.openpty()
    port = free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "relchain",
            "serve",
            "--port",
            str(port),
            "--database",
            f"sqlite:///{tmp_path / 'tty.db'}",
        ],
        stdout=secondary,
        stderr=subprocess.DEVNULL,
    )
    os.close(secondary)
    try:
        seen = b""
        deadline = time.monotonic() + 30
        while b"Show them again" not in seen and time.monotonic() < deadline:
            ready, _, _ = select.select([primary], [], [], 1)
            if ready:
                seen += os.read(primary, 4096)
        text = seen.decode()
        assert re.search(r"secret key: [0-9a-f]{64}", text), text
        assert "curl -s -X POST" in text and "usersig=" in text
        assert not list(tmp_path.glob("relchain-first-app-*"))
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        os.close(primary)


def test_signed_calls_and_errors_over_a_real_socket(server: Server, tmp_path: Path) -> None:
    from relchain.auth.usersig import generate_usersig

    out = relchain(
        "app",
        "create",
        "--sdkappid",
        "1400000999",
        "--key",
        "k",
        "--database",
        f"sqlite:///{tmp_path / 'e2e.db'}",
    )
    assert orjson.loads(out)["sdkappid"] == 1400000999
    sig = generate_usersig("k", 1400000999, "administrator", 3600, int(time.time()))
    base = f"http://127.0.0.1:{server.port}/v4"
    params = {
        "sdkappid": 1400000999,
        "identifier": "administrator",
        "usersig": sig,
        "random": 1,
        "contenttype": "json",
    }
    with httpx.Client(base_url=base, params=params, timeout=10) as client:
        ok = client.post("/im_open_login_svc/account_import", content=b'{"UserID":"e2e",}')
        assert ok.json()["ErrorCode"] == 0
        bad = client.post("/im_open_login_svc/account_import", content=b"{nope")
        assert bad.status_code == 200 and bad.json()["ErrorCode"] == 60003
        check = client.post(
            "/im_open_login_svc/account_check", json={"CheckItem": [{"UserID": "e2e"}]}
        ).json()
        assert check["ResultItem"][0]["AccountStatus"] == "Imported"
        wrong = client.post("/im_open_login_svc/account_check", params={"usersig": "x"}, json={})
        assert wrong.json()["ErrorCode"] == 70003
