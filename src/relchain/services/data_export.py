"""``relchain export``: a whole app as the data format (docs/data-format.md), streamed from one
consistent snapshot in constant memory."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Sequence
from typing import Any

import orjson

from relchain.domain.apps import App
from relchain.domain.dataformat import header
from relchain.ports import DataStore

__all__ = ["export_app"]

FLUSH = 4000  # lines written at once
Write = Callable[[bytes], Any]
_dumps = orjson.dumps
_SORTED = orjson.OPT_SORT_KEYS


def _json(text: str | bytes) -> Any:
    """A JSON column (objects are written with their keys sorted, whatever the backend kept)."""
    return orjson.Fragment(_dumps(orjson.loads(text), option=_SORTED))


def _plain(text: str) -> bool:
    """``text`` (an account id: printable ASCII) needs no JSON escaping."""
    return '"' not in text and "\\" not in text


def _follows(rows: Sequence[Sequence[Any]]) -> list[bytes]:
    """Follow records, formatted directly (the bulk of most files; the same bytes as orjson's)."""
    return [
        f'{{"kind":"follow","from":"{a}","to":"{b}","time":{t}}}'.encode()
        if _plain(a) and _plain(b)
        else _dumps({"kind": "follow", "from": a, "to": b, "time": t})
        for a, b, t in rows
    ]


async def _rows(batches: AsyncIterator[Sequence[Sequence[Any]]]) -> AsyncIterator[Sequence[Any]]:
    async for batch in batches:
        for row in batch:
            yield row


async def _groups(
    members: AsyncIterator[Sequence[Sequence[Any]]],
) -> AsyncIterator[tuple[str, dict[str, list[str]]]]:
    """The list memberships by owner: (owner, {friend: [list, ...]}), in owner order."""
    owner: str | None = None
    by_friend: dict[str, list[str]] = {}
    async for row_owner, friend, name in _rows(members):
        if row_owner != owner:
            if owner is not None:
                yield owner, by_friend
            owner, by_friend = row_owner, {}
        by_friend.setdefault(friend, []).append(name)
    if owner is not None:
        yield owner, by_friend


async def export_app(
    store: DataStore, app: App, write: Write, now: int, progress: Callable[[str, int], None]
) -> dict[str, int]:
    """Write ``app``'s data through ``write`` (bytes, many lines at a time); returns how many
    records of each kind. ``progress(kind, count)`` is called as records go out."""
    counts: dict[str, int] = {}
    out: list[bytes] = []

    def emit_lines(kind: str, lines: list[bytes]) -> None:
        out.extend(lines)
        counts[kind] = counts.get(kind, 0) + len(lines)
        if len(out) >= FLUSH:
            write(b"\n".join(out) + b"\n")
            out.clear()
            progress(kind, counts[kind])

    def emit(kind: str, record: dict[str, Any]) -> None:
        emit_lines(kind, [_dumps(record)])

    emit("header", header(app.sdkappid, now))
    emit("app", {"kind": "app", "admins": list(app.admins), "settings": app.settings.to_json()})
    sid = app.sdkappid
    async with store.data(write=False) as tx:
        async for batch in tx.dump(sid, "account"):
            emit_lines(
                "account",
                [
                    _dumps({"kind": "account", "id": u, "created": c, "profile": _json(p)})
                    for u, c, p in batch
                ],
            )
        async for batch in tx.dump(sid, "follow"):
            emit_lines("follow", _follows(batch))
        async for owner, name in _rows(tx.dump(sid, "list")):
            emit("list", {"kind": "list", "owner": owner, "name": name})
        groups = _groups(tx.dump(sid, "member"))
        current: tuple[str, dict[str, list[str]]] | None = await anext(groups, None)
        async for row in _rows(tx.dump(sid, "friend")):
            owner, friend = row[0], row[1]
            while current is not None and current[0] < owner:
                current = await anext(groups, None)
            mine = current[1] if current is not None and current[0] == owner else {}
            emit(
                "friend",
                {
                    "kind": "friend",
                    "owner": owner,
                    "friend": friend,
                    "add_source": row[2],
                    "add_time": row[3],
                    "add_wording": row[4],
                    "remark": row[5],
                    "remark_time": row[6],
                    "groups": mine.get(friend, []),
                    "custom": _json(row[7]),
                },
            )
        async for owner, blocked, time in _rows(tx.dump(sid, "block")):
            emit("block", {"kind": "block", "owner": owner, "blocked": blocked, "time": time})
        async for r in _rows(tx.dump(sid, "request")):
            emit(
                "request",
                {
                    "kind": "request",
                    "from": r[0],
                    "to": r[1],
                    "time": r[2],
                    "add_source": r[3],
                    "add_wording": r[4],
                    "remark": r[5],
                    "group": r[6],
                    "both": bool(r[7]),
                },
            )
    if out:
        write(b"\n".join(out) + b"\n")
    counts.pop("header", None)
    return counts
