"""Storage contract for friends (add, import, update, delete, reads): every backend passes it."""

from __future__ import annotations

import asyncio
from dataclasses import replace

from relchain.domain.errors import Code
from relchain.domain.profiles import DENY_ANY, NEED_CONFIRM
from relchain.domain.results import ItemResult, Reason
from relchain.domain.sns.friends import AddRequest, FriendUpdate, ImportItem
from relchain.domain.sns.plan import SnsChanges
from relchain.ports import Store
from tests.support import LIMITS, SRC, befriend, codes, counters, edges, make_accounts
from tests.support import SDKAPPID as APP
from tests.support import T0 as T


def mine(changes: SnsChanges, owner: str) -> list[tuple[str, str]]:
    """The friend edges of ``owner`` a write removed."""
    return [pair for pair in changes.friends_removed if pair[0] == owner]


async def test_both_way_add_writes_both_edges_counts_and_sequences(store: Store) -> None:
    await make_accounts(store, "a", "b")
    assert await befriend(store, "a", "b") == [0]
    assert await edges(store, "a", "b") == {"b": (True, True)}
    assert await counters(store, "a") == (1, 1, 0)
    assert await counters(store, "b") == (1, 1, 0)


async def test_single_add_writes_only_the_callers_edge(store: Store) -> None:
    await make_accounts(store, "a", "b")
    assert await befriend(store, "a", "b", both=False) == [0]
    assert await edges(store, "a", "b") == {"b": (True, False)}
    assert await counters(store, "b") == (0, 0, 0)


async def test_self_duplicate_and_missing_accounts_fail_per_item(store: Store) -> None:
    await make_accounts(store, "a", "b")
    assert await befriend(store, "a", "a", "b", "b", "ghost") == [30001, 0, 30001, 30003]
    assert await counters(store, "a") == (1, 1, 0)


async def test_adding_an_existing_friend_is_30001_friend_exist(store: Store) -> None:
    await make_accounts(store, "a", "b")
    await befriend(store, "a", "b")
    async with store.write() as tx:
        results = await tx.add_friends(
            APP, "a", [AddRequest("b", SRC)], both=True, force=False, limits=LIMITS, now=T
        )
    assert results.results == [ItemResult("b", Code.SNS_BAD_PARAM, Reason.FRIEND_EXISTS)]
    assert await counters(store, "a") == (1, 1, 0)


async def test_both_way_add_completes_a_one_way_friendship(store: Store) -> None:
    await make_accounts(store, "a", "b")
    await befriend(store, "a", "b", both=False)
    assert await befriend(store, "a", "b") == [0]
    assert await edges(store, "a", "b") == {"b": (True, True)}
    assert (await counters(store, "a"))[0] == 1


async def test_deny_any_refuses_and_force_adds_anyway(store: Store) -> None:
    await make_accounts(store, "a")
    await make_accounts(store, "d", allow=DENY_ANY)
    assert await befriend(store, "a", "d") == [Code.SNS_PEER_DENY_ANY]
    assert await edges(store, "a", "d") == {"d": (False, False)}
    assert await befriend(store, "a", "d", force=True) == [0]
    assert await edges(store, "a", "d") == {"d": (True, True)}


async def test_need_confirm_stores_one_pending_request(store: Store) -> None:
    await make_accounts(store, "a")
    await make_accounts(store, "n", allow=NEED_CONFIRM)
    assert await befriend(store, "a", "n") == [Code.SNS_PENDING]
    assert await befriend(store, "a", "n", now=T + 5) == [Code.SNS_PENDING]  # renewed, not added
    assert await edges(store, "a", "n") == {"n": (False, False)}
    async with store.read() as tx:
        incoming = await tx.list_friend_requests(APP, "n", incoming=True, limit=10)
        outgoing = await tx.list_friend_requests(APP, "a", incoming=False, limit=10)
    assert [(r.requester, r.target, r.created_at, r.add_source) for r in incoming] == [
        ("a", "n", T + 5, SRC)
    ]
    assert outgoing == incoming


async def test_account_without_allow_type_needs_confirmation(store: Store) -> None:
    await make_accounts(store, "a")
    async with store.write() as tx:
        await tx.import_accounts(APP, [("plain", {})], T)
    assert await befriend(store, "a", "plain") == [Code.SNS_PENDING]


