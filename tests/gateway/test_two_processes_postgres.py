"""Two ``relchain serve`` processes on one PostgreSQL database: a session opened on one resumes
on the other after a reconnect (the token is checked by its signature, not by process state)."""

from __future__ import annotations

import os
import secrets
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import orjson
import pytest

from relchain.domain.apps import App
from tests.gateway.realserver import RealServer
from tests.gateway.support import SdkSocket
from tests.processes import ServeProcess, relchain
from tests.support import FrozenClock

POSTGRES_URL = os.environ.get("RELCHAIN_TEST_POSTGRES_URL", "")
pytestmark = [
    pytest.mark.e2e,
    pytest.mark.postgres,
    pytest.mark.skipif(not POSTGRES_URL, reason="RELCHAIN_TEST_POSTGRES_URL is not set"),
]


@dataclass
class Endpoint:
    """Where SdkSocket connects (the ``ws_url`` of a ``Served``)."""

    ws_url: str


@dataclass
class Cluster:
    app: App
    servers: list[ServeProcess]

    def endpoint(self, index: int) -> Endpoint:
        return Endpoint(f"ws://127.0.0.1:{self.servers[index].port}")


@pytest.fixture
async def cluster() -> AsyncIterator[Cluster]:
    from tests.storage.postgres_db import fresh_postgres_url

    database = await fresh_postgres_url(POSTGRES_URL)
    sdkappid = 1400000000 + secrets.randbelow(99_999_999)
    created = orjson.loads(
        relchain(
            "app", "create", "--sdkappid", str(sdkappid), "--admin", "admin", "--database", database
        )
    )
    relchain("app", "set", str(sdkappid), "gateway_rate_limit", "0", "--database", database)
    servers = [ServeProcess(database), ServeProcess(database)]
    try:
        deadline = time.monotonic() + 30
        for server in servers:
            server.wait_ready(deadline)
        yield Cluster(App(sdkappid, created["key"], ("admin",)), servers)
    finally:
        for server in servers:
            print(f"--- relchain serve on port {server.port}:\n{server.report()}")


async def test_a_session_resumes_on_another_process(cluster: Cluster) -> None:
    clock = FrozenClock(time.time())
    rest = RealServer(cluster.servers[0], cluster.app.sdkappid, cluster.app.key)
    try:
        await rest.import_accounts("alice", "bob")
    finally:
        await rest.http.aclose()
    async with SdkSocket.open(cluster.endpoint(0), cluster.app, clock) as first:
        assert (await first.login("alice"))["ErrorCode"] == 0
        added = await first.request("follow.follow_add", {"FollowItem": [{"To_Account": "bob"}]})
        assert added["ResultItem"][0]["ResultCode"] == 0
        token = first.a2
    async with SdkSocket.open(cluster.endpoint(1), cluster.app, clock) as second:
        resumed = await second.request("im_open_status.wslogin", {}, a2=token)
        assert resumed["ErrorCode"] == 0 and resumed["A2Key"] == token, resumed
        second.a2 = token
        check = await second.request("follow.follow_check", {"To_Account": ["bob"]})
        assert check["ResultItem"][0]["FollowType"] == 2


async def next_push(socket: SdkSocket, key: str, wait: float = 15) -> dict[str, Any]:
    """The next push whose ``EventArray`` item has ``key`` (other frames are skipped)."""
    deadline = time.monotonic() + wait
    while True:
        frame = await socket.receive(wait=max(deadline - time.monotonic(), 0.01))
        if frame["head"].get("servcmd") == "im_open_push.msg_push":
            for item in frame["body"].get("EventArray", []):
                if key in item:
                    return dict(item)


async def test_a_change_on_one_process_is_pushed_by_the_other(cluster: Cluster) -> None:
    """alice is logged in on process 1, bob on process 2: each hears the other's change, and
    a REST change made on process 1 reaches bob on process 2."""
    clock = FrozenClock(time.time())
    rest = RealServer(cluster.servers[0], cluster.app.sdkappid, cluster.app.key)
    try:
        await rest.import_accounts("alice", "bob")
        async with (
            SdkSocket.open(cluster.endpoint(0), cluster.app, clock) as alice,
            SdkSocket.open(cluster.endpoint(1), cluster.app, clock) as bob,
        ):
            assert (await alice.login("alice"))["ErrorCode"] == 0
            assert (await bob.login("bob"))["ErrorCode"] == 0
            added = await bob.request(
                "follow.follow_add", {"FollowItem": [{"To_Account": "alice"}]}
            )
            assert added["ResultItem"][0]["ResultCode"] == 0
            item = await next_push(alice, "FollowChangeList")
            assert item["FollowChangeList"] == [
                {"From_Account": "bob", "FollowDiffList": [{"IsAdd": 1, "FollowType": 1}]}
            ]
            own = await next_push(bob, "FollowChangeList")  # bob's own follow, to his socket
            assert own["FollowChangeList"][0]["FollowDiffList"] == [{"IsAdd": 1, "FollowType": 2}]
            await alice.request("follow.follow_add", {"FollowItem": [{"To_Account": "bob"}]})
            item = await next_push(bob, "FollowChangeList")
            assert item["FollowChangeList"] == [
                {"From_Account": "alice", "FollowDiffList": [{"IsAdd": 1, "FollowType": 1}]},
                {"From_Account": "alice", "FollowDiffList": [{"IsAdd": 1, "FollowType": 3}]},
            ]
            await rest.ok("sns/black_list_add", {"From_Account": "bob", "To_Account": ["alice"]})
            item = await next_push(bob, "FriendListMod")
            assert item["FriendListMod"] == [
                {"PushType": 5, "From_Account": "bob", "BlackListAdd_Account": ["alice"]}
            ]
    finally:
        await rest.http.aclose()
