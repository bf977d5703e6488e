"""A real ``relchain serve`` process: graceful shutdown on SIGTERM, its JSON access log, and
metrics that add up every worker of ``--workers 2``."""

from __future__ import annotations

import re
import signal
import socket
import time
from pathlib import Path

import httpx
import orjson
import pytest

from relchain.auth.usersig import generate_usersig
from tests.processes import ServeProcess, relchain

pytestmark = pytest.mark.e2e

SDKAPPID = 1400000888
KEY = "lifecycle-key-0123456789"


def database_with_app(tmp_path: Path) -> str:
    database = f"sqlite:///{tmp_path / 'life.db'}"
    relchain("app", "create", "--sdkappid", str(SDKAPPID), "--key", KEY, "--database", database)
    relchain("app", "set", str(SDKAPPID), "rate_limit", "0", "--database", database)
    return database


def query() -> str:
    sig = generate_usersig(KEY, SDKAPPID, "administrator", 3600, int(time.time()))
    return f"sdkappid={SDKAPPID}&identifier=administrator&usersig={sig}&random=1&contenttype=json"


def half_sent_import(port: int, user: str) -> tuple[socket.socket, bytes]:
    """A connection that has sent a whole request head and half its body; the other half."""
    body = orjson.dumps({"UserID": user, "Nick": "n" * 200})
    sock = socket.create_connection(("127.0.0.1", port), timeout=30)
    head = (
        f"POST /v4/im_open_login_svc/account_import?{query()} HTTP/1.1\r\nHost: x\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    ).encode()
    half = len(body) // 2
    sock.sendall(head + body[:half])
    return sock, body[half:]


def read_answer(sock: socket.socket) -> dict[str, object]:
    data = b""
    while b"\r\n\r\n" not in data or not data.endswith(b"}"):
        chunk = sock.recv(65536)
        if not chunk:
            break
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200"), head
    answer: dict[str, object] = orjson.loads(body)
    return answer


def test_sigterm_finishes_requests_in_flight_then_exits_within_the_bound(tmp_path: Path) -> None:
    database = database_with_app(tmp_path)
    server = ServeProcess(database, "--shutdown-timeout", "3").wait_ready()
    finishing, rest = half_sent_import(server.port, "in-flight")
    stalled, _ = half_sent_import(server.port, "never-finished")
    time.sleep(0.2)
    server.proc.send_signal(signal.SIGTERM)
    signalled = time.monotonic()
    time.sleep(0.5)
    with pytest.raises(ConnectionRefusedError):  # no longer accepting
        socket.create_connection(("127.0.0.1", server.port), timeout=2).close()
    finishing.sendall(rest)
    assert read_answer(finishing)["ErrorCode"] == 0  # answered after SIGTERM
    finishing.close()
    # uvicorn re-raises SIGTERM once it has shut down: "killed by SIGTERM" after a clean stop,
    # which systemd and Docker count as a normal stop
    assert server.proc.wait(timeout=15) == -signal.SIGTERM
    took = time.monotonic() - signalled
    stalled.close()
    assert 2.5 < took < 8, took  # waited for the stalled one up to --shutdown-timeout, no more
    output = server.stop()
    assert "Shutting down" in output and "Finished server process" in output
    assert "Cancel 1 running task(s), timeout graceful shutdown exceeded" in output
    checked = ServeProcess(database).wait_ready()
    try:
        data = httpx.post(
            f"{checked.url}/v4/im_open_login_svc/account_check?{query()}",
            json={"CheckItem": [{"UserID": "in-flight"}, {"UserID": "never-finished"}]},
            timeout=10,
        ).json()
    finally:
        checked.stop()
    assert [i["AccountStatus"] for i in data["ResultItem"]] == ["Imported", "NotImported"]


def test_json_access_log_has_one_line_per_request_and_no_secret(tmp_path: Path) -> None:
    database = database_with_app(tmp_path)
    server = ServeProcess(database, "--log-format", "json").wait_ready()
    sent_query = query()
    try:
        with httpx.Client(base_url=f"{server.url}/v4", timeout=10) as http:
            ok = http.post(
                f"/im_open_login_svc/account_import?{sent_query}",
                content=b'{"UserID":"logged"}',
                headers={"X-Request-ID": "req-1"},
            )
            bad = http.post(f"/profile/portrait_get?{sent_query}", content=b"{nope")
    finally:
        output = server.stop()
    assert ok.headers["x-request-id"] == "req-1"
    lines = [orjson.loads(line) for line in output.splitlines() if line.startswith("{")]
    access = [line for line in lines if line["logger"] == "relchain.access"]
    assert [(a["request_id"], a["code"], a["path"]) for a in access] == [
        ("req-1", 0, "/v4/im_open_login_svc/account_import"),
        (bad.headers["x-request-id"], 60003, "/v4/profile/portrait_get"),
    ]
    assert all(a["sdkappid"] == SDKAPPID and a["identifier"] == "administrator" for a in access)
    assert any(line["logger"] == "uvicorn.error" for line in lines)  # the server log too
    usersig = sent_query.split("usersig=")[1].split("&")[0]
    assert usersig not in output and usersig[:32] not in output and KEY not in output


def metric_total(text: str, name: str) -> float:
    return sum(
        float(line.rsplit(" ", 1)[1])
        for line in text.splitlines()
        if line.startswith(name + "{") or line.startswith(name + " ")
    )


def test_metrics_add_up_every_worker(tmp_path: Path) -> None:
    database = database_with_app(tmp_path)
    server = ServeProcess(database, "--workers", "2").wait_ready()
    try:
        url = f"{server.url}/v4/im_open_login_svc/account_check?{query()}"
        for _ in range(40):  # a new connection each: the kernel spreads them over the workers
            with httpx.Client(timeout=10) as http:
                answer = http.post(url, json={"CheckItem": [{"UserID": "x"}]})
                assert answer.json()["ErrorCode"] == 0
        scrapes = [httpx.get(f"{server.url}/metrics", timeout=10).text for _ in range(6)]
    finally:
        server.stop()
    for text in scrapes:  # whichever worker answers, it counts all 40
        assert metric_total(text, "relchain_requests_total") == 40
        assert metric_total(text, "relchain_request_duration_seconds_count") == 40


@pytest.mark.parametrize("log_format", ["text", "json"])
def test_no_usersig_reaches_the_log_of_any_worker(tmp_path: Path, log_format: str) -> None:
    """``--workers 2``: each worker writes relchain's access line for every request and
    uvicorn's (the whole URL, UserSig included) for none, whatever the log format."""
    database = database_with_app(tmp_path)
    server = ServeProcess(database, "--workers", "2", "--log-format", log_format).wait_ready()
    sent_query = query()
    try:
        for _ in range(20):  # a new connection each: the kernel spreads them over the workers
            with httpx.Client(timeout=10) as http:
                answer = http.post(
                    f"{server.url}/v4/im_open_login_svc/account_check?{sent_query}",
                    json={"CheckItem": [{"UserID": "x"}]},
                )
                assert answer.json()["ErrorCode"] == 0
    finally:
        output = server.stop()
    usersig = sent_query.split("usersig=")[1].split("&")[0]
    assert "usersig=" not in output.lower()
    assert usersig[:16] not in output and KEY not in output
    assert output.count("relchain.access") == 20  # both workers log (pids differ below)
    assert len(set(re.findall(r"Started server process \[(\d+)\]", output))) == 2


def test_a_usersig_in_any_log_message_is_hidden() -> None:
    """The server log's filter blanks ``usersig=`` values, whoever logs them (uvicorn's
    WebSocket lines quote the request's query)."""
    import logging

    from relchain.http.logs import HideUserSig, TextFormatter

    record = logging.LogRecord(
        "uvicorn.error",
        logging.INFO,
        __file__,
        1,
        '%s - "WebSocket %s" [accepted]',
        ("127.0.0.1:5", "/ws?sdkappid=1&UserSig=eJyr-secret_x&x=1"),
        None,
    )
    assert HideUserSig().filter(record)
    line = TextFormatter().format(record)
    assert "eJyr" not in line and "UserSig=***&x=1" in line
