"""Real ``relchain serve`` processes: deliveries pending when the server is killed with
``kill -9`` are all delivered after a restart (the log is the queue), and two servers on one
PostgreSQL never send one delivery twice (the claim)."""

from __future__ import annotations

import asyncio
import json
from collections import Counter
from pathlib import Path

import pytest

from tests.conftest import POSTGRES_URL
from tests.gateway.realserver import RealServer
from tests.processes import ServeProcess, create_app, relchain
from tests.support import ADMIN, KEY, SDKAPPID
from tests.webhooks.receiver import Reply, receiving

pytestmark = pytest.mark.e2e

ADD = "Follow.CallbackAfterFollowAdd"
USERS = [f"u{i}" for i in range(12)]  # rounds 0..10 follow distinct accounts


def prepare(database: str, url: str) -> None:
    create_app(database, SDKAPPID, KEY, ADMIN, rate_limit="0", callback_url=url)


async def serve(database: str) -> ServeProcess:
    return await asyncio.to_thread(lambda: ServeProcess(database).wait_ready())


async def follows(server: RealServer, rounds: range) -> None:
    """In round ``n`` user ``i`` follows user ``i + 1 + n``: one event each."""
    for n in rounds:
        for i, user in enumerate(USERS):
            other = USERS[(i + 1 + n) % len(USERS)]
            await server.ok(
                "follow/follow_add", {"From_Account": user, "FollowItem": [{"To_Account": other}]}
            )


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
async def test_kill_9_with_pending_deliveries_then_restart_delivers_every_event(
    tmp_path: Path, backend: str
) -> None:
    if backend == "postgres":
        if not POSTGRES_URL:
            pytest.skip("needs RELCHAIN_TEST_POSTGRES_URL")
        from tests.storage.postgres_db import fresh_postgres_url

        database = await fresh_postgres_url(POSTGRES_URL)
    else:
        database = f"sqlite:///{tmp_path / 'k9.db'}"
    async with receiving(lambda hit, n: Reply(status=503, text="maintenance")) as receiver:
        await asyncio.to_thread(prepare, database, receiver.url)
        proc = await serve(database)
        server = RealServer(proc)
        try:
            await server.import_accounts(*USERS)
            await follows(server, range(4))  # 48 events, receiver down
            await receiver.wait_for(3)  # tries are failing ...
        finally:
            proc.proc.kill()  # ... kill -9
            await asyncio.to_thread(proc.proc.wait)
            await server.http.aclose()
            proc.stop()
        receiver.answer = lambda hit, n: Reply()
        # the failed ones back off for a while: send them now (the CLI, on the dead server's db)
        retried = json.loads(
            await asyncio.to_thread(relchain, "webhooks", "retry", "--database", database)
        )
        assert retried["retried"] >= 1
        proc = await serve(database)
        try:
            await receiver.wait_for(48 + 3, within=60, command=ADD)
            await asyncio.sleep(0.5)
            delivered = [h for h in receiver.hits if h.query.get("EventId") and h.body]
            ok_ids = {h.query["EventId"] for h in delivered}
            assert len(ok_ids) == 48  # every event, none lost
            per_user: dict[str, list[int]] = {}
            for hit in delivered:  # in event order per account (first try of each)
                ids = per_user.setdefault(hit.body["From_Account"], [])
                if int(hit.query["EventId"]) not in ids:
                    ids.append(int(hit.query["EventId"]))
            assert all(ids == sorted(ids) for ids in per_user.values()), per_user
            status = json.loads(
                await asyncio.to_thread(relchain, "webhooks", "status", "--database", database)
            )
            assert status["commands"][ADD]["delivered"] == 48
            assert status["commands"][ADD]["pending"] == status["commands"][ADD]["failed"] == 0
        finally:
            output = await asyncio.to_thread(proc.stop)
            assert "Traceback" not in output, output


async def delivered_by(server: RealServer) -> int:
    """The deliveries this server process made (its /metrics)."""
    text = (await server.http.get("/metrics")).text
    return sum(
        int(float(line.rsplit(" ", 1)[1]))
        for line in text.splitlines()
        if line.startswith("relchain_webhook_deliveries_total{") and 'state="delivered"' in line
    )


@pytest.mark.postgres
@pytest.mark.skipif(not POSTGRES_URL, reason="needs RELCHAIN_TEST_POSTGRES_URL")
async def test_two_servers_on_one_postgres_never_send_a_delivery_twice() -> None:
    from tests.storage.postgres_db import fresh_postgres_url

    database = await fresh_postgres_url(POSTGRES_URL)
    # a receiver slow enough that both servers have deliveries in flight at once
    async with receiving(lambda hit, n: Reply(delay=0.02)) as receiver:
        await asyncio.to_thread(prepare, database, receiver.url)
        first, second = await asyncio.gather(serve(database), serve(database))
        servers = [RealServer(first), RealServer(second)]
        try:
            await servers[0].import_accounts(*USERS)
            await asyncio.gather(
                follows(servers[0], range(0, 5)), follows(servers[1], range(5, 10))
            )
            await receiver.wait_for(120, within=60, command=ADD)
            await asyncio.sleep(1.0)  # anything sent twice would have come by now
            sent = Counter(h.query["EventId"] for h in receiver.of(ADD))
            assert len(sent) == 120 and set(sent.values()) == {1}, sent.most_common(3)
            split = [await delivered_by(server) for server in servers]
            assert sum(split) == 120, split  # each counted by the one server that sent it
        finally:
            for server in servers:
                await server.http.aclose()
            for proc in (first, second):
                output = await asyncio.to_thread(proc.stop)
                assert "Traceback" not in output, output
