"""Stress: several real `relchain serve` processes on one database, SQLite and PostgreSQL.

Two independent servers (one of them with ``--workers 2``, so three server processes in all)
share a fresh database. Many concurrent HTTP clients spread random follow_add / follow_delete /
friend_add / friend_delete / black_list_add / black_list_delete calls over them, on a small hot
set of users with small caps, so that the same rows are fought over and every cap is hit; a
concurrent client scans a hot user's follow lists page by page meanwhile. Then every invariant is
checked straight from the database: counters equal rows, mutual rows are exactly the pairs that
follow each other, no cap is passed, no duplicate edge, friendships symmetric, no one both blocked
and a friend. Bounded: fixed numbers of calls, each with a timeout, and an overall deadline.

On SQLite the three processes share one database file (WAL; ``BEGIN IMMEDIATE`` serialises
their writers). PostgreSQL: when ``RELCHAIN_TEST_POSTGRES_URL`` is set (as in CI).
"""

from __future__ import annotations

import asyncio
import gc
import random
import secrets
import sqlite3
import time
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable, Collection
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import orjson
import pytest

from relchain.auth.usersig import generate_usersig
from tests.conftest import BACKENDS, database_url
from tests.processes import ServeProcess, relchain

pytestmark = pytest.mark.e2e

USERS = [f"hot{i:02d}" for i in range(12)]
HOT = USERS[0]  # scanned while the load runs
VICTIMS = USERS[-4:]  # deleted and imported again during the load
MAX_FOLLOWING = 5
MAX_FOLLOWERS = 7
MAX_MUTUAL = 3
MAX_FRIENDS = 4
CLIENTS = 24
CALLS_PER_CLIENT = 40  # 960 calls in all, some of them sent as a crossed pair
CROSSED = 0.3  # share of calls sent together with the same call from the other side
# Bounds that catch a stall (a call never answered, a load that never ends), not slowness: a
# quiet machine runs the load in about 10 s, a busy 2-core one (CI beside other jobs) several
# times that; the server's own bounds (command and acquire timeouts of 5 s) answer 30006 first.
CALL_TIMEOUT = 60.0
LOAD_DEADLINE = 300.0
ADMIN = "admin"

DELETES = 0.05  # share of steps that delete an account (not HOT) and import it again at once

# the per-item codes each write may answer (anything else, or a failed call, fails the test);
# 30003: an account being deleted and imported again; 30539: a request to an account imported
# again whose AllowType is not yet set back to AllowAny
ALLOWED = {
    "follow/follow_add": {0, 30003, 32100, 32101, 32102, 32103},
    "follow/follow_delete": {0, 30003},
    "sns/friend_add": {0, 30001, 30003, 30010, 30014, 30515, 30525, 30539},
    "sns/friend_delete": {0, 30003, 31704},
    "sns/black_list_add": {0, 30001, 30003},
    "sns/black_list_delete": {0, 30003},
}
WRITE_ERRORS = (0, 30003)  # 30003: From_Account is being deleted and imported again
ALLOW_ANY = {
    "ProfileItem": [{"Tag": "Tag_Profile_IM_AllowType", "Value": "AllowType_Type_AllowAny"}]
}


@dataclass
class Cluster:
    database: str
    sdkappid: int
    key: str
    ports: list[int]


@pytest.fixture(params=BACKENDS)
async def cluster(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Cluster]:
    database = await database_url(request.param, tmp_path)
    sdkappid = 1400000000 + secrets.randbelow(99_999_999)
    create = ["app", "create", "--sdkappid", str(sdkappid), "--admin", ADMIN]
    created = orjson.loads(relchain(*create, "--database", database))
    for name, value in [
        ("rate_limit", "0"),  # unlimited: the load is not throttled
        ("rate_limits", ""),  # account_delete too
        ("max_following", str(MAX_FOLLOWING)),
        ("max_followers", str(MAX_FOLLOWERS)),
        ("max_mutual", str(MAX_MUTUAL)),
        ("max_friends", str(MAX_FRIENDS)),
    ]:
        relchain("app", "set", str(sdkappid), name, value, "--database", database)
    servers = [ServeProcess(database, "--workers", "1"), ServeProcess(database, "--workers", "2")]
    try:
        deadline = time.monotonic() + 90  # three interpreters starting on a busy machine
        for server in servers:
            server.wait_ready(deadline)
        yield Cluster(database, sdkappid, created["key"], [s.port for s in servers])
    finally:
        for server in servers:  # shown by pytest when the test fails: every traceback
            print(f"--- relchain serve on port {server.port}:\n{server.report()}")
        gc.collect()  # anything left unclosed warns here, in this test, not in a later one