async def test_pending_requests_are_capped_per_requester(store: Store) -> None:
    await make_accounts(store, "a")
    await make_accounts(store, "n1", "n2", "n3", allow=NEED_CONFIRM)
    limits = replace(LIMITS, max_pending=2)
    assert await befriend(store, "a", "n1", "n2", "n3", limits=limits) == [30539, 30539, 30012]
    # renewing an existing request is not a new one
    assert await befriend(store, "a", "n1", limits=limits) == [30539]


async def test_blocklists_stop_adds_even_forced(store: Store) -> None:
    await make_accounts(store, "a", "b", "c")
    async with store.write() as tx:
        await tx.block(APP, "a", ["b"], limits=LIMITS, now=T)
        await tx.block(APP, "c", ["a"], limits=LIMITS, now=T)
    assert await befriend(store, "a", "b", "c", force=True) == [30515, 30525]
    assert await befriend(store, "b", "a", force=True) == [30525]


async def test_friend_caps_30010_and_30014(store: Store) -> None:
    await make_accounts(store, "a", "b", "c", "d")
    limits = replace(LIMITS, max_friends=1)
    assert await befriend(store, "a", "b", "c", limits=limits) == [0, 30010]
    assert await befriend(store, "c", "b", limits=limits) == [30014]
    assert await befriend(store, "c", "b", both=False, limits=limits) == [0]


async def test_group_name_creates_the_list_and_30011_past_the_cap(store: Store) -> None:
    await make_accounts(store, "a", "b", "c")
    limits = replace(LIMITS, max_lists=1)
    async with store.write() as tx:
        results = await tx.add_friends(
            APP,
            "a",
            [AddRequest("b", SRC, group="G1"), AddRequest("c", SRC, group="G2")],
            both=False,
            force=False,
            limits=limits,
            now=T,
        )
    assert codes(results) == [0, 30011]
    async with store.read() as tx:
        lists, _ = await tx.get_friend_lists(APP, "a", None)
        friends = await tx.get_friends(APP, "a", ["b"])
    assert [(x.name, x.members) for x in lists] == [("G1", ("b",))]
    assert friends["b"].groups == ("G1",)


async def test_adding_back_someone_who_asked_accepts_their_request(store: Store) -> None:
    await make_accounts(store, "a", "n", allow=NEED_CONFIRM)
    async with store.write() as tx:
        await tx.add_friends(
            APP,
            "a",
            [AddRequest("n", SRC, remark="my n", group="Mates", add_wording="hi")],
            both=True,
            force=False,
            limits=LIMITS,
            now=T,
        )
    # n adds a single-way; a asked first, so a's consent is given: both ways, request gone
    assert await befriend(store, "n", "a", both=False, now=T + 1) == [0]
    assert await edges(store, "a", "n") == {"n": (True, True)}
    async with store.read() as tx:
        assert await tx.list_friend_requests(APP, "n", incoming=True, limit=10) == []
        a_side = (await tx.get_friends(APP, "a", ["n"]))["n"]
    assert (a_side.remark, a_side.groups, a_side.add_wording) == ("my n", ("Mates",), "hi")
    # the pending counter went back to 0: the cap of 1 allows a new request
    await make_accounts(store, "m", allow=NEED_CONFIRM)
    assert await befriend(store, "a", "m", limits=replace(LIMITS, max_pending=1)) == [30539]


async def test_force_add_fulfils_the_callers_pending_request(store: Store) -> None:
    await make_accounts(store, "a", "n", allow=NEED_CONFIRM)
    await befriend(store, "a", "n")
    assert await befriend(store, "a", "n", force=True) == [0]
    async with store.read() as tx:
        assert await tx.list_friend_requests(APP, "a", incoming=False, limit=10) == []


