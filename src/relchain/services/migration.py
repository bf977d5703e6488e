"""``relchain migrate``: pull an app's relationship chain from a Tencent-compatible REST API into
a data file, resumably, then import it (docs/data-format.md, "Migrating from Tencent").

Pulling writes the data format to ``<accounts file>.migrate.jsonl``: first every account with
its profile (``portrait_get``, 100 a call), then for each account its friend lists
(``group_get``), following list (``follow_get``, paged), friends (``friend_get``, paged, and
``friend_get_list`` for the wording of their requests) and blocklist (``black_list_get``,
paged). After each batch of profiles and after each account the file is flushed to disk and
``<accounts file>.migrate.state`` records how far it got and how long the file was then; a run
that finds the state of the same pull goes on from there (the file cut back to that length).
Each API is called at most ``rate`` times a second. When everything is pulled the file is
imported (all or nothing) and the state removed.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

import orjson

from relchain.client import AsyncAdmin, FollowType, NotFound
from relchain.domain.apps import App
from relchain.domain.dataformat import header
from relchain.domain.profiles import STANDARD_TAGS, default_value
from relchain.domain.sns.rules import (
    CUSTOM_PREFIX,
    TAG_ADD_SOURCE,
    TAG_ADD_TIME,
    TAG_ADD_WORDING,
    TAG_GROUP,
    TAG_REMARK,
)
from relchain.ports import DataStore
from relchain.services.data_import import ImportReport, import_lines

__all__ = ["Pacer", "Source", "migrate", "pull"]

PROFILE_BATCH = 100  # portrait_get: accounts per call
PAGE = 500  # follow_get / black_list_get page size (friend_get pages are 500)


@dataclass(frozen=True, slots=True)
class Source:
    """The app to pull from: base URL (before ``/v4``), SDKAppID, admin and key."""

    base_url: str
    sdkappid: int
    admin: str
    key: str


class Pacer:
    """At most ``rate`` calls a second per API (evenly spaced)."""

    def __init__(self, rate: int) -> None:
        self.interval = 1.0 / rate
        self.next: dict[str, float] = {}

    async def wait(self, api: str) -> None:
        loop = asyncio.get_running_loop()
        now = loop.time()
        at = max(now, self.next.get(api, now))
        self.next[api] = at + self.interval
        if at > now:
            await asyncio.sleep(at - now)


def _paths(accounts_file: Path) -> tuple[Path, Path]:
    return (
        accounts_file.with_name(accounts_file.name + ".migrate.jsonl"),
        accounts_file.with_name(accounts_file.name + ".migrate.state"),
    )


class _Out:
    """The data file and its state, saved together after each unit of work."""

    def __init__(self, data: BinaryIO, state_path: Path, key: dict[str, Any]) -> None:
        self.data = data
        self.state_path = state_path
        self.key = key

    def write(self, records: Sequence[dict[str, Any]]) -> None:
        if records:
            self.data.write(b"".join(orjson.dumps(r) + b"\n" for r in records))

    def save(self, phase: str, done: int) -> None:
        self.data.flush()
        os.fsync(self.data.fileno())
        state = {**self.key, "phase": phase, "done": done, "offset": self.data.tell()}
        part = self.state_path.with_name(self.state_path.name + ".part")
        part.write_bytes(orjson.dumps(state))
        part.replace(self.state_path)


def _profile(tags: dict[str, Any]) -> dict[str, Any]:
    """A pulled profile without the standard tags at their default (never set, as far as the
    wire can tell)."""
    return {t: v for t, v in tags.items() if not (t in STANDARD_TAGS and v == default_value(t))}


def _friend(owner: str, tags: dict[str, Any], account: str) -> dict[str, Any]:
    groups = tags.get(TAG_GROUP) or []
    return {
        "kind": "friend",
        "owner": owner,
        "friend": account,
        "add_source": tags.get(TAG_ADD_SOURCE, ""),
        "add_time": tags.get(TAG_ADD_TIME),
        "add_wording": tags.get(TAG_ADD_WORDING, ""),
        "remark": tags.get(TAG_REMARK, ""),
        "groups": [g for g in groups if isinstance(g, str)],
        "custom": {t: v for t, v in tags.items() if t.startswith(CUSTOM_PREFIX)},
    }


async def _relations(admin: AsyncAdmin, pace: Pacer, user: str) -> list[dict[str, Any]]:
    """One account's lists, following, friends and blocklist, every page."""
    records: list[dict[str, Any]] = []
    await pace.wait("group_get")
    for item in (await admin.group_get(user)).lists:
        records.append({"kind": "list", "owner": user, "name": item.name})
    cursor = ""
    while True:
        await pace.wait("follow_get")
        page = await admin.follow_get(
            user, FollowType.FOLLOWING, start_cursor=cursor, want_num=PAGE
        )
        records += [
            {"kind": "follow", "from": user, "to": e.account, "time": e.follow_time}
            for e in page.entries
        ]
        if not page.next_cursor:
            break
        cursor = page.next_cursor
    start = 0
    mine: list[dict[str, Any]] = []
    while True:
        await pace.wait("friend_get")
        friends = await admin.friend_get(user, start_index=start)
        mine += [_friend(user, f.tags, f.account) for f in friends.friends]
        if friends.complete or not friends.next_start_index:
            break
        start = friends.next_start_index
    # friend_get leaves out the request's wording: friend_get_list has it, 100 friends a call
    for at in range(0, len(mine), PROFILE_BATCH):
        batch = mine[at : at + PROFILE_BATCH]
        await pace.wait("friend_get_list")
        infos = await admin.friend_get_list(user, [f["friend"] for f in batch], [TAG_ADD_WORDING])
        wording = {i.account: i.tags.get(TAG_ADD_WORDING) for i in infos if i.code == 0}
        for record in batch:
            record["add_wording"] = wording.get(record["friend"]) or ""
    records += mine
    start = 0
    while True:
        await pace.wait("black_list_get")
        blocks = await admin.black_list_get(user, start_index=start, max_limited=PAGE)
        records += [
            {"kind": "block", "owner": user, "blocked": b.account, "time": b.blocked_at}
            for b in blocks.entries
        ]
        if not blocks.next_start_index:
            break
        start = blocks.next_start_index
    return records