class Api:
    """Signed admin calls, spread round robin over the servers."""

    def __init__(self, cluster: Cluster, http: httpx.AsyncClient) -> None:
        self.cluster = cluster
        self.http = http
        sig = generate_usersig(cluster.key, cluster.sdkappid, ADMIN, 3600, int(time.time()))
        self.query = (
            f"sdkappid={cluster.sdkappid}&identifier={ADMIN}&usersig={sig}"
            "&random=1&contenttype=json"
        )
        self.turn = 0

    async def call(
        self, path: str, body: dict[str, Any], errors: Collection[int] = (0,)
    ) -> dict[str, Any]:
        """The response of one call; its ``ErrorCode`` must be one of ``errors``."""
        port = self.cluster.ports[self.turn % len(self.cluster.ports)]
        self.turn += 1
        response = await self.http.post(
            f"http://127.0.0.1:{port}/v4/{path}?{self.query}", content=orjson.dumps(body)
        )
        assert response.status_code == 200, response.text
        data: dict[str, Any] = response.json()
        assert data["ErrorCode"] in errors, (path, body, data)
        return data


# (path, share of the calls)
MIX = [
    ("follow/follow_add", 0.35),
    ("follow/follow_delete", 0.20),
    ("sns/friend_add", 0.20),
    ("sns/friend_delete", 0.12),
    ("sns/black_list_add", 0.06),
    ("sns/black_list_delete", 0.07),
]


def random_call(rng: random.Random) -> tuple[str, dict[str, Any]]:
    path = rng.choices([p for p, _ in MIX], weights=[w for _, w in MIX])[0]
    me = rng.choice(USERS)
    others = rng.sample([u for u in USERS if u != me], rng.randint(1, 3))
    body: dict[str, Any] = {"From_Account": me, "To_Account": others}
    if path == "follow/follow_add":
        body = {"From_Account": me, "FollowItem": [{"To_Account": o} for o in others]}
    elif path == "sns/friend_add":
        body = {
            "From_Account": me,
            "AddFriendItem": [
                {"To_Account": o, "AddSource": "AddSource_Type_Stress"} for o in others
            ],
            "AddType": "Add_Type_Both",
            "ForceAddFlags": rng.randint(0, 1),
        }
    elif path == "sns/friend_delete":
        body["DeleteType"] = "Delete_Type_Both"
    elif path == "sns/black_list_add":
        body["To_Account"] = others[:1]
    return path, body


def _retarget(path: str, body: dict[str, Any], me: str, peer: str) -> dict[str, Any]:
    """``body`` from ``me`` to ``peer`` alone."""
    changed = {**body, "From_Account": me}
    if path == "follow/follow_add":
        changed["FollowItem"] = [{"To_Account": peer}]
    elif path == "sns/friend_add":
        changed["AddFriendItem"] = [{"To_Account": peer, "AddSource": "AddSource_Type_Stress"}]
    else:
        changed["To_Account"] = [peer]
    return changed


async def scan(api: Api, user: str, kind: int, want: int) -> list[tuple[str, int]]:
    """A full follow_get cursor scan: (account, time) in the order returned."""
    out: list[tuple[str, int]] = []
    cursor = ""
    while True:
        data = await api.call(
            "follow/follow_get",
            {"From_Account": user, "FollowType": kind, "StartCursor": cursor, "WantNum": want},
        )
        out += [(i["To_Account"], i["FollowTime"]) for i in data["FollowItem"]]
        cursor = data["NextCursor"]
        if not cursor:
            return out


