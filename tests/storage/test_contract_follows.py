"""The follows part of the storage contract (FollowsTx), for every backend.

Written against the ``Store`` protocol only. A small in-memory model is the reference: after any
sequence of operations every counter must equal the length of the full list it counts, and each
list must equal the model's, in the decided order.
"""

from __future__ import annotations

import random
from collections.abc import Iterable

from relchain.domain.errors import Code
from relchain.domain.follows import FollowCaps, FollowCounts, FollowType, ListKind, Position
from relchain.ports import Store, Tx
from tests.support import codes

APP = 1400000001
OTHER_APP = 1400000002
T0 = 1_700_000_000
NO_CAPS = FollowCaps(0, 0, 0)


async def seed(store: Store, *users: str, sdkappid: int = APP) -> None:
    async with store.write() as tx:
        await tx.import_accounts(sdkappid, [(u, {}) for u in users], T0)


async def full_list(
    tx: Tx, user: str, kind: ListKind, page: int = 3, sdkappid: int = APP
) -> list[tuple[str, int]]:
    out: list[tuple[str, int]] = []
    after: Position | None = None
    while True:
        entries = await tx.list_follows(sdkappid, user, kind, after, page)
        assert entries is not None
        out += [(e.account, e.time) for e in entries]
        if len(entries) < page:
            return out
        after = entries[-1].position


class Model:
    """Edges with their times; lists and counts derived the simple way."""

    def __init__(self) -> None:
        self.edges: dict[tuple[str, str], int] = {}

    def follow(self, a: str, b: str, now: int) -> None:
        self.edges.setdefault((a, b), now)

    def unfollow(self, a: str, b: str) -> None:
        self.edges.pop((a, b), None)

    def remove_user(self, u: str) -> None:
        self.edges = {k: t for k, t in self.edges.items() if u not in k}

    def list(self, user: str, kind: ListKind) -> list[tuple[str, int]]:
        if kind == ListKind.FANS:
            items = [(a, t) for (a, b), t in self.edges.items() if b == user]
        elif kind == ListKind.FOLLOWING:
            items = [(b, t) for (a, b), t in self.edges.items() if a == user]
        else:
            items = [
                (b, max(t, self.edges[(b, a)]))
                for (a, b), t in self.edges.items()
                if a == user and (b, a) in self.edges
            ]
        return sorted(items, key=lambda item: (item[1], item[0]), reverse=True)


async def assert_matches(store: Store, model: Model, users: Iterable[str]) -> None:
    users = list(users)
    async with store.read() as tx:
        counts = await tx.follow_counts(APP, users)
        for u in users:
            lists = {kind: await full_list(tx, u, kind) for kind in ListKind}
            for kind in ListKind:
                assert lists[kind] == model.list(u, kind), (u, kind)
            assert counts[u] == FollowCounts(
                len(lists[ListKind.FANS]),
                len(lists[ListKind.FOLLOWING]),
                len(lists[ListKind.MUTUAL]),
            ), u


async def test_add_follows_answers_none_and_writes_nothing_when_from_is_missing(
    store: Store,
) -> None:
    await seed(store, "b")
    async with store.write() as tx:
        assert await tx.add_follows(APP, "ghost", ["b"], T0, NO_CAPS) is None
        assert await tx.delete_follows(APP, "ghost", ["b"]) is None
    async with store.read() as tx:
        assert await tx.follow_counts(APP, ["b", "ghost"]) == {"b": FollowCounts()}
        assert await tx.follow_types(APP, "ghost", ["b"]) is None
        assert await tx.list_follows(APP, "ghost", ListKind.FANS, None, 10) is None
        assert await full_list(tx, "b", ListKind.FANS) == []


async def test_add_follows_codes_in_order_and_idempotent_repeats(store: Store) -> None:
    await seed(store, "a", "b", "c")
    async with store.write() as tx:
        assert codes(await tx.add_follows(APP, "a", ["b", "ghost", "c"], T0, NO_CAPS)) == [
            0,
            30003,
            0,
        ]
    async with store.write() as tx:
        assert codes(await tx.add_follows(APP, "a", ["c", "b"], T0 + 9, NO_CAPS)) == [0, 0]
    async with store.read() as tx:
        assert await full_list(tx, "a", ListKind.FOLLOWING) == [("c", T0), ("b", T0)]
        assert (await tx.follow_counts(APP, ["a"]))["a"] == FollowCounts(0, 2, 0)


async def test_caps_are_checked_item_by_item_against_the_running_counts(store: Store) -> None:
    await seed(store, "a", "b", "c", "d", "e")
    async with store.write() as tx:
        await tx.add_follows(APP, "c", ["a"], T0, NO_CAPS)
        got = codes(await tx.add_follows(APP, "a", ["b", "c", "d", "e"], T0, FollowCaps(3, 0, 0)))
    assert got == [0, 0, 0, Code.FOLLOW_MY_FOLLOWING_FULL]
    async with store.write() as tx:
        await tx.add_follows(APP, "b", ["e"], T0, NO_CAPS)
        got = codes(await tx.add_follows(APP, "d", ["e"], T0, FollowCaps(0, 1, 0)))
        assert got == [Code.FOLLOW_PEER_FOLLOWERS_FULL]
        # b -> a would make a second mutual for a (a <-> c already): 32103 for the target
        got = codes(await tx.add_follows(APP, "b", ["a"], T0, FollowCaps(0, 0, 1)))
        assert got == [Code.FOLLOW_PEER_MUTUAL_FULL]
        await tx.add_follows(APP, "d", ["a"], T0, NO_CAPS)
        # e does not follow a: not a mutual pair, so the mutual cap does not apply
        assert codes(await tx.add_follows(APP, "a", ["e"], T0, FollowCaps(0, 0, 1))) == [0]
    async with store.write() as tx:
        # a <-> c and a <-> d are mutual; with d dropped a is at the cap (1): following d back
        # is a's own cap, 32102
        await tx.delete_follows(APP, "a", ["d"])
        assert codes(await tx.add_follows(APP, "a", ["d"], T0, FollowCaps(0, 0, 1))) == [
            Code.FOLLOW_MY_MUTUAL_FULL
        ]