async def pull(
    admin: AsyncAdmin,
    accounts: Sequence[str],
    accounts_file: Path,
    *,
    profile_tags: Sequence[str],
    rate: int,
    now: int,
    key: dict[str, Any],
    progress: Callable[[int, str], None],
) -> Path:
    """Pull everything into the data file (going on from a saved state of the same ``key``);
    returns the file."""
    data_path, state_path = _paths(accounts_file)
    state: dict[str, Any] = {}
    if state_path.exists() and data_path.exists():
        saved = orjson.loads(state_path.read_bytes())
        if {k: saved.get(k) for k in key} == key:
            state = saved
    pace = Pacer(rate)
    with data_path.open("r+b" if state else "wb") as data:
        out = _Out(data, state_path, key)
        if state:
            data.truncate(state["offset"])
            data.seek(state["offset"])
        else:
            out.write([header(int(key["sdkappid"]), now)])
            out.save("profiles", 0)
            state = {"phase": "profiles", "done": 0}
        total = len(accounts)
        if state["phase"] == "profiles":
            for start in range(state["done"], total, PROFILE_BATCH):
                batch = list(accounts[start : start + PROFILE_BATCH])
                await pace.wait("portrait_get")
                found = await admin.portrait_get(batch, profile_tags)
                out.write(
                    [
                        {"kind": "account", "id": p.account, "profile": _profile(p.tags)}
                        for p in found
                        if p.code == 0
                    ]
                )
                out.save("profiles", start + len(batch))
                progress(start + len(batch), f"profiles {start + len(batch)}/{total}")
            state = {"phase": "relations", "done": 0}
        for index in range(state["done"], total):
            try:
                records = await _relations(admin, pace, accounts[index])
            except NotFound:  # not an account there (portrait_get left it out too)
                records = []
            out.write(records)
            out.save("relations", index + 1)
            progress(total + index + 1, f"relations {index + 1}/{total}")
    return data_path


async def migrate(
    store: DataStore,
    app: App,
    source: Source,
    accounts: Sequence[str],
    accounts_file: Path,
    *,
    rate: int,
    now: int,
    commands: Collection[str],
    progress: Callable[[int, str], None],
) -> ImportReport:
    """Pull (or go on pulling) ``accounts`` (those of ``accounts_file``, whose name the data
    and state files take) and import into ``app``; the state is removed once imported."""
    listed = hashlib.sha256("\n".join(accounts).encode()).hexdigest()
    key = {"from": source.base_url, "sdkappid": source.sdkappid, "accounts": listed}
    tags = [*STANDARD_TAGS, *app.settings.custom_profile_tags]
    async with AsyncAdmin(source.base_url, source.sdkappid, source.key, source.admin) as admin:
        data_path = await pull(
            admin,
            accounts,
            accounts_file,
            profile_tags=tags,
            rate=rate,
            now=now,
            key=key,
            progress=progress,
        )
    with data_path.open("rb") as lines:
        report = await import_lines(
            store, app, lines, now=now, commands=commands, create_missing=True
        )
    _paths(accounts_file)[1].unlink(missing_ok=True)
    return report
