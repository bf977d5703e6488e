"""Events: what changed in one committed write, as the event log stores it.

Every write use case appends its events in the transaction of the change (the transactional
outbox); webhooks, the user gateway's pushes, ``GET /events`` and the console's live view all
read them from the log. One event per use case call and kind: a ``follow_add`` of 20 targets is
one ``follow.added`` event whose ``peers`` are the accounts actually followed (items that failed
or changed nothing are not in it). An event with no peer where one is needed is not appended.

``data`` holds what a kind needs beyond ``account`` and ``peers`` (JSON-able, keys below):

==================  =======================  ============================================
kind                account / peers          data
==================  =======================  ============================================
follow.added        follower / followed      ``mutual``: peers now followed both ways
follow.deleted      follower / unfollowed    ``mutual``: peers that were followed both ways
friend.added        caller / new friends     ``pairs`` [[from, to], ...] (each direction
                                             added), ``initiator``, ``client_cmd``
                                             (friend_add, friend_response, friend_import),
                                             ``force`` 0/1
friend.deleted      caller / ex-friends      ``pairs`` [[from, to], ...]
friend.updated      caller / friends         ``fields``: the wire tags changed
request.created     requester / targets      ``wording``: {target: AddWording},
                                             ``source``: {target: AddSource}, ``time``:
                                             {target: the request's time, Unix seconds}
request.accepted    responder / requesters
request.refused     responder / requesters
request.deleted     caller / peers           ``direction``: "sent" or "received"
request.read        caller / (none)          ``up_to``: the time read up to
block.added         caller / blocked
block.deleted       caller / unblocked
list.created        caller / members         ``names``: the lists
list.deleted        caller / (none)          ``names``
list.updated        caller / members         ``names``; ``renamed`` {old: new} when renamed;
                                             ``added`` / ``removed``: members
profile.set         account / (none)         ``items`` [{"Tag", "Value"}]
account.imported    account / (none)
account.deleted     account / (none)         the other users whose lists lost it (each key
                                             only when not empty): ``friend_of`` (had it as
                                             a friend), ``blocked_by``, ``requests_from``
                                             (had asked it), ``requests_to`` (it had asked)
==================  =======================  ============================================
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

__all__ = ["REST", "Event", "EventKind", "NewEvent", "Origin"]


class EventKind(StrEnum):
    FOLLOW_ADDED = "follow.added"
    FOLLOW_DELETED = "follow.deleted"
    FRIEND_ADDED = "friend.added"
    FRIEND_DELETED = "friend.deleted"
    FRIEND_UPDATED = "friend.updated"
    REQUEST_CREATED = "request.created"
    REQUEST_ACCEPTED = "request.accepted"
    REQUEST_REFUSED = "request.refused"
    REQUEST_DELETED = "request.deleted"
    REQUEST_READ = "request.read"
    BLOCK_ADDED = "block.added"
    BLOCK_DELETED = "block.deleted"
    LIST_CREATED = "list.created"
    LIST_DELETED = "list.deleted"
    LIST_UPDATED = "list.updated"
    PROFILE_SET = "profile.set"
    ACCOUNT_IMPORTED = "account.imported"
    ACCOUNT_DELETED = "account.deleted"


@dataclass(frozen=True, slots=True)
class Origin:
    """Who caused a change: ``platform`` is the webhook's ``OptPlatform`` (``RESTAPI`` for the
    REST API, the client's platform for the user gateway), ``operator`` the identifier that
    called (the App admin, or the user acting as itself)."""

    platform: str = "RESTAPI"
    client_ip: str = ""
    operator: str = ""
    user_initiated: bool = False


REST = Origin()


@dataclass(frozen=True, slots=True)
class NewEvent:
    """An event before the log gives it an id and a time."""

    kind: EventKind
    account: str
    peers: tuple[str, ...] = ()
    data: Mapping[str, Any] = field(default_factory=dict)
    origin: Origin = REST

    @property
    def accounts(self) -> tuple[str, ...]:
        """Every account the event touches (``account`` first)."""
        return (self.account, *self.peers)


@dataclass(frozen=True, slots=True)
class Event:
    """An event of the log: ``id`` strictly increases per app, ``time_ms`` is the commit's
    clock in milliseconds."""

    id: int
    sdkappid: int
    time_ms: int
    kind: EventKind
    account: str
    peers: tuple[str, ...] = ()
    data: Mapping[str, Any] = field(default_factory=dict)
    origin: Origin = REST

    @property
    def accounts(self) -> tuple[str, ...]:
        return (self.account, *self.peers)