async def test_import_is_one_way_with_custom_data_and_no_allow_type_check(store: Store) -> None:
    await make_accounts(store, "a")
    await make_accounts(store, "d", allow=DENY_ANY)
    item = ImportItem(
        "d",
        SRC,
        remark="r",
        remark_time=11,
        groups=("G", "H", "G"),
        add_wording="w",
        add_time=1420000001,
        custom={"Tag_SNS_Custom_Test": "x", "Tag_SNS_Custom_Num": 7},
    )
    async with store.write() as tx:
        results = await tx.import_friends(APP, "a", [item, item], limits=LIMITS, now=T)
    assert codes(results) == [0, 30001]
    async with store.read() as tx:
        data = (await tx.get_friends(APP, "a", ["d"]))["d"]
    assert (data.add_time, data.remark, data.remark_time, data.groups, data.add_wording) == (
        1420000001,
        "r",
        11,
        ("G", "H"),
        "w",
    )
    assert dict(data.custom) == {"Tag_SNS_Custom_Test": "x", "Tag_SNS_Custom_Num": 7}
    assert await edges(store, "a", "d") == {"d": (True, False)}
    assert await counters(store, "a") == (1, 1, 1)
    async with store.write() as tx:
        again = await tx.import_friends(APP, "a", [item], limits=LIMITS, now=T)
    assert again.results == [ItemResult("d", Code.SNS_BAD_PARAM, Reason.FRIEND_EXISTS)]


async def test_import_respects_the_friend_cap(store: Store) -> None:
    await make_accounts(store, "a", "b", "c")
    async with store.write() as tx:
        results = await tx.import_friends(
            APP,
            "a",
            [ImportItem("b", SRC), ImportItem("c", SRC)],
            limits=replace(LIMITS, max_friends=1),
            now=T,
        )
    assert codes(results) == [0, 30010]


async def test_update_changes_remark_lists_and_custom_and_bumps_sequences(store: Store) -> None:
    await make_accounts(store, "a", "b", "c")
    await befriend(store, "a", "b")
    _, std0, cus0 = await counters(store, "a")
    async with store.write() as tx:
        results = await tx.update_friends(
            APP,
            "a",
            [
                FriendUpdate("b", remark="Bee", groups=("G2", "G1")),
                FriendUpdate("c", remark="nope"),
            ],
            limits=LIMITS,
            now=T + 9,
        )
    assert codes(results) == [0, Code.SNS_NOT_FRIEND_DELETE]
    _, std1, cus1 = await counters(store, "a")
    assert (std1, cus1) == (std0 + 1, cus0)
    async with store.write() as tx:
        await tx.update_friends(
            APP,
            "a",
            [FriendUpdate("b", custom={"Tag_SNS_Custom_Test": 5})],
            limits=LIMITS,
            now=T,
        )
    _, std2, cus2 = await counters(store, "a")
    assert (std2, cus2) == (std1, cus1 + 1)
    async with store.read() as tx:
        data = (await tx.get_friends(APP, "a", ["b"]))["b"]
    assert (data.remark, data.remark_time, set(data.groups)) == ("Bee", T + 9, {"G1", "G2"})
    assert dict(data.custom) == {"Tag_SNS_Custom_Test": 5}


async def test_update_past_the_list_cap_is_30011_for_that_item(store: Store) -> None:
    await make_accounts(store, "a", "b")
    await befriend(store, "a", "b")
    async with store.write() as tx:
        results = await tx.update_friends(
            APP,
            "a",
            [FriendUpdate("b", groups=("X", "Y"))],
            limits=replace(LIMITS, max_lists=1),
            now=T,
        )
    assert codes(results) == [30011]


async def test_delete_single_both_and_non_friend(store: Store) -> None:
    await make_accounts(store, "a", "b", "c", "d")
    await befriend(store, "a", "b", "c")
    async with store.write() as tx:
        assert codes(await tx.delete_friends(APP, "a", ["b", "d"], both=False)) == [0, 31704]
        assert codes(await tx.delete_friends(APP, "a", ["c"], both=True)) == [0]
    assert await edges(store, "a", "b", "c") == {"b": (False, True), "c": (False, False)}
    assert (await counters(store, "a"))[0] == 0
    assert (await counters(store, "b"))[0] == 1
    assert (await counters(store, "c"))[0] == 0


