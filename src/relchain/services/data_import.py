"""``relchain import``: the data format (or CSV follow edges) into an app, all or nothing.

One write transaction: every line is read, validated and loaded in bulk; then the derived data
is computed (:meth:`relchain.ports.DataTx.finish_import`) and every invariant checked. Any
invalid line (reported with its number and reason) or broken invariant rolls everything back.
``dry_run`` does all of it and rolls back anyway. Merge rules: docs/data-format.md.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field, replace
from typing import Any

import orjson

from relchain.domain.apps import App, show
from relchain.domain.dataformat import (
    MAX_TIME,
    Account,
    AppRecord,
    Block,
    Follow,
    Friend,
    FriendList,
    Record,
    RecordError,
    Request,
    Tags,
    check_header,
    parse_csv_edge,
    parse_record,
)
from relchain.domain.integrity import Finding, caps_of, findings
from relchain.ports import DataStore, DataTx

__all__ = ["ImportFailed", "ImportReport", "LineProblem", "import_lines"]

FLUSH = 20_000  # rows of one kind loaded at once
MAX_PROBLEMS = 1000  # invalid lines reported (all are counted)
PROGRESS_EVERY = 50_000


@dataclass(frozen=True, slots=True)
class LineProblem:
    line: int
    reason: str


@dataclass
class ImportReport:
    """What was read (records per kind) and whether it was written."""

    lines: int = 0
    records: dict[str, int] = field(default_factory=dict)
    created_accounts: int = 0
    dry_run: bool = False


class ImportFailed(Exception):
    """Nothing was written: invalid lines, or invariants the data would break."""

    def __init__(
        self, problems: list[LineProblem], invalid: int, broken: list[Finding] | None = None
    ) -> None:
        super().__init__(f"{invalid} invalid lines" if invalid else "invariants broken")
        self.problems = problems
        self.invalid = invalid
        self.broken = broken or []


class _Rollback(Exception):
    """A dry run ends here."""


class _Importer:
    def __init__(
        self, tx: DataTx, app: App, known: dict[str, int], now: int, commands: Collection[str]
    ) -> None:
        self.tx = tx
        self.app = app
        self.sid = app.sdkappid
        self.known = known  # account -> line that created it (0: in the app before)
        self.now = now
        self.commands = commands
        self.tags = Tags(app.settings.custom_profile_tags, app.settings.custom_sns_tags)
        self.rows: dict[str, list[tuple[Any, ...]]] = {}
        self.problems: list[LineProblem] = []
        self.invalid = 0
        self.report = ImportReport()
        self.app_changed = False
        self.create_missing = False

    def fail(self, line: int, reason: str) -> None:
        self.invalid += 1
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(LineProblem(line, reason))

    async def add(self, kind: str, row: tuple[Any, ...]) -> None:
        if self.invalid:
            return  # nothing will be written: only validate the rest
        rows = self.rows.setdefault(kind, [])
        rows.append(row)
        if len(rows) >= FLUSH:
            await self.tx.load(kind, rows)
            rows.clear()

    async def flush(self) -> None:
        for kind, rows in self.rows.items():
            await self.tx.load(kind, rows)
            rows.clear()

    async def need(self, user: str, name: str, line: int) -> bool:
        """``user`` is an account (CSV: created when missing); else the line is invalid."""
        if user in self.known:
            return True
        if self.create_missing:
            self.known[user] = line
            self.report.created_accounts += 1
            await self.add("account", (self.sid, user, self.now, "{}", 0))
            return True
        self.fail(
            line,
            f"{name}: account {user!r} does not exist (not in the app, nor on an earlier line)",
        )
        return False

    async def record(self, rec: Record, line: int) -> None:
        sid, now = self.sid, self.now
        if isinstance(rec, Follow):
            if await self.need(rec.src, "from", line) and await self.need(rec.dst, "to", line):
                await self.add(
                    "follow", (sid, rec.src, rec.dst, now if rec.time is None else rec.time)
                )
        elif isinstance(rec, Account):
            first = self.known.get(rec.id)
            if first:
                self.fail(line, f"id: account {rec.id!r} is on line {first} already")
                return
            self.known[rec.id] = line
            profile = orjson.dumps(dict(rec.profile)).decode()
            created = now if rec.created is None else rec.created
            await self.add("account", (sid, rec.id, created, profile, 1 if rec.profile else 0))
            self.report.created_accounts += first is None
        elif isinstance(rec, Friend):
            if await self.need(rec.owner, "owner", line) and await self.need(
                rec.friend, "friend", line
            ):
                custom = orjson.dumps(dict(rec.custom)).decode()
                add_time = now if rec.add_time is None else rec.add_time
                await self.add(
                    "friend",
                    (sid, rec.owner, rec.friend, -line, rec.add_source, add_time, rec.add_wording,
                     rec.remark, rec.remark_time, custom),
                )  # fmt: skip
                for name in rec.groups:
                    await self.add("member", (sid, rec.owner, rec.friend, name))
        elif isinstance(rec, Block):
            if await self.need(rec.owner, "owner", line) and await self.need(
                rec.blocked, "blocked", line
            ):
                time = now if rec.time is None else rec.time
                await self.add("block", (sid, rec.owner, rec.blocked, -line, time))
        elif isinstance(rec, FriendList):
            if await self.need(rec.owner, "owner", line):
                await self.add("list", (sid, rec.owner, rec.name, -line))
        elif isinstance(rec, Request):
            if await self.need(rec.src, "from", line) and await self.need(rec.dst, "to", line):
                time = now if rec.time is None else rec.time
                await self.add(
                    "request",
                    (sid, rec.src, rec.dst, time, rec.add_source, rec.add_wording, rec.remark,
                     rec.group, rec.both),
                )  # fmt: skip
        else:
            self.apply_app(rec, line)

    def apply_app(self, rec: AppRecord, line: int) -> None:
        """The file's settings replace the app's (custom tags are added to the registered
        ones), its admins are added; only before the first account."""
        if any(self.known.values()):
            self.fail(line, "kind: the app record must come before every account")
            return
        settings = self.app.settings
        # custom tags first: the other settings may name them
        ordered = sorted(rec.settings.items(), key=lambda item: not item[0].startswith("custom_"))
        for name, given in ordered:
            value = given
            if name in ("custom_profile_tags", "custom_sns_tags") and isinstance(given, list):
                value = [*getattr(settings, name), *given]
            try:
                settings = settings.with_setting(name, show(_tuple(value)), self.commands)
            except ValueError as exc:
                self.fail(line, f"settings.{exc}")
                return
        app = self.app
        for admin in rec.admins:
            app = app.with_admin(admin, present=True)
        self.app = replace(app, settings=settings)
        self.tags = Tags(settings.custom_profile_tags, settings.custom_sns_tags)
        self.app_changed = True


_KIND: dict[type, str] = {
    AppRecord: "app",
    Account: "account",
    Follow: "follow",
    FriendList: "list",
    Friend: "friend",
    Block: "block",
    Request: "request",
}


def _tuple(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


async def import_lines(
    store: DataStore,
    app: App,
    lines: Iterable[bytes],
    *,
    now: int,
    commands: Collection[str],
    csv: bool = False,
    dry_run: bool = False,
    create_missing: bool | None = None,
    progress: Callable[[int], None] = lambda n: None,
) -> ImportReport:
    """Import ``lines`` (the data format, or ``from,to[,time]`` CSV lines) into ``app``;
    ``ImportFailed`` when nothing was written. Accounts that records name but no record
    creates are an error, unless ``create_missing`` (default: for CSV), which creates them."""
    try:
        async with store.data(write=True) as tx:
            known: dict[str, int] = {}
            async for batch in tx.account_ids(app.sdkappid):
                known.update((row[0], 0) for row in batch)
            imp = _Importer(tx, app, known, now, commands)
            imp.create_missing = csv if create_missing is None else create_missing
            imp.report.dry_run = dry_run
            await tx.begin_import(app.sdkappid)
            await _read(imp, lines, csv, progress)
            if imp.invalid:
                raise ImportFailed(imp.problems, imp.invalid)
            await imp.flush()
            if imp.app_changed:
                await tx.save_app(
                    app.sdkappid,
                    orjson.dumps(list(imp.app.admins)).decode(),
                    orjson.dumps(imp.app.settings.to_json()).decode(),
                )
            await tx.finish_import(app.sdkappid)
            broken = findings(await tx.problems(app.sdkappid, caps_of(imp.app.settings)))
            if broken:
                raise ImportFailed([], 0, broken)
            if dry_run:
                raise _Rollback
    except _Rollback:
        pass
    return imp.report


async def _read(
    imp: _Importer, lines: Iterable[bytes], csv: bool, progress: Callable[[int], None]
) -> None:
    loads = orjson.loads
    counts = imp.report.records
    known, sid, now = imp.known, imp.sid, imp.now
    number = 0
    for number, raw in enumerate(lines, start=1):
        if number % PROGRESS_EVERY == 0:
            progress(number)
        try:
            if csv:
                text = raw.strip()
                if not text:
                    continue
                rec: Record = parse_csv_edge(text.decode("utf-8").split(","))
            else:
                value = loads(raw)
                if number == 1:
                    check_header(value)
                    continue
                if type(value) is dict and value.get("kind") == "follow":
                    # the common case, fast: two known accounts (so valid ids), a valid time
                    src, dst, t = value.get("from"), value.get("to"), value.get("time")
                    if (
                        type(src) is str
                        and type(dst) is str
                        and src != dst
                        and src in known
                        and dst in known
                        and (t is None or (type(t) is int and 0 <= t <= MAX_TIME))
                    ):
                        counts["follow"] = counts.get("follow", 0) + 1
                        await imp.add("follow", (sid, src, dst, now if t is None else t))
                        continue
                rec = parse_record(value, imp.tags)
        except (RecordError, orjson.JSONDecodeError, UnicodeDecodeError) as exc:
            if not raw.strip():
                continue  # blank lines are allowed
            if number == 1 and not csv and not isinstance(exc, RecordError):
                exc = RecordError("not a relchain data file: line 1 must be its header")
            imp.fail(number, _reason(exc))
            if number == 1 and not csv:
                break
            continue
        kind = _KIND[type(rec)]
        counts[kind] = counts.get(kind, 0) + 1
        await imp.record(rec, number)
    imp.report.lines = number
    if number == 0 and not csv:
        imp.fail(1, "empty file: line 1 must be the header")
    progress(number)


def _reason(exc: Exception) -> str:
    if isinstance(exc, orjson.JSONDecodeError):
        return f"not JSON: {exc.msg}"
    if isinstance(exc, UnicodeDecodeError):
        return "not UTF-8 text"
    return str(exc)
