"""Storage contract for pending friend requests (for the user-side API) and account purge."""

from __future__ import annotations

from dataclasses import replace

from relchain.domain.errors import Code
from relchain.domain.profiles import NEED_CONFIRM
from relchain.domain.results import ItemResult
from relchain.domain.sns.friends import AddRequest
from relchain.domain.sns.plan import PurgedPeers
from relchain.ports import Store
from tests.support import LIMITS, SRC, befriend, codes, counters, edges, make_accounts
from tests.support import SDKAPPID as APP
from tests.support import T0 as T


async def ask(
    store: Store, requester: str, target: str, *, both: bool = True, now: int = T, group: str = ""
) -> None:
    async with store.write() as tx:
        results = await tx.add_friends(
            APP,
            requester,
            [AddRequest(target, SRC, remark="r", group=group, add_wording="hi")],
            both=both,
            force=False,
            limits=LIMITS,
            now=now,
        )
    assert codes(results) == [Code.SNS_PENDING]


async def test_requests_list_newest_first_with_keyset_paging(store: Store) -> None:
    await make_accounts(store, "t", allow=NEED_CONFIRM)
    await make_accounts(store, "r1", "r2", "r3")
    for i, requester in enumerate(["r1", "r2", "r3"]):
        await ask(store, requester, "t", now=T + i)
    async with store.read() as tx:
        first = await tx.list_friend_requests(APP, "t", incoming=True, limit=2)
        last = first[-1]
        rest = await tx.list_friend_requests(
            APP, "t", incoming=True, limit=2, before=(last.created_at, last.requester)
        )
    assert [r.requester for r in first] == ["r3", "r2"]
    assert [r.requester for r in rest] == ["r1"]
    assert (first[0].add_wording, first[0].remark, first[0].both) == ("hi", "r", True)


async def test_agree_adds_the_requester_one_way(store: Store) -> None:
    await make_accounts(store, "t", "r", allow=NEED_CONFIRM)
    await ask(store, "r", "t", group="Mates")
    async with store.write() as tx:
        result = await tx.accept_friend_request(APP, "t", "r", both=False, limits=LIMITS, now=T)
    assert result.results == [ItemResult.ok("r")]
    assert await edges(store, "r", "t") == {"t": (True, False)}
    async with store.read() as tx:
        assert await tx.list_friend_requests(APP, "t", incoming=True, limit=9) == []
        mine = (await tx.get_friends(APP, "r", ["t"]))["t"]
        lists, _ = await tx.get_friend_lists(APP, "r", None)
    assert (mine.remark, mine.groups, mine.add_source) == ("r", ("Mates",), SRC)
    assert [x.name for x in lists] == ["Mates"]


async def test_agree_and_add_makes_both_ways_with_the_accepters_remark(store: Store) -> None:
    await make_accounts(store, "t", "r", allow=NEED_CONFIRM)
    await ask(store, "r", "t")
    async with store.write() as tx:
        result = await tx.accept_friend_request(
            APP, "t", "r", both=True, remark="req", group="In", limits=LIMITS, now=T
        )
    assert codes(result) == [0]
    assert await edges(store, "t", "r") == {"r": (True, True)}
    async with store.read() as tx:
        data = (await tx.get_friends(APP, "t", ["r"]))["r"]
    assert (data.remark, data.groups) == ("req", ("In",))


async def test_accept_without_a_request_is_30001_and_caps_apply(store: Store) -> None:
    await make_accounts(store, "t", "r", "x", allow=NEED_CONFIRM)
    async with store.write() as tx:
        none = await tx.accept_friend_request(APP, "t", "r", both=True, limits=LIMITS, now=T)
    assert codes(none) == [30001]
    await ask(store, "r", "t")
    await befriend(store, "t", "x", force=True)
    async with store.write() as tx:
        full = await tx.accept_friend_request(
            APP, "t", "r", both=True, limits=replace(LIMITS, max_friends=1), now=T
        )
    assert codes(full) == [Code.SNS_MY_FRIENDS_FULL]


async def test_reject_drops_the_request(store: Store) -> None:
    await make_accounts(store, "t", "r", allow=NEED_CONFIRM)
    await ask(store, "r", "t")
    async with store.write() as tx:
        assert (await tx.reject_friend_request(APP, "t", "r")).requests_removed == [("r", "t")]
        assert (await tx.reject_friend_request(APP, "t", "r")).requests_removed == []
    assert await edges(store, "r", "t") == {"t": (False, False)}