async def test_follow_types_for_each_relation(store: Store) -> None:
    await seed(store, "me", "none", "fan", "idol", "pal")
    async with store.write() as tx:
        await tx.add_follows(APP, "fan", ["me"], T0, NO_CAPS)
        await tx.add_follows(APP, "pal", ["me"], T0, NO_CAPS)
        await tx.add_follows(APP, "me", ["idol", "pal"], T0, NO_CAPS)
    async with store.read() as tx:
        types = await tx.follow_types(APP, "me", ["none", "fan", "idol", "pal", "ghost", "me"])
    assert types == {
        "none": FollowType.NONE,
        "fan": FollowType.FAN,
        "idol": FollowType.FOLLOWING,
        "pal": FollowType.MUTUAL,
        "me": FollowType.NONE,
    }


async def test_lists_page_by_position_newest_first_ties_by_account_descending(
    store: Store,
) -> None:
    await seed(store, "star", "a", "b", "c", "d")
    async with store.write() as tx:
        for i, u in enumerate(["a", "b", "c", "d"]):
            await tx.add_follows(APP, u, ["star"], T0 + (i // 2), NO_CAPS)
    async with store.read() as tx:
        assert await full_list(tx, "star", ListKind.FANS, page=1) == [
            ("d", T0 + 1),
            ("c", T0 + 1),
            ("b", T0),
            ("a", T0),
        ]
        after = await tx.list_follows(APP, "star", ListKind.FANS, Position(T0 + 1, "c"), 10)
        assert after is not None
        assert [e.account for e in after] == ["b", "a"]
        # a position that is not an item still splits the order exactly
        after = await tx.list_follows(APP, "star", ListKind.FANS, Position(T0, "az"), 10)
        assert after is not None
        assert [e.account for e in after] == ["a"]


async def test_apps_are_isolated(store: Store) -> None:
    await seed(store, "a", "b")
    await seed(store, "a", "b", sdkappid=OTHER_APP)
    async with store.write() as tx:
        await tx.add_follows(APP, "a", ["b"], T0, NO_CAPS)
    async with store.read() as tx:
        assert (await tx.follow_counts(OTHER_APP, ["b"]))["b"] == FollowCounts()
        assert await full_list(tx, "b", ListKind.FANS, sdkappid=OTHER_APP) == []
        assert await tx.follow_types(OTHER_APP, "a", ["b"]) == {"b": FollowType.NONE}


async def test_counts_equal_lists_after_random_operations(store: Store) -> None:
    users = [f"u{i}" for i in range(8)]
    await seed(store, *users)
    model = Model()
    rng = random.Random(20261123)
    now = T0
    for _ in range(300):
        now += rng.choice([0, 0, 1])
        a = rng.choice(users)
        targets = rng.sample(users, rng.randint(1, 4))
        targets = [t for t in targets if t != a]
        async with store.write() as tx:
            if rng.random() < 0.65:
                got = codes(await tx.add_follows(APP, a, targets, now, NO_CAPS))
                for t in targets:
                    model.follow(a, t, now)
            else:
                got = codes(await tx.delete_follows(APP, a, targets))
                for t in targets:
                    model.unfollow(a, t)
        assert got == [0] * len(targets)
    await assert_matches(store, model, users)


async def test_purge_removes_both_directions_and_fixes_every_counter(store: Store) -> None:
    users = [f"u{i}" for i in range(10)]
    await seed(store, *users)
    model = Model()
    rng = random.Random(7)
    async with store.write() as tx:
        for a in users:
            targets = [t for t in rng.sample(users, 6) if t != a]
            await tx.add_follows(APP, a, targets, T0 + rng.randint(0, 3), NO_CAPS)
    async with store.read() as tx:
        for a in users:
            for b, t in await full_list(tx, a, ListKind.FOLLOWING):
                model.follow(a, b, t)
    gone = ["u2", "u5", "u7"]  # edges among the purged users too
    async with store.write() as tx:
        await tx.purge_follows(APP, gone)
        await tx.delete_accounts(APP, gone)
    for u in gone:
        model.remove_user(u)
    await assert_matches(store, model, [u for u in users if u not in gone])
    # the purged ids start from zero when imported again
    await seed(store, *gone)
    async with store.read() as tx:
        assert (await tx.follow_counts(APP, gone)) == {u: FollowCounts() for u in gone}
        for u in gone:
            for kind in ListKind:
                assert await full_list(tx, u, kind) == []
