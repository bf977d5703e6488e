"""Export, import into an empty app, export again: the same data, on every backend."""

from __future__ import annotations

from pathlib import Path

import orjson

from relchain.domain.apps import App
from relchain.ports import DataStore, Store
from relchain.services.integrity import check_app
from relchain.storage import open_store
from tests.conftest import POSTGRES_URL
from tests.data.graph import HOBBY, LEVEL, build_graph
from tests.data.support import body, empty_app, exported, get_app, run_import
from tests.support import RestClient, counters


async def test_round_trip_is_identical(store: Store, app: App, rest: RestClient) -> None:
    """Every kind of record survives export -> import into an empty app -> export."""
    await build_graph(rest)
    first = await exported(store, await get_app(store, app.sdkappid))
    kinds = {orjson.loads(line).get("kind") for line in first[1:]}
    assert kinds == {"app", "account", "follow", "list", "friend", "block", "request"}
    target = await empty_app(store)
    report = await run_import(store, target, first)
    assert report.records["follow"] == 5 and report.records["friend"] == 4
    second = await exported(store, await get_app(store, target.sdkappid))
    assert body(second) == body(first)
    assert b"\n".join(second[1:]) == b"\n".join(first[1:])  # byte for byte


async def test_export_carries_every_field(store: Store, app: App, rest: RestClient) -> None:
    """Profiles with custom tags, follow times, friends with remark, wording, lists and custom
    data, the empty list, blocks and pending requests are all in the file."""
    await build_graph(rest)
    records = body(await exported(store, await get_app(store, app.sdkappid)))
    by_kind: dict[str, list[dict[str, object]]] = {}
    for record in records:
        by_kind.setdefault(str(record["kind"]), []).append(record)
    alice = next(a for a in by_kind["account"] if a["id"] == "alice")
    assert alice["profile"] == {
        "Tag_Profile_IM_AllowType": "AllowType_Type_AllowAny",
        "Tag_Profile_IM_Nick": "Alice",
        HOBBY: "chess",
    }
    follows = {(f["from"], f["to"]): f["time"] for f in by_kind["follow"]}
    assert follows[("alice", "bob")] + 5 == follows[("bob", "alice")]
    lists = [(x["owner"], x["name"]) for x in by_kind["list"]]
    assert lists == [("alice", "work"), ("alice", "empty")]
    bob = next(f for f in by_kind["friend"] if (f["owner"], f["friend"]) == ("alice", "bob"))
    assert bob["remark"] == "Bobby" and bob["groups"] == ["work"] and bob["custom"] == {LEVEL: 3}
    assert bob["add_wording"] == "hi"
    assert [(b["owner"], b["blocked"]) for b in by_kind["block"]] == [("erin", "frank")]
    (request,) = by_kind["request"]
    assert (request["from"], request["to"], request["add_wording"]) == ("frank", "gina", "please")


async def test_import_merges_into_a_non_empty_app(store: Store, app: App, rest: RestClient) -> None:
    """Importing an app's own export again changes nothing (existing rows are kept)."""
    await build_graph(rest)
    first = await exported(store, await get_app(store, app.sdkappid))
    await run_import(store, await get_app(store, app.sdkappid), first)
    again = await exported(store, await get_app(store, app.sdkappid))
    assert body(again) == body(first)


async def test_dry_run_writes_nothing(store: Store, app: App, rest: RestClient) -> None:
    await build_graph(rest)
    lines = await exported(store, await get_app(store, app.sdkappid))
    target = await empty_app(store)
    report = await run_import(store, target, lines, dry_run=True)
    assert report.dry_run and report.records["account"] == 7
    after = await exported(store, await get_app(store, target.sdkappid))
    assert [r["kind"] for r in body(after)] == ["app"]


async def test_round_trip_into_a_new_database(
    store: Store, app: App, rest: RestClient, tmp_path: Path
) -> None:
    """Into an empty database of the same backend, with the same SDKAppID: identical."""
    await build_graph(rest)
    first = await exported(store, await get_app(store, app.sdkappid))
    if store.url_scheme == "sqlite":
        url = f"sqlite:///{tmp_path / 'new.db'}"
    else:
        from tests.storage.postgres_db import fresh_postgres_url

        url = await fresh_postgres_url(POSTGRES_URL)
    other = await open_store(url)
    try:
        target = await empty_app(other, app.sdkappid)
        await run_import(other, target, first)
        second = await exported(other, await get_app(other, app.sdkappid))
        assert second[1:] == first[1:]
    finally:
        await other.close()


async def test_new_rows_go_after_the_existing_ones(
    store: Store, app: App, rest: RestClient
) -> None:
    """Imported friends, blocklist entries and lists of an owner who has some come after them
    (keyset positions past the used ones); a friend list named by a friend is created; the
    owner's sequences move; every invariant holds."""
    await build_graph(rest)
    before = await counters(store, "alice")
    src = "AddSource_Type_Web"
    lines = [
        b'{"format":"relchain","version":1}',
        orjson.dumps({"kind": "account", "id": "zoe"}),
        orjson.dumps({"kind": "list", "owner": "alice", "name": "new"}),
        orjson.dumps(
            {
                "kind": "friend",
                "owner": "alice",
                "friend": "zoe",
                "add_source": src,
                "groups": ["later", "work"],
            }
        ),
        orjson.dumps({"kind": "friend", "owner": "alice", "friend": "dave", "add_source": src}),
        orjson.dumps({"kind": "block", "owner": "erin", "blocked": "zoe"}),
    ]
    await run_import(store, await get_app(store, app.sdkappid), lines)
    async with store.read() as tx:
        page = await tx.get_friend_page(app.sdkappid, "alice", 0, 10)
        lists, _ = await tx.get_friend_lists(app.sdkappid, "alice", None)
        blocks = await tx.get_block_page(app.sdkappid, "erin", 0, 10)
    assert [f.friend for f in page.friends] == ["bob", "carol", "zoe", "dave"]
    assert [f.groups for f in page.friends][2] == ("work", "later")
    assert [x.name for x in lists] == ["work", "empty", "new", "later"]
    assert [b for b, _ in blocks.entries] == ["frank", "zoe"]
    after = await counters(store, "alice")
    assert after[0] == before[0] + 2 and after[1] == before[1] + 1
    assert isinstance(store, DataStore)
    assert (await check_app(store, await get_app(store, app.sdkappid))).broken == []