async def test_purge_removes_everything_and_fixes_the_other_side(store: Store) -> None:
    await make_accounts(store, "gone", "b", "c", "d", "e")
    await make_accounts(store, "n", allow=NEED_CONFIRM)
    await befriend(store, "gone", "b", "c")
    await befriend(store, "b", "c")
    async with store.write() as tx:
        await tx.add_friend_lists(APP, "b", ["g"], ["gone", "c"], limits=LIMITS)
        await tx.block(APP, "gone", ["d"], limits=LIMITS, now=T)
        await tx.block(APP, "e", ["gone"], limits=LIMITS, now=T)
    await ask(store, "gone", "n")
    await make_accounts(store, "gone2", allow=NEED_CONFIRM)
    await ask(store, "b", "gone2")
    _, b_std, _ = await counters(store, "b")
    async with store.write() as tx:
        await tx.purge_sns(APP, ["gone", "gone2"])
    assert await edges(store, "b", "gone", "c") == {"gone": (False, False), "c": (True, True)}
    assert await counters(store, "b") == (1, b_std + 1, 0)
    async with store.read() as tx:
        lists, _ = await tx.get_friend_lists(APP, "b", None)
        assert [(x.name, x.members) for x in lists] == [("g", ("c",))]
        assert await tx.block_edges(APP, "e", ["d"]) == {"d": (False, False)}
        assert (await tx.get_block_page(APP, "e", 0, 10)).entries == []
        assert await tx.list_friend_requests(APP, "n", incoming=True, limit=9) == []
        assert await tx.list_friend_requests(APP, "b", incoming=False, limit=9) == []
        assert (await tx.get_friend_page(APP, "gone", 0, 10)).friend_count == 0
    # b's pending counter is back to 0
    await make_accounts(store, "m", allow=NEED_CONFIRM)
    assert await befriend(store, "b", "m", limits=replace(LIMITS, max_pending=1)) == [30539]
    # e's blocklist count is back to 0
    async with store.write() as tx:
        res = await tx.block(APP, "e", ["d"], limits=replace(LIMITS, max_blocklist=1), now=T)
    assert codes(res) == [0]


async def test_purge_names_the_kept_users_whose_lists_lost_each_account(store: Store) -> None:
    """Who had it as a friend, who blocked it, who had asked it and whom it had asked; not the
    users only it had as a friend or blocked (their SDKs do not cache it), not the purged."""
    await make_accounts(store, "gone", "gone2", "n", "t2", allow=NEED_CONFIRM)
    await make_accounts(store, "f1", "f2", "o", "bl", "gb", "rq", "rq2")
    await befriend(store, "gone", "f1", "gone2", force=True)  # both ways
    await befriend(store, "f2", "gone", both=False, force=True)  # f2 -> gone only
    await befriend(store, "gone", "o", both=False)  # gone -> o only: o does not cache gone
    async with store.write() as tx:
        await tx.block(APP, "bl", ["gone"], limits=LIMITS, now=T)
        await tx.block(APP, "gone", ["gb"], limits=LIMITS, now=T)
    for requester, target in [("rq", "gone"), ("rq2", "gone"), ("gone", "n"), ("gone", "t2")]:
        await ask(store, requester, target)
    await ask(store, "rq", "gone2")
    await ask(store, "gone2", "n")
    async with store.write() as tx:
        purged = await tx.purge_sns(APP, ["gone2", "gone", "nobody"])
    assert purged == {
        "gone": PurgedPeers(
            friend_of=["f1", "f2"],
            blocked_by=["bl"],
            requests_from=["rq", "rq2"],
            requests_to=["n", "t2"],
        ),
        "gone2": PurgedPeers(friend_of=[], requests_from=["rq"], requests_to=["n"]),
        "nobody": PurgedPeers(),
    }
    async with store.read() as tx:
        assert await tx.list_friend_requests(APP, "n", incoming=True, limit=9) == []
        assert await tx.list_friend_requests(APP, "rq", incoming=False, limit=9) == []
    async with store.write() as tx:  # nothing left to purge: nothing named
        assert await tx.purge_sns(APP, ["gone"]) == {"gone": PurgedPeers()}
