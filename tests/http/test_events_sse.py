"""``GET /events`` on a real ``relchain serve``: the REST authentication and its codes, the
parameters, the JSON page, the Server-Sent Events stream with its filters and Last-Event-ID."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest

from relchain.auth.usersig import generate_usersig
from relchain.domain.errors import Code
from tests.gateway.realserver import RealServer, real_server
from tests.support import ADMIN, KEY, SDKAPPID

WAIT = 15.0


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with real_server(tmp_path_factory.mktemp("events")) as proc:
        yield proc.url


@pytest.fixture
async def server(served: str) -> AsyncIterator[RealServer]:
    class Proc:
        url = served
        port = int(served.rsplit(":", 1)[1])

    real = RealServer(Proc())  # type: ignore[arg-type]
    try:
        yield real
    finally:
        await real.http.aclose()


def auth(who: str = ADMIN, **override: Any) -> dict[str, Any]:
    """The REST query of ``who`` (with a UserSig of theirs), with ``override``."""
    sig = generate_usersig(KEY, SDKAPPID, who, 86400, int(time.time()))
    params: dict[str, Any] = {"sdkappid": SDKAPPID, "identifier": who, "usersig": sig}
    params.update(override)
    return {k: v for k, v in params.items() if v is not None}


async def page(server: RealServer, **params: Any) -> dict[str, Any]:
    response = await server.http.get("/events", params={**auth(), "format": "json", **params})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    data: dict[str, Any] = response.json()
    return data


async def last_id(server: RealServer) -> int:
    """The last event id now (the JSON page is read until it ends)."""
    last = 0
    while True:
        data = await page(server, since=last, limit=1000)
        if not data["Events"]:
            return last
        last = data["LastId"]


@pytest.mark.parametrize(
    ("params", "code", "info"),
    [
        ({"sdkappid": None}, Code.SDKAPPID_MISSING, "sdkappid:"),
        ({"sdkappid": "123"}, Code.SDKAPPID_INVALID, "sdkappid:"),
        ({"usersig": None}, Code.SIG_EMPTY, ""),
        ({"usersig": "garbage"}, Code.SIG_INVALID, ""),
        ({"identifier": "someone"}, Code.SIG_IDENTIFIER_MISMATCH, ""),
        ({"since": "-1"}, Code.ACCOUNT_BAD_PARAM, "since:"),
        ({"since": "x"}, Code.ACCOUNT_BAD_PARAM, "since:"),
        ({"kind": "follow.added,nope"}, Code.ACCOUNT_BAD_PARAM, "kind:"),
        ({"format": "xml"}, Code.ACCOUNT_BAD_PARAM, "format:"),
        ({"format": "json", "limit": "0"}, Code.ACCOUNT_BAD_PARAM, "limit:"),
        ({"account": "x" * 33}, Code.ACCOUNT_BAD_PARAM, "account:"),
    ],
)
async def test_refusals_are_the_rest_envelope_with_the_rest_codes(
    server: RealServer, params: dict[str, Any], code: int, info: str
) -> None:
    response = await server.http.get("/events", params=auth(**params))
    assert response.status_code == 200
    data = response.json()
    assert (data["ActionStatus"], data["ErrorCode"]) == ("FAIL", code), data
    assert data["ErrorInfo"].startswith(info)


async def test_a_user_who_is_not_an_admin_gets_70403(server: RealServer) -> None:
    response = await server.http.get("/events", params=auth("alice"))
    assert response.json()["ErrorCode"] == Code.ACCOUNT_NOT_ADMIN


async def test_the_json_page_with_since_limit_and_filters(server: RealServer) -> None:
    start = await last_id(server)
    await server.import_accounts("p1", "p2", "p3")
    await server.ok(
        "follow/follow_add", {"From_Account": "p1", "FollowItem": [{"To_Account": "p2"}]}
    )
    for _ in range(100):  # the log settles within moments
        data = await page(server, since=start)
        if len(data["Events"]) == 4:
            break
        await asyncio.sleep(0.05)
    rows = data["Events"]
    assert [(r["kind"], r["account"]) for r in rows] == [
        ("account.imported", "p1"),
        ("account.imported", "p2"),
        ("account.imported", "p3"),
        ("follow.added", "p1"),
    ]
    follow = rows[3]
    assert set(follow) == {
        "id",
        "sdkappid",
        "time_ms",
        "kind",
        "account",
        "peers",
        "data",
        "origin",
    }
    assert (follow["sdkappid"], follow["peers"], follow["data"]) == (
        SDKAPPID,
        ["p2"],
        {"mutual": []},
    )
    assert follow["origin"] == {
        "platform": "RESTAPI",
        "client_ip": "127.0.0.1",
        "operator": ADMIN,
        "user_initiated": False,
    }
    assert data["LastId"] == follow["id"]
    two = await page(server, since=start, limit=2)
    assert [r["account"] for r in two["Events"]] == ["p1", "p2"]
    after = await page(server, since=two["LastId"])
    assert [r["account"] for r in after["Events"]] == ["p3", "p1"]
    p2 = await page(server, since=start, account="p2")
    assert [(r["kind"], r["account"]) for r in p2["Events"]] == [
        ("account.imported", "p2"),
        ("follow.added", "p1"),
    ]
    follows = await page(server, since=start, kind="follow.added,block.added")
    assert [r["kind"] for r in follows["Events"]] == ["follow.added"]


async def test_an_account_deleted_shows_whose_lists_lost_it(server: RealServer) -> None:
    start = await last_id(server)
    await server.import_accounts("q1", "q2", "q3")
    await server.import_friends("q2", "q1")
    await server.ok("sns/black_list_add", {"From_Account": "q3", "To_Account": ["q1"]})
    await server.ok("im_open_login_svc/account_delete", {"DeleteItem": [{"UserID": "q1"}]})
    for _ in range(100):  # the log settles within moments
        data = await page(server, since=start, kind="account.deleted")
        if data["Events"]:
            break
        await asyncio.sleep(0.05)
    assert [(r["account"], r["peers"], r["data"]) for r in data["Events"]] == [
        ("q1", [], {"friend_of": ["q2"], "blocked_by": ["q3"]})
    ]


class Stream:
    """An open ``GET /events`` stream, read as SSE messages."""

    def __init__(self, response: httpx.Response) -> None:
        self.response = response
        self.lines = response.aiter_lines()

    async def message(self) -> dict[str, str]:
        """The next message with data (comments and the retry field are skipped)."""
        fields: dict[str, str] = {}
        async with asyncio.timeout(WAIT):
            async for line in self.lines:
                if line == "":
                    if "data" in fields:
                        return fields
                    fields = {}
                    continue
                if line.startswith(":"):
                    continue
                name, _, value = line.partition(": ")
                fields[name] = value
        raise AssertionError("the stream ended")


@asynccontextmanager
async def open_stream(
    server: RealServer, headers: dict[str, str] | None = None, **params: Any
) -> AsyncIterator[Stream]:
    async with server.http.stream(
        "GET", "/events", params={**auth(), **params}, headers=headers or {}
    ) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        yield Stream(response)


async def test_the_stream_sends_the_backlog_then_live_events(server: RealServer) -> None:
    start = await last_id(server)
    await server.import_accounts("s1")
    async with open_stream(server, since=start) as stream:
        first = await stream.message()
        assert first["event"] == "account.imported"
        row = orjson.loads(first["data"])
        assert (row["account"], str(row["id"])) == ("s1", first["id"])
        await server.import_accounts("s2")
        live = orjson.loads((await stream.message())["data"])
        assert live["account"] == "s2" and live["id"] > row["id"]


async def test_backlog_starts_the_stream_with_the_newest_events(server: RealServer) -> None:
    await server.import_accounts("b1", "b2", "b3", "b4")  # SQLite: readable once committed
    async with open_stream(server, backlog=2) as stream:
        newest = [orjson.loads((await stream.message())["data"])["account"] for _ in range(2)]
        await server.import_accounts("b5")
        live = orjson.loads((await stream.message())["data"])["account"]
    assert (newest, live) == (["b3", "b4"], "b5")


@pytest.mark.parametrize("backlog", ["-1", "1001", "x"])
async def test_a_bad_backlog_is_refused(server: RealServer, backlog: str) -> None:
    response = await server.http.get("/events", params=auth(backlog=backlog))
    data = response.json()
    assert data["ErrorCode"] == Code.ACCOUNT_BAD_PARAM
    assert data["ErrorInfo"].startswith("backlog:")


async def test_the_stream_from_now_with_filters(server: RealServer) -> None:
    await server.import_accounts("f1", "f2", "f3")
    async with open_stream(server, account="f2", kind="follow.added") as stream:
        await asyncio.sleep(0.3)  # connected: from now on
        for me, other in (("f1", "f3"), ("f3", "f2"), ("f1", "f2")):
            await server.ok(
                "follow/follow_add", {"From_Account": me, "FollowItem": [{"To_Account": other}]}
            )
        await server.ok(
            "sns/black_list_add", {"From_Account": "f2", "To_Account": ["f3"]}
        )  # f2's, but not a follow
        got = [orjson.loads((await stream.message())["data"]) for _ in range(2)]
    assert [(r["account"], r["peers"]) for r in got] == [("f3", ["f2"]), ("f1", ["f2"])]


async def test_last_event_id_resumes_after_it(server: RealServer) -> None:
    start = await last_id(server)
    await server.import_accounts("r1", "r2", "r3")
    async with open_stream(server, since=start) as stream:
        first = await stream.message()
    async with open_stream(server, {"Last-Event-ID": first["id"]}, since=start) as stream:
        resumed = [orjson.loads((await stream.message())["data"])["account"] for _ in range(2)]
    assert resumed == ["r2", "r3"]


async def test_a_bad_last_event_id_is_refused(server: RealServer) -> None:
    response = await server.http.get("/events", params=auth(), headers={"Last-Event-ID": "abc"})
    data = response.json()
    assert data["ErrorCode"] == Code.ACCOUNT_BAD_PARAM
    assert data["ErrorInfo"].startswith("Last-Event-ID:")


async def test_open_streams_do_not_hold_the_shutdown(tmp_path: Path) -> None:
    """SIGTERM with a stream open: the server exits at once, not after --shutdown-timeout."""
    with real_server(tmp_path, "--shutdown-timeout", "60") as proc:
        http = httpx.AsyncClient(base_url=proc.url, timeout=30)
        try:
            async with http.stream("GET", "/events", params=auth()) as response:
                assert response.status_code == 200
                lines = response.aiter_lines()
                assert (await anext(lines)).startswith(":")  # the stream is open
                started = time.monotonic()
                proc.proc.terminate()
                async with asyncio.timeout(30):
                    async for _ in lines:  # the server ends the stream
                        pass
                await asyncio.to_thread(proc.proc.wait, 30)
                assert time.monotonic() - started < 20
        finally:
            await http.aclose()
