"""Export, import, check and repair of a whole app: every step once, for every backend.

A backend supplies a :class:`BulkDb` (its connection inside one long transaction, a streaming
read and a bulk load) and its :class:`~relchain.storage.bulk_sql.BulkStatements`; the steps
here are the same on both.

Import: rows are loaded as they come (SQLite: ``executemany`` into the tables; PostgreSQL:
``COPY`` into temporary tables merged at the end). New friend, blocklist and list rows carry a
negative position (minus their line) until :meth:`BulkTx.finish_import` gives them their place
after the owner's existing ones; then the derived data (list members, sequences, positions,
mutual follows, every counter) is computed set-based, once, for the whole app.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping, Sequence
from typing import Any, Protocol

from relchain.storage.bulk_sql import BulkStatements
from relchain.storage.db import Row

__all__ = ["LOADS", "REPAIR_STEPS", "BulkDb", "BulkTx"]

# what each kind of record loads: (table, columns); sdkappid is always the first column
LOADS: Mapping[str, tuple[str, tuple[str, ...]]] = {
    "account": ("accounts", ("sdkappid", "user_id", "created_at", "profile", "profile_seq")),
    "follow": ("follows", ("sdkappid", "follower", "followee", "created_at")),
    "list": ("friend_lists", ("sdkappid", "owner", "name", "pos")),
    "friend": (
        "friends",
        (
            "sdkappid",
            "owner",
            "friend",
            "pos",
            "add_source",
            "add_time",
            "add_wording",
            "remark",
            "remark_time",
            "custom",
        ),
    ),
    "member": ("import_members", ("sdkappid", "owner", "friend", "name")),
    "block": ("blocklist", ("sdkappid", "owner", "blocked", "pos", "added_at")),
    "request": (
        "friend_requests",
        (
            "sdkappid",
            "requester",
            "target",
            "created_at",
            "add_source",
            "add_wording",
            "remark",
            "group_name",
            "both_ways",
        ),
    ),
}
# the order repair runs its steps in (later steps count what earlier ones left)
REPAIR_STEPS = ("self_edges", "orphans", "members", "mutuals", "counters", "positions")


class BulkDb(Protocol):
    """A backend's connection inside the one transaction of a bulk use case."""

    sql: BulkStatements

    def stream(self, sql: str, *params: object) -> AsyncIterator[Sequence[Row]]:
        """Every row of ``sql``, in batches of rows (constant memory)."""
        ...

    async def fetch(self, sql: str, *params: object) -> Sequence[Row]: ...

    async def fetchval(self, sql: str, *params: object) -> Any: ...

    async def execute(self, sql: str, *params: object) -> None: ...

    async def begin_load(self, sdkappid: int) -> None:
        """Prepare loading (temporary tables; SQLite: drop the follow indexes of an empty
        table, rebuilt by :meth:`end_load`)."""
        ...

    async def load(self, kind: str, rows: Sequence[tuple[Any, ...]]) -> None:
        """Load rows of one kind of :data:`LOADS` (a row that exists already is left alone;
        accounts merge their profile)."""
        ...

    async def end_load(self) -> None:
        """Everything loaded is in the app's tables now."""
        ...


class BulkTx:
    """Implements :class:`relchain.ports.DataTx` over a :class:`BulkDb`."""

    def __init__(self, db: BulkDb) -> None:
        self.db = db
        self.sql = db.sql

    # -- export ------------------------------------------------------------------------------

    def dump(self, sdkappid: int, kind: str) -> AsyncIterator[Sequence[Row]]:
        return self.db.stream(self.sql.dump[kind], sdkappid)

    def account_ids(self, sdkappid: int) -> AsyncIterator[Sequence[Row]]:
        return self.db.stream(self.sql.account_ids, sdkappid)

    # -- import ------------------------------------------------------------------------------

    async def save_app(self, sdkappid: int, admins_json: str, settings_json: str) -> None:
        await self.db.execute(self.sql.save_app, sdkappid, admins_json, settings_json)

    async def begin_import(self, sdkappid: int) -> None:
        await self.db.begin_load(sdkappid)

    async def load(self, kind: str, rows: Sequence[tuple[Any, ...]]) -> None:
        if rows:
            await self.db.load(kind, rows)

    async def finish_import(self, sdkappid: int) -> None:
        await self.db.end_load()
        sql = self.sql
        for statement in (
            sql.import_member_lists,
            sql.import_members,
            *sql.import_bumps,
            *sql.import_positions,
            sql.import_list_positions,
        ):
            await self.db.execute(statement, sdkappid)
        for step in ("members", "mutuals", "counters", "positions"):
            for statement in sql.repairs[step]:
                await self.db.execute(statement, sdkappid)

    # -- check and repair --------------------------------------------------------------------

    async def problems(
        self, sdkappid: int, caps: Mapping[str, int]
    ) -> dict[str, list[tuple[Any, ...]]]:
        """Example rows of every kind of problem found (kinds without problems left out);
        ``caps`` gives the limit of each ``cap_*`` check (0 = none)."""
        found: dict[str, list[tuple[Any, ...]]] = {}
        for name, statement in self.sql.checks.items():
            if name.startswith("cap_"):
                rows = await self.db.fetch(statement, sdkappid, caps.get(name, 0))
            else:
                rows = await self.db.fetch(statement, sdkappid)
            if rows:
                found[name] = [tuple(r) for r in rows]
        return found

    async def one_way_friends(self, sdkappid: int) -> int:
        return int(await self.db.fetchval(self.sql.one_way, sdkappid) or 0)

    async def repair(self, sdkappid: int) -> None:
        for step in REPAIR_STEPS:
            for statement in self.sql.repairs[step]:
                await self.db.execute(statement, sdkappid)
