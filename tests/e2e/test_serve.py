"""End to end: a real `relchain serve` process on a free port, called with curl and httpx."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import orjson
import pytest

from tests.processes import ServeProcess, relchain

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


def test_first_run_prints_a_curl_line_that_works(tmp_path: Path) -> None:
    server = Server(tmp_path / "first.db")
    try:
        curl = shutil.which("curl")
        assert curl, "curl is needed for this test"
        # the banner is printed before the server starts; read it without stopping the server
        banner = ""
        deadline = time.monotonic() + 10
        while "curl" not in banner and time.monotonic() < deadline:
            assert server.proc.stdout is not None
            banner += server.proc.stdout.readline()
        line = next(ln for ln in banner.splitlines() if ln.strip().startswith("curl"))
        out = subprocess.run(
            shlex.split(line.strip()), check=True, capture_output=True, text=True, timeout=30
        ).stdout
        assert orjson.loads(out) == {
            "ActionStatus": "OK",
            "ErrorCode": 0,
            "ErrorInfo": "",
            "ErrorDisplay": "",
        }
        sdkappid = int(re.search(r"SDKAppID:\s+(\d+)", banner).group(1))  # type: ignore[union-attr]
        assert sdkappid >= 1400000000
        assert re.search(r"secret key: [0-9a-f]{64}", banner)
    finally:
        server.stop()
    again = Server(tmp_path / "first.db")
    output = again.stop()
    assert "created the first app" not in output


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
