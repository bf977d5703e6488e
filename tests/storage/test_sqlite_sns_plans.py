"""SQLite only: every statement the SNS use cases run is an indexed lookup or range scan (the
SQLite backend runs statements inline on the event loop, so none may scan a whole app)."""

from __future__ import annotations

import re
from pathlib import Path

from relchain.domain.profiles import NEED_CONFIRM
from relchain.domain.sns.friends import AddRequest, FriendUpdate, ImportItem
from relchain.domain.sns.rules import SnsLimits
from relchain.storage.sqlite import SQLiteStore

APP = 1400000001
T = 1_700_000_000
SRC = "AddSource_Type_Test"
LIMITS = SnsLimits()
ACCEPTABLE = re.compile(
    r"^(SCAN (\d+ )?CONSTANT ROWS?|SCAN [a-z]|MATERIALIZE [a-z]|CO-ROUTINE [a-z]|LIST SUBQUERY \d+"
    r"|CORRELATED SCALAR SUBQUERY \d+|USE TEMP B-TREE FOR .*|COMPOUND QUERY|LEFT-MOST SUBQUERY"
    r"|UNION (ALL|USING TEMP B-TREE)"
    r"|SEARCH .* USING .*\(sdkappid=\? AND .*\)( LEFT-JOIN)?)$"
)


async def scenario(store: SQLiteStore) -> None:
    """Exercise every FriendsTx method once on a populated database."""
    users = [f"u{i}" for i in range(30)]
    async with store.write() as tx:
        await tx.import_accounts(APP, [(u, {}) for u in ("a", "b", *users)], T)
        await tx.import_accounts(APP, [("n", {"Tag_Profile_IM_AllowType": NEED_CONFIRM})], T)
        await tx.add_friends(
            APP,
            "a",
            [AddRequest(u, SRC, group="G") for u in users[:20]],
            both=True,
            force=True,
            limits=LIMITS,
            now=T,
        )
        await tx.add_friends(
            APP, "b", [AddRequest("n", SRC)], both=True, force=False, limits=LIMITS, now=T
        )
        await tx.import_friends(
            APP, "a", [ImportItem(u, SRC, groups=("H",)) for u in users[20:]], limits=LIMITS, now=T
        )
        await tx.update_friends(
            APP, "a", [FriendUpdate("u1", "r", ("G", "X"), {})], limits=LIMITS, now=T
        )
        await tx.delete_friends(APP, "a", ["u2", "u3"], both=True)
        await tx.friend_edges(APP, "a", users[:5])
        await tx.get_friend_page(APP, "a", 3, 5)
        await tx.get_friends(APP, "a", users[:5])
        await tx.block(APP, "a", users[5:8], limits=LIMITS, now=T)
        await tx.unblock(APP, "a", users[5:6])
        await tx.get_block_page(APP, "a", 0, 5)
        await tx.block_edges(APP, "a", users[5:8])
        await tx.add_friend_lists(APP, "a", ["L1"], users[10:12], limits=LIMITS)
        await tx.get_friend_lists(APP, "a", None)
        await tx.delete_friend_lists(APP, "a", ["L1"])
        await tx.list_friend_requests(APP, "n", incoming=True, limit=5, before=(T + 1, "z"))
        await tx.accept_friend_request(APP, "n", "b", both=True, limits=LIMITS, now=T)
        await tx.reject_friend_request(APP, "n", "b")
        await tx.delete_all_friends(APP, "b", both=True)
        await tx.purge_sns(APP, ["a", "u9"])


async def test_no_sns_statement_scans_an_app(tmp_path: Path) -> None:
    store = SQLiteStore.open(f"sqlite:///{tmp_path / 'plans.db'}")
    statements: list[str] = []
    store._conn.set_trace_callback(statements.append)
    try:
        await scenario(store)
    finally:
        store._conn.set_trace_callback(None)
    checked = 0
    for sql in dict.fromkeys(statements):
        head = sql.lstrip().split(None, 1)[0].upper()
        if head not in {"SELECT", "DELETE", "UPDATE", "WITH"}:
            continue
        plan = [row[3] for row in store._conn.execute("EXPLAIN QUERY PLAN " + sql)]
        bad = [line for line in plan if not ACCEPTABLE.match(line)]
        assert not bad, f"{sql}\n -> {plan}"
        checked += 1
    assert checked > 40
    await store.close()
