"""check and repair against an app damaged on purpose: each problem found, the derivable ones
repaired, the rest left and named."""

from __future__ import annotations

from relchain.domain.apps import App
from relchain.ports import DataStore, Store
from relchain.services.integrity import check_app, repair_app
from tests.data.graph import build_graph
from tests.data.support import body, exported, get_app
from tests.support import RestClient

DAMAGE = (  # {app} is the app's SDKAppID
    # a counter off by one
    "UPDATE follow_counts SET followers = followers + 1 WHERE sdkappid = {app} AND user_id = 'bob'",
    # a missing mutual row
    "DELETE FROM follow_mutuals WHERE sdkappid = {app} AND user_id = 'alice' AND peer_id = 'bob'",
    # a one-sided friendship where there were two sides: counter and list member left behind
    "DELETE FROM friends WHERE sdkappid = {app} AND owner = 'alice' AND friend = 'bob'",
    # a list member who is not a friend
    "INSERT INTO friend_list_members (sdkappid, owner, friend, name)"
    " VALUES ({app}, 'alice', 'dave', 'work')",
)
BLOCK_A_FRIEND = (
    "INSERT INTO blocklist (sdkappid, owner, blocked, pos, added_at)"
    " VALUES ({app}, 'carol', 'dave', 1, 0)"
)


async def damage(store: Store, app: App, *statements: str) -> None:
    assert isinstance(store, DataStore)
    async with store.data(write=True) as tx:
        for statement in statements:
            await tx.db.execute(statement.format(app=app.sdkappid))  # type: ignore[attr-defined]


async def test_a_healthy_app_passes(store: Store, app: App, rest: RestClient) -> None:
    await build_graph(rest)
    assert isinstance(store, DataStore)
    report = await check_app(store, app)
    assert report.broken == [] and report.ok
    assert report.one_way_friends == 2  # Add_Type_Single twice: allowed, only counted


async def test_damage_is_found_and_repaired(store: Store, app: App, rest: RestClient) -> None:
    await build_graph(rest)
    assert isinstance(store, DataStore)
    healthy = body(await exported(store, await get_app(store, app.sdkappid)))
    await damage(store, app, *DAMAGE)
    report = await check_app(store, app)
    found = {f.name: f.examples for f in report.broken}
    assert found == {
        "mutual_missing": [("alice", "bob", 1700000005)],
        "count_followers": [("bob", 2, 1)],
        "count_mutual": [("alice", 1, 0)],
        "count_friend_count": [("alice", 2, 1)],
        "member_not_friend": [("alice", "bob", "work"), ("alice", "dave", "work")],
    } or found == {  # the order of rows of one check is the database's
        **found,
        "member_not_friend": sorted(found["member_not_friend"]),
    }
    assert report.one_way_friends == 3  # bob -> alice is one-way now

    dry = await repair_app(store, app, dry_run=True)
    assert {f.name for f in dry.broken} == set(found) and dry.left == []
    assert {f.name for f in (await check_app(store, app)).broken} == set(found)  # unchanged

    done = await repair_app(store, app, dry_run=False)
    assert done.left == [] and (await check_app(store, app)).broken == []
    after = body(await exported(store, await get_app(store, app.sdkappid)))
    lost = [r for r in healthy if r not in after]
    assert lost == [
        next(r for r in healthy if r.get("owner") == "alice" and r.get("friend") == "bob")
    ]


async def test_what_cannot_be_derived_is_left(store: Store, app: App, rest: RestClient) -> None:
    """Friends while one blocks the other: found, not repaired (it needs a decision), and the
    counters and positions of that damage are."""
    await build_graph(rest)
    assert isinstance(store, DataStore)
    await damage(store, app, BLOCK_A_FRIEND)
    names = {f.name for f in (await check_app(store, app)).broken}
    assert names == {"friend_blocked", "count_block_count", "block_position"}
    done = await repair_app(store, app, dry_run=False)
    assert [f.name for f in done.left] == ["friend_blocked"]
    assert [f.examples for f in done.left] == [[("carol", "dave")]]
    assert {f.name for f in (await check_app(store, app)).broken} == {"friend_blocked"}


async def test_rows_of_a_missing_account_are_found_and_removed(
    store: Store, app: App, rest: RestClient
) -> None:
    """An account row gone without the API's purge: its follows, blocklist entries and
    requests are orphans; repair removes them (as account_delete would) and fixes counters."""
    await build_graph(rest)
    assert isinstance(store, DataStore)
    await damage(
        store,
        app,
        "DELETE FROM accounts WHERE sdkappid = {app} AND user_id IN ('frank', 'erin')",
    )
    found = {f.name: f.examples for f in (await check_app(store, app)).broken}
    assert found == {
        "follow_orphan": [("erin",)],
        "block_orphan": [("erin",), ("frank",)],
        "request_orphan": [("frank",)],
    }
    done = await repair_app(store, app, dry_run=False)
    assert done.left == [] and (await check_app(store, app)).broken == []
    kinds = [(r["kind"], r.get("from"), r.get("to")) for r in body(await exported(store, app))]
    assert ("follow", "dave", "erin") not in kinds and ("request", "frank", "gina") not in kinds
    assert ("follow", "dave", "alice") in kinds
