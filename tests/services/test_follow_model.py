"""Property test of the follow service against a simple in-memory model (every backend).

Hypothesis draws programs that interleave follows, unfollows, clock ticks and page steps of up
to three open list scans. Checked: each scan returns no account twice, in strictly decreasing
(time, account) order, every account that was in the list for the whole scan, and nothing that
was never in it; after the program every counter equals the length of the full list it counts,
and each list equals the model's.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.support import FrozenClock, codes

from relchain.domain.follows import FollowCaps, ListKind
from relchain.http.cursor import decode_cursor, encode_cursor
from relchain.ports import Store
from relchain.services.follows import FollowService

USERS = ["u0", "u1", "u2", "u3", "u4"]
NO_CAPS = FollowCaps(0, 0, 0)
_apps = itertools.count(1_500_000_000)
T0 = 1_700_000_000


class Model:
    def __init__(self) -> None:
        self.edges: dict[tuple[str, str], int] = {}

    def list(self, user: str, kind: ListKind) -> dict[str, int]:
        if kind == ListKind.FANS:
            return {a: t for (a, b), t in self.edges.items() if b == user}
        if kind == ListKind.FOLLOWING:
            return {b: t for (a, b), t in self.edges.items() if a == user}
        return {
            b: max(t, self.edges[(b, a)])
            for (a, b), t in self.edges.items()
            if a == user and (b, a) in self.edges
        }


@dataclass
class Scan:
    user: str
    kind: ListKind
    want: int
    cursor: str = ""
    done: bool = False
    returned: list[tuple[int, str]] = field(default_factory=list)
    stable: dict[str, int] = field(default_factory=dict)  # in the list, unchanged, so far
    ever: set[str] = field(default_factory=set)  # in the list at some moment of the scan


user = st.sampled_from(USERS)
targets = st.lists(user, min_size=1, max_size=4)
follow = st.tuples(st.just("follow"), user, targets)
unfollow = st.tuples(st.just("unfollow"), user, targets)
page_step = st.tuples(st.just("page"), st.integers(0, 2))
# weighted towards follows so that lists grow long enough to page through
step = st.one_of(
    follow,
    follow,
    follow,
    unfollow,
    page_step,
    page_step,
    st.tuples(st.just("tick"), st.integers(0, 2)),
)
scan_spec = st.tuples(user, st.sampled_from(list(ListKind)), st.integers(1, 3))
# a graph to start from, followed at a few different times (dense enough to page through)
initial = st.lists(st.tuples(user, user, st.integers(0, 3)), min_size=4, max_size=25)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    start=initial,
    scans=st.lists(scan_spec, min_size=1, max_size=3),
    program=st.lists(step, min_size=5, max_size=60),
)
async def test_interleaved_writes_and_scans_match_the_model(
    store: Store,
    start: list[tuple[str, str, int]],
    scans: list[tuple[str, ListKind, int]],
    program: list[tuple[object, ...]],
) -> None:
    sdkappid = next(_apps)  # a fresh app per example: the store is shared between examples
    clock = FrozenClock(T0)
    service = FollowService(store, clock)
    async with store.write() as tx:
        await tx.import_accounts(sdkappid, [(u, {}) for u in USERS], T0)
    model = Model()
    for a, b, dt in sorted(start, key=lambda edge: edge[2]):
        clock.current = T0 + dt
        await service.follow(sdkappid, a, [b], NO_CAPS)
        if a != b:
            model.edges.setdefault((a, b), int(clock.now()))
    open_scans = [Scan(u, k, w) for u, k, w in scans]
    for scan in open_scans:
        scan.stable = model.list(scan.user, scan.kind)
        scan.ever = set(scan.stable)

    async def page(scan: Scan) -> None:
        after = decode_cursor(sdkappid, scan.user, scan.kind, scan.cursor)
        result = await service.page(sdkappid, scan.user, scan.kind, after, scan.want)
        assert len(result.entries) <= scan.want
        scan.returned += [(e.time, e.account) for e in result.entries]
        last = result.entries[-1].position if result.more else None
        scan.cursor = encode_cursor(sdkappid, scan.user, scan.kind, last) if last else ""
        scan.done = not result.more
        if not scan.done:
            assert len(result.entries) == scan.want

    for op in program:
        kind = op[0]
        if kind == "tick":
            clock.advance(op[1])  # type: ignore[arg-type]
        elif kind == "page":
            scan = open_scans[op[1] % len(open_scans)]  # type: ignore[operator]
            if not scan.done:
                await page(scan)
        else:
            a, targets = op[1], op[2]
            assert isinstance(a, str) and isinstance(targets, list)
            if kind == "follow":
                got = codes(await service.follow(sdkappid, a, targets, NO_CAPS))
                assert got == [30001 if t == a else 0 for t in targets]
                for t in targets:
                    if t != a:
                        model.edges.setdefault((a, t), int(clock.now()))
            else:
                assert codes(await service.unfollow(sdkappid, a, targets)) == [0] * len(targets)
                for t in targets:
                    model.edges.pop((a, t), None)
            # counters agree with the model after every write
            counts = await service.counts(sdkappid, USERS[0], USERS)
            assert [(c.followers, c.following, c.mutual) for c in counts if c] == [
                tuple(len(model.list(u, k)) for k in ListKind) for u in USERS
            ]
            for scan in open_scans:
                if scan.done:
                    continue
                now_list = model.list(scan.user, scan.kind)
                scan.ever |= set(now_list)
                scan.stable = {acc: t for acc, t in scan.stable.items() if now_list.get(acc) == t}
    for scan in open_scans:
        while not scan.done:
            await page(scan)
        accounts = [acc for _, acc in scan.returned]
        assert len(accounts) == len(set(accounts)), "an account was returned twice"
        assert scan.returned == sorted(scan.returned, reverse=True), "not in list order"
        assert set(scan.stable) <= set(accounts), "skipped an account present for the whole scan"
        assert set(accounts) <= scan.ever, "returned an account that was never in the list"
    # counts equal full lists equal the model, for everyone
    counts = await service.counts(sdkappid, USERS[0], USERS)
    for u, c in zip(USERS, counts, strict=True):
        assert c is not None
        for kind, count in (
            (ListKind.FANS, c.followers),
            (ListKind.FOLLOWING, c.following),
            (ListKind.MUTUAL, c.mutual),
        ):
            full = Scan(u, kind, 2)
            await page(full)
            while not full.done:
                await page(full)
            expected = sorted(((t, acc) for acc, t in model.list(u, kind).items()), reverse=True)
            assert full.returned == expected, (u, kind)
            assert count == len(expected), (u, kind)
