"""The user side's writes (the gateway's friend requests and list edits) append their events
with the origin they are given (every backend)."""

from __future__ import annotations

from typing import Any

import pytest
from tests.eventlog import settled
from tests.support import LIMITS, SDKAPPID, SRC, FrozenClock, make_accounts

from relchain.domain.apps import App
from relchain.domain.errors import ApiError
from relchain.domain.events import Event, Origin
from relchain.domain.profiles import NEED_CONFIRM
from relchain.domain.sns.friends import AddRequest
from relchain.ports import Store
from relchain.services.friends import FriendService
from relchain.services.lists import ListService
from relchain.services.requests import RequestService

WEB = Origin("Web", "10.1.2.3", "t", True)


async def rows(store: Store, after: int = 0) -> tuple[list[tuple[Any, ...]], int]:
    events: list[Event] = await settled(store, after=after)
    last = events[-1].id if events else after
    return [(str(e.kind), e.account, e.peers, dict(e.data)) for e in events], last


async def asked(store: Store, clock: FrozenClock, *requesters: str) -> int:
    """``t`` (NeedConfirm) has a pending request from each of ``requesters``."""
    await make_accounts(store, "t", allow=NEED_CONFIRM)
    await make_accounts(store, *requesters)
    friends = FriendService(store, clock)
    for requester in requesters:
        await friends.add(
            SDKAPPID,
            requester,
            [AddRequest("t", SRC, add_wording="hi")],
            both=True,
            force=False,
            limits=LIMITS,
        )
    return (await rows(store))[1]


async def test_accept_appends_friend_added_and_request_accepted_with_the_origin(
    store: Store, app: App, clock: FrozenClock
) -> None:
    last = await asked(store, clock, "r")
    requests = RequestService(store, clock)
    await requests.accept(SDKAPPID, "t", "r", both=True, limits=LIMITS, origin=WEB)
    events = await settled(store, after=last)
    assert [(str(e.kind), e.account, e.peers) for e in events] == [
        ("friend.added", "t", ("r",)),
        ("request.accepted", "t", ("r",)),
    ]
    assert events[0].data == {
        "pairs": [["t", "r"], ["r", "t"]],
        "initiator": "r",
        "client_cmd": "friend_response",
        "force": 0,
    }
    assert {e.origin for e in events} == {WEB}
    await requests.accept(SDKAPPID, "t", "r", both=True, limits=LIMITS, origin=WEB)
    assert (await rows(store, events[-1].id))[0] == []  # no request any more: refused item


async def test_refuse_and_delete_in_both_directions(
    store: Store, app: App, clock: FrozenClock
) -> None:
    last = await asked(store, clock, "r1", "r2", "r3")
    requests = RequestService(store, clock)
    await requests.reject(SDKAPPID, "t", "r1", origin=WEB)
    await requests.delete(SDKAPPID, "t", "r2", incoming=True, origin=WEB)
    await requests.delete(SDKAPPID, "r3", "t", incoming=False)
    await requests.reject(SDKAPPID, "t", "r1")  # gone already: nothing
    got, _ = await rows(store, last)
    assert got == [
        ("request.refused", "t", ("r1",), {}),
        ("request.deleted", "t", ("r2",), {"direction": "received"}),
        ("request.deleted", "r3", ("t",), {"direction": "sent"}),
    ]


async def test_mark_read_appends_only_when_the_mark_moves_forward(
    store: Store, app: App, clock: FrozenClock
) -> None:
    last = await asked(store, clock, "r")
    requests = RequestService(store, clock)
    await requests.mark_read(SDKAPPID, "t", 500, origin=WEB)
    await requests.mark_read(SDKAPPID, "t", 400, origin=WEB)
    await requests.mark_read(SDKAPPID, "t", 500, origin=WEB)
    got, _ = await rows(store, last)
    assert got == [("request.read", "t", (), {"up_to": 500})]


async def test_list_rename_and_remove_members(store: Store, app: App, clock: FrozenClock) -> None:
    await make_accounts(store, "a", "b", "c")
    friends = FriendService(store, clock)
    await friends.add(
        SDKAPPID,
        "a",
        [AddRequest("b", SRC), AddRequest("c", SRC)],
        both=True,
        force=False,
        limits=LIMITS,
    )
    lists = ListService(store, clock)
    await lists.add(SDKAPPID, "a", ["g"], ["b", "c"], limits=LIMITS)
    _, last = await rows(store)
    await lists.rename(SDKAPPID, "a", "g", "h", origin=WEB)
    with pytest.raises(ApiError):
        await lists.rename(SDKAPPID, "a", "nope", "x")
    await lists.remove_members(SDKAPPID, "a", "h", ["b", "ghost"], origin=WEB)
    await lists.remove_members(SDKAPPID, "a", "h", ["b"])  # not in it any more: nothing
    got, _ = await rows(store, last)
    assert got == [
        ("list.updated", "a", (), {"names": ["h"], "renamed": {"g": "h"}}),
        ("list.updated", "a", ("b",), {"names": ["h"], "removed": ["b"]}),
    ]