async def run_load(
    cluster: Cluster,
) -> tuple[Counter[tuple[str, int]], list[list[tuple[str, int]]]]:
    codes: Counter[tuple[str, int]] = Counter()
    scans: list[list[tuple[str, int]]] = []
    # idle connections are dropped by the client before the server's keep-alive timeout (5 s)
    # can close them: a request written as the server closes its idle connection is lost
    # (httpx.ReadError), the race every keep-alive client must stay clear of
    limits = httpx.Limits(max_connections=CLIENTS + 4, keepalive_expiry=2.0)
    async with httpx.AsyncClient(timeout=CALL_TIMEOUT, limits=limits) as http:
        setup = Api(cluster, http)
        await setup.call("im_open_login_svc/multiaccount_import", {"Accounts": USERS})
        await asyncio.gather(
            *(setup.call("profile/portrait_set", {"From_Account": u, **ALLOW_ANY}) for u in USERS)
        )
        done = asyncio.Event()

        async def delete_and_import(api: Api, user: str) -> None:
            data = await api.call(
                "im_open_login_svc/account_delete", {"DeleteItem": [{"UserID": user}]}
            )
            # 70107: another client deleted it first
            result = data["ResultItem"][0]["ResultCode"]
            assert result in (0, 70107), data
            codes[("account_delete", result)] += 1
            await api.call("im_open_login_svc/multiaccount_import", {"Accounts": [user]})
            # 40003: another client deleted it again (and will import it again)
            await api.call("profile/portrait_set", {"From_Account": user, **ALLOW_ANY}, (0, 40003))

        def record(path: str, body: dict[str, Any], data: dict[str, Any]) -> None:
            for item in data.get("ResultItem", []):
                assert item["ResultCode"] in ALLOWED[path], (path, body, data)
                codes[(path, item["ResultCode"])] += 1

        async def client(seed: int) -> None:
            api, other = Api(cluster, http), Api(cluster, http)
            api.turn = seed  # clients start on different servers
            rng = random.Random(seed)
            for _ in range(CALLS_PER_CLIENT):
                if rng.random() < DELETES:
                    await delete_and_import(api, rng.choice(VICTIMS))
                    continue
                path, body = random_call(rng)
                if rng.random() < CROSSED:
                    # the same call from the other side at the same time, on another server:
                    # A -> B racing B -> A (mutual pairs, both-way friendships)
                    me = body["From_Account"]
                    peer = rng.choice([u for u in USERS if u != me])
                    pair = [_retarget(path, body, me, peer), _retarget(path, body, peer, me)]
                    other.turn = api.turn + 1  # the next server
                    async with asyncio.TaskGroup() as both:  # a failure cancels the other
                        calls = [
                            both.create_task(api.call(path, pair[0], WRITE_ERRORS)),
                            both.create_task(other.call(path, pair[1], WRITE_ERRORS)),
                        ]
                    results = [call.result() for call in calls]
                    for sent, data in zip(pair, results, strict=True):
                        record(path, sent, data)
                else:
                    record(path, body, await api.call(path, body, WRITE_ERRORS))

        async def scanner() -> None:
            api = Api(cluster, http)
            rng = random.Random(-1)
            while not done.is_set() or not scans:
                for kind in (1, 2, 3):
                    scans.append(await scan(api, HOT, kind, rng.choice([1, 2, 3])))

        async def clients() -> None:
            try:
                async with asyncio.TaskGroup() as group:
                    for seed in range(CLIENTS):
                        group.create_task(client(seed))
            finally:
                done.set()

        # structured: when a call fails (or the deadline passes) every other call is cancelled
        # and has ended before the HTTP client closes; nothing keeps running (and opening
        # sockets) into the tests that follow
        try:
            async with asyncio.TaskGroup() as group:
                group.create_task(scanner())
                group.create_task(clients())
        except BaseExceptionGroup as failed:
            raise first_failure(failed) from failed
    return codes, scans


def first_failure(group: BaseExceptionGroup[BaseException]) -> BaseException:
    """The first error of a (nested) task group's failure, as pytest should show it."""
    first = group.exceptions[0]
    return first_failure(first) if isinstance(first, BaseExceptionGroup) else first


Rows = Callable[[str], Awaitable[list[tuple[Any, ...]]]]