async def test_delete_all_both_ways(store: Store) -> None:
    await make_accounts(store, "a", "b", "c")
    await befriend(store, "a", "b", "c")
    await befriend(store, "b", "c")
    async with store.write() as tx:
        assert len(mine(await tx.delete_all_friends(APP, "a", both=True), "a")) == 2
        assert len(mine(await tx.delete_all_friends(APP, "a", both=True), "a")) == 0
    assert await edges(store, "a", "b", "c") == {"b": (False, False), "c": (False, False)}
    assert [(await counters(store, u))[0] for u in "abc"] == [0, 1, 1]


async def test_friend_page_is_keyset_and_never_repeats_a_friend(store: Store) -> None:
    users = [f"u{i:02d}" for i in range(10)]
    await make_accounts(store, "a", *users)
    await befriend(store, "a", *users, both=False)
    seen: list[str] = []
    start = 0
    async with store.read() as tx:
        page = await tx.get_friend_page(APP, "a", start, 4)
    seen += [f.friend for f in page.friends]
    # concurrent changes: a friend already returned is deleted and added again, one not yet
    # returned is deleted, and a new one is added
    async with store.write() as tx:
        await tx.delete_friends(APP, "a", ["u00", "u06"], both=False)
    await befriend(store, "a", "u00", both=False)
    await make_accounts(store, "new")
    await befriend(store, "a", "new", both=False)
    start = page.next_start
    while start:
        async with store.read() as tx:
            page = await tx.get_friend_page(APP, "a", start, 4)
        seen += [f.friend for f in page.friends]
        start = page.next_start
    assert len(seen) == len(set(seen))
    assert set(seen) == (set(users) - {"u06"}) | {"new"}
    assert page.friend_count == 10


async def test_friend_page_ends_with_next_start_zero(store: Store) -> None:
    await make_accounts(store, "a", "b", "c")
    await befriend(store, "a", "b", "c")
    async with store.read() as tx:
        first = await tx.get_friend_page(APP, "a", 0, 2)
        empty = await tx.get_friend_page(APP, "nobody", 0, 2)
    assert [f.friend for f in first.friends] == ["b", "c"]
    assert first.next_start == 0
    assert (empty.friends, empty.friend_count, empty.next_start) == ([], 0, 0)


async def test_friend_add_and_its_sequences_roll_back_together(store: Store) -> None:
    await make_accounts(store, "a", "b")
    try:
        async with store.write() as tx:
            await tx.add_friends(
                APP, "a", [AddRequest("b", SRC)], both=True, force=False, limits=LIMITS, now=T
            )
            raise RuntimeError("boom")
    except RuntimeError:
        pass
    assert await edges(store, "a", "b") == {"b": (False, False)}
    assert await counters(store, "a") == (0, 0, 0)


async def test_large_batches_past_statement_limits(store: Store) -> None:
    """More pairs than one SQL statement can bind (SQLite: 32766 parameters)."""
    users = [f"u{i:05d}" for i in range(8400)]
    await make_accounts(store, "a", *users)
    unlimited = replace(LIMITS, max_friends=0)
    async with store.write() as tx:
        results = await tx.add_friends(
            APP,
            "a",
            [AddRequest(u, SRC) for u in users],
            both=True,
            force=True,
            limits=unlimited,
            now=T,
        )
    assert set(codes(results)) == {0}
    assert (await counters(store, "a"))[0] == 8400
    async with store.write() as tx:
        assert len(mine(await tx.delete_all_friends(APP, "a", both=True), "a")) == 8400
    assert (await counters(store, "a"))[0] == 0
    assert await edges(store, "a", users[0], users[-1]) == {
        users[0]: (False, False),
        users[-1]: (False, False),
    }


async def test_the_friend_cap_holds_under_concurrent_adds(store: Store) -> None:
    """Twenty users add one target at once; with a cap of 5 exactly 5 succeed (30014 for the
    rest) and the counters agree with the edges."""
    users = [f"c{i:02d}" for i in range(20)]
    await make_accounts(store, "target", *users)
    limits = replace(LIMITS, max_friends=5)
    results = await asyncio.gather(*(befriend(store, u, "target", limits=limits) for u in users))
    assert sorted(code for (code,) in results) == [0] * 5 + [30014] * 15
    found = await edges(store, "target", *users)
    assert sum(mine for mine, _ in found.values()) == 5
    assert (await counters(store, "target"))[0] == 5