async def check_database(url: str, sdkappid: int) -> None:
    """Every invariant, straight from the database (the statements are written once, in SQL
    both engines run; ``$1`` is the app)."""
    if url.startswith("sqlite"):
        conn = sqlite3.connect(url.split(":///", 1)[1])

        async def rows(sql: str) -> list[tuple[Any, ...]]:
            return [tuple(r) for r in conn.execute(sql.replace("$1", "?1"), (sdkappid,))]

        try:
            await check_invariants(rows)
        finally:
            conn.close()
        return
    pg = await asyncpg.connect(url)

    async def pg_rows(sql: str) -> list[tuple[Any, ...]]:
        return [tuple(r) for r in await pg.fetch(sql, sdkappid)]

    try:
        await check_invariants(pg_rows)
    finally:
        await pg.close()


async def check_invariants(rows: Rows) -> None:
    # follow counters equal the edges, in both directions and for mutual rows
    assert not await rows(
        """
        WITH e AS (SELECT follower, followee FROM follows WHERE sdkappid = $1),
        m AS (SELECT user_id, peer_id FROM follow_mutuals WHERE sdkappid = $1),
        want AS (
            SELECT a.user_id,
                (SELECT count(*) FROM e WHERE e.followee = a.user_id) AS followers,
                (SELECT count(*) FROM e WHERE e.follower = a.user_id) AS following,
                (SELECT count(*) FROM m WHERE m.user_id = a.user_id) AS mutual
            FROM accounts a WHERE a.sdkappid = $1)
        SELECT w.*, c.followers, c.following, c.mutual FROM want w
        LEFT JOIN follow_counts c ON c.sdkappid = $1 AND c.user_id = w.user_id
        WHERE (coalesce(c.followers, 0), coalesce(c.following, 0), coalesce(c.mutual, 0))
           <> (w.followers, w.following, w.mutual)
        """
    ), "a follow counter differs from its rows"
    # mutual rows are exactly the pairs that follow each other (both sides stored, once)
    assert not await rows(
        """
        SELECT a.follower, a.followee FROM follows a JOIN follows b
            ON b.sdkappid = a.sdkappid AND b.follower = a.followee AND b.followee = a.follower
        WHERE a.sdkappid = $1 AND NOT EXISTS (
            SELECT 1 FROM follow_mutuals m
            WHERE m.sdkappid = $1 AND m.user_id = a.follower AND m.peer_id = a.followee)
        """
    ), "a pair follows each other without mutual rows"
    assert not await rows(
        """
        SELECT m.user_id, m.peer_id FROM follow_mutuals m WHERE m.sdkappid = $1 AND NOT (
            EXISTS (SELECT 1 FROM follows f WHERE f.sdkappid = $1
                    AND f.follower = m.user_id AND f.followee = m.peer_id)
            AND EXISTS (SELECT 1 FROM follows f WHERE f.sdkappid = $1
                        AND f.follower = m.peer_id AND f.followee = m.user_id))
        """
    ), "a mutual row without the two follows"
    assert not await rows(
        "SELECT user_id, peer_id FROM follow_mutuals WHERE sdkappid = $1"
        " GROUP BY user_id, peer_id HAVING count(*) > 1"
    ), "a mutual row twice"
    # no duplicate edges, no one following themselves
    assert not await rows(
        "SELECT follower, followee FROM follows WHERE sdkappid = $1"
        " GROUP BY follower, followee HAVING count(*) > 1 OR follower = followee"
    )
    assert not await rows(
        "SELECT owner, friend FROM friends WHERE sdkappid = $1"
        " GROUP BY owner, friend HAVING count(*) > 1 OR owner = friend"
    )
    # no cap passed
    assert not await rows(
        f"SELECT * FROM follow_counts WHERE sdkappid = $1 AND (following > {MAX_FOLLOWING}"
        f" OR followers > {MAX_FOLLOWERS} OR mutual > {MAX_MUTUAL})"
    ), "a follow cap was passed"
    assert not await rows(
        f"SELECT owner FROM friends WHERE sdkappid = $1 GROUP BY owner"
        f" HAVING count(*) > {MAX_FRIENDS}"
    ), "the friend cap was passed"
    # friend, blocklist and pending-request counters equal their rows
    assert not await rows(
        """
        SELECT u.user_id, u.friend_count, u.block_count, u.pending_count
        FROM sns_users u WHERE u.sdkappid = $1 AND (
            u.friend_count <> (SELECT count(*) FROM friends f
                               WHERE f.sdkappid = $1 AND f.owner = u.user_id)
            OR u.block_count <> (SELECT count(*) FROM blocklist b
                                 WHERE b.sdkappid = $1 AND b.owner = u.user_id)
            OR u.pending_count <> (SELECT count(*) FROM friend_requests r
                                   WHERE r.sdkappid = $1 AND r.requester = u.user_id))
        """
    ), "a friend, blocklist or request counter differs from its rows"
    assert not await rows(
        "SELECT f.owner FROM friends f WHERE f.sdkappid = $1 AND NOT EXISTS ("
        " SELECT 1 FROM sns_users u WHERE u.sdkappid = $1 AND u.user_id = f.owner)"
    ), "friend rows of a user without counters"
    # nothing of an account outlives it: every row names accounts that exist (all were
    # imported again; a row left by a purge that missed it also breaks the counters above)
    assert not await rows(
        """
        SELECT x.kind, x.a, x.b FROM (
            SELECT 'follows' AS kind, follower AS a, followee AS b FROM follows
            WHERE sdkappid = $1
            UNION ALL SELECT 'mutual', user_id, peer_id FROM follow_mutuals WHERE sdkappid = $1
            UNION ALL SELECT 'friends', owner, friend FROM friends WHERE sdkappid = $1
            UNION ALL SELECT 'blocklist', owner, blocked FROM blocklist WHERE sdkappid = $1
        ) x
        WHERE NOT EXISTS (SELECT 1 FROM accounts a WHERE a.sdkappid = $1 AND a.user_id = x.a)
           OR NOT EXISTS (SELECT 1 FROM accounts b WHERE b.sdkappid = $1 AND b.user_id = x.b)
        """
    ), "a row outlived its account"
    # every friendship was added and deleted both ways: symmetric
    assert not await rows(
        """
        SELECT f.owner, f.friend FROM friends f WHERE f.sdkappid = $1 AND NOT EXISTS (
            SELECT 1 FROM friends r
            WHERE r.sdkappid = $1 AND r.owner = f.friend AND r.friend = f.owner)
        """
    ), "a one-sided friendship"
    # no one both blocked and a friend (either direction)
    assert not await rows(
        """
        SELECT b.owner, b.blocked FROM blocklist b JOIN friends f
            ON f.sdkappid = b.sdkappid
           AND ((f.owner = b.owner AND f.friend = b.blocked)
             OR (f.owner = b.blocked AND f.friend = b.owner))
        WHERE b.sdkappid = $1
        """
    ), "a blocked pair are friends"


async def test_many_clients_on_several_serve_processes_keep_every_invariant(
    cluster: Cluster,
) -> None:
    codes, scans = await asyncio.wait_for(run_load(cluster), LOAD_DEADLINE)

    # the load reached the contested cases: caps refused, friendships made and refused
    assert codes[("follow/follow_add", 0)] > 0 and codes[("sns/friend_add", 0)] > 0
    assert codes[("follow/follow_add", 32100)] > 0, codes
    assert codes[("follow/follow_add", 32102)] + codes[("follow/follow_add", 32103)] > 0, codes
    assert codes[("sns/friend_add", 30010)] + codes[("sns/friend_add", 30014)] > 0, codes
    assert codes[("account_delete", 0)] > 0, codes
    assert sum(codes.values()) >= CLIENTS * CALLS_PER_CLIENT

    # scans run during the load: no account twice, strictly newest first (ties by account)
    assert scans
    for found in scans:
        accounts = [account for account, _ in found]
        assert len(accounts) == len(set(accounts)), f"an account was returned twice: {found}"
        keys = [(t, a) for a, t in found]
        assert keys == sorted(keys, reverse=True) and len(set(keys)) == len(keys), found

    await check_database(cluster.database, cluster.sdkappid)
