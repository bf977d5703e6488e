"""Which pushes an event of the log makes, and for whom: ``pushes_for(event)`` maps every kind
of :mod:`relchain.domain.events` to the Web SDK's push bodies (:mod:`._pushes`) for each account
it touches. Pure: the fan-out (:mod:`._fanout`) delivers them to the connections it holds.

Two kinds need the database at delivery, and say so instead of a body: a friend's data changed
(``FRIEND_DATA``: the push carries the new values, read then) and a profile changed
(``to_friends``: the push also goes to the online users who have that account as a friend, the
only other users whose SDK caches a profile; followers' lists are not cached).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from relchain.domain.events import Event, EventKind
from relchain.domain.sns.friends import FriendData
from relchain.domain.sns.rules import TAG_ADD_SOURCE, TAG_ADD_TIME, TAG_GROUP, TAG_REMARK
from relchain.http.gateway import _pushes as pushes

__all__ = ["NEEDS_NAMES", "Action", "Names", "Push", "friend_data_push", "pushes_for"]


class Action(Enum):
    PUSH = "push"  # send ``body`` (an ``im_open_push.msg_push`` body)
    RESYNC = "resync"  # make the SDK log in again and reload its friend and friend-list caches
    KICK = "kick"  # the account is gone: KICKED_OUT, then close its sockets
    FRIEND_DATA = "friend_data"  # read ``user``'s data of ``friends`` and push it (PushType 8)


@dataclass(frozen=True, slots=True)
class Push:
    """One thing to deliver to every connection of ``user``."""

    user: str
    action: Action = Action.PUSH
    body: Mapping[str, Any] = field(default_factory=dict)
    to_friends: bool = False  # also to the online users who have ``user`` as a friend
    friends: tuple[str, ...] = ()  # FRIEND_DATA: whose data
    fields: tuple[str, ...] = ()  # FRIEND_DATA: the tags that changed


Names = Mapping[str, tuple[str, str]]  # account -> (nick, avatar)
NEEDS_NAMES = frozenset({EventKind.FOLLOW_ADDED})  # kinds whose pushes name accounts' profiles


def pushes_for(event: Event, names: Names | None = None) -> list[Push]:
    """The pushes of one event, in delivery order (never raises on odd ``data``: a key of the
    wrong type counts as absent). ``names``: the nick and avatar of the accounts of a
    ``NEEDS_NAMES`` event, when the caller read them."""
    if event.kind is EventKind.FOLLOW_ADDED:
        return _follows(event, True, names)
    handler = _HANDLERS.get(event.kind)
    return handler(event) if handler is not None else []


# ---------------------------------------------------------------------------- follows


def _follows(event: Event, added: bool, names: Names | None = None) -> list[Push]:
    follower = event.account
    mutual = set(_strings(event.data.get("mutual")))
    mine: list[tuple[str, int, bool]] = [(p, pushes.FOLLOWING, added) for p in event.peers]
    mine += [(p, pushes.MUTUAL, added) for p in event.peers if p in mutual]
    out = [Push(follower, body=pushes.follow_changed(mine, names))] if mine else []
    for peer in event.peers:
        theirs = [(follower, pushes.FOLLOWERS, added)]
        if peer in mutual:
            theirs.append((follower, pushes.MUTUAL, added))
        out.append(Push(peer, body=pushes.follow_changed(theirs, names)))
    return out


# ---------------------------------------------------------------------------- friends


def _pairs(event: Event) -> dict[str, list[str]]:
    """``data["pairs"]`` ([[from, to], ...]) as owner -> the friends of owner's list changed."""
    owners: dict[str, list[str]] = defaultdict(list)
    raw = event.data.get("pairs")
    for pair in raw if isinstance(raw, list | tuple) else ():
        if (
            isinstance(pair, list | tuple)
            and len(pair) == 2
            and all(isinstance(a, str) for a in pair)
            and pair[1] not in owners[pair[0]]
        ):
            owners[pair[0]].append(pair[1])
    return owners


def _friends_added(event: Event) -> list[Push]:
    return [
        Push(owner, body=pushes.friends_changed(owner, friends, []))
        for owner, friends in _pairs(event).items()
    ]


def _friends_deleted(event: Event) -> list[Push]:
    return [
        Push(owner, body=pushes.friends_changed(owner, [], friends))
        for owner, friends in _pairs(event).items()
    ]


def _friends_updated(event: Event) -> list[Push]:
    fields = tuple(_strings(event.data.get("fields")))
    if not event.peers:
        return []
    out = [Push(event.account, Action.FRIEND_DATA, friends=event.peers, fields=fields)]
    if TAG_GROUP in fields:  # the SDK's friend-list cache has no push of its own
        out.append(Push(event.account, Action.RESYNC))
    return out


def friend_data_push(owner: str, friends: Iterable[FriendData], fields: Sequence[str]) -> Push:
    """The PushType 8 push of ``owner``'s current data of ``friends``, for the tags that changed
    (every standard and custom tag when ``fields`` is empty): a cleared remark or custom tag is
    sent empty, so the SDK's cached value is replaced."""
    updates: dict[str, list[tuple[str, Any]]] = {}
    for friend in friends:
        updates[friend.friend] = [
            (tag, _friend_value(friend, tag)) for tag in (fields or _all_tags(friend))
        ]
    return Push(owner, body=pushes.friends_updated(owner, updates))


def _all_tags(friend: FriendData) -> list[str]:
    return [TAG_ADD_SOURCE, TAG_REMARK, TAG_GROUP, TAG_ADD_TIME, *friend.custom]


def _friend_value(friend: FriendData, tag: str) -> Any:
    if tag == TAG_REMARK:
        return friend.remark
    if tag == TAG_GROUP:
        return list(friend.groups)
    if tag == TAG_ADD_SOURCE:
        return friend.add_source
    if tag == TAG_ADD_TIME:
        return friend.add_time
    return friend.custom.get(tag, "")


# ---------------------------------------------------------------------------- requests


def _requests_created(event: Event) -> list[Push]:
    """The requester sees sent-out requests to each target; each target an incoming one."""
    requester = event.account
    wording = event.data.get("wording")
    wording = wording if isinstance(wording, Mapping) else {}
    source = event.data.get("source")
    times = event.data.get("time")

    def request(target: str, account: str) -> dict[str, Any]:
        said = wording.get(target, "")
        src = source.get(target, "") if isinstance(source, Mapping) else source
        time = times.get(target) if isinstance(times, Mapping) else times
        return {
            "account": account,
            "wording": said if isinstance(said, str) else "",
            "source": src if isinstance(src, str) else "",
            "time": time if isinstance(time, int) else event.time_ms // 1000,
        }

    if not event.peers:
        return []
    out = [
        Push(
            requester,
            body=pushes.friend_requests_added(
                requester, requester, [request(t, t) for t in event.peers]
            ),
        )
    ]
    out += [
        Push(t, body=pushes.friend_requests_added(t, requester, [request(t, requester)]))
        for t in event.peers
    ]
    return out


def _requests_gone(event: Event) -> list[Push]:
    """Answered, refused or deleted: both sides reload their request lists."""
    if not event.peers:
        return []
    out = [Push(event.account, body=pushes.friend_requests_deleted(event.account, event.peers))]
    out += [Push(p, body=pushes.friend_requests_deleted(p, [event.account])) for p in event.peers]
    return out


def _requests_read(event: Event) -> list[Push]:
    up_to = event.data.get("up_to")
    time = up_to if isinstance(up_to, int) else event.time_ms // 1000
    return [Push(event.account, body=pushes.friend_requests_read(event.account, time))]


# ---------------------------------------------------------------------------- the rest


def _blocks(event: Event, added: bool) -> list[Push]:
    if not event.peers:
        return []
    peers = list(event.peers)
    body = pushes.blocklist_changed(event.account, peers if added else [], [] if added else peers)
    return [Push(event.account, body=body)]


def _lists(event: Event) -> list[Push]:
    return [Push(event.account, Action.RESYNC)]


def _profile(event: Event) -> list[Push]:
    values: dict[str, Any] = {}
    items = event.data.get("items")
    for item in items if isinstance(items, list | tuple) else ():
        if isinstance(item, Mapping) and isinstance(item.get("Tag"), str):
            values[item["Tag"]] = item.get("Value")
    if not values:
        return []
    return [
        Push(event.account, body=pushes.profile_changed(event.account, values), to_friends=True)
    ]


def _account_deleted(event: Event) -> list[Push]:
    """The account's sessions end; the users whose SDKs cache it (and only those: a removal
    of a friend the SDK does not hold throws inside it) lose it from their friends,
    blocklist and requests."""
    gone = event.account
    out = [Push(gone, Action.KICK)]
    out += [
        Push(u, body=pushes.friends_changed(u, [], [gone]))
        for u in _strings(event.data.get("friend_of"))
    ]
    out += [
        Push(u, body=pushes.blocklist_changed(u, [], [gone]))
        for u in _strings(event.data.get("blocked_by"))
    ]
    asked = _strings(event.data.get("requests_from")) + _strings(event.data.get("requests_to"))
    out += [Push(u, body=pushes.friend_requests_deleted(u, [gone])) for u in dict.fromkeys(asked)]
    return out


def _strings(value: Any) -> list[str]:
    return [v for v in value if isinstance(v, str)] if isinstance(value, list | tuple) else []


_HANDLERS = {
    EventKind.FOLLOW_DELETED: lambda e: _follows(e, False),
    EventKind.FRIEND_ADDED: _friends_added,
    EventKind.FRIEND_DELETED: _friends_deleted,
    EventKind.FRIEND_UPDATED: _friends_updated,
    EventKind.REQUEST_CREATED: _requests_created,
    EventKind.REQUEST_ACCEPTED: _requests_gone,
    EventKind.REQUEST_REFUSED: _requests_gone,
    EventKind.REQUEST_DELETED: _requests_gone,
    EventKind.REQUEST_READ: _requests_read,
    EventKind.BLOCK_ADDED: lambda e: _blocks(e, True),
    EventKind.BLOCK_DELETED: lambda e: _blocks(e, False),
    EventKind.LIST_CREATED: _lists,
    EventKind.LIST_DELETED: _lists,
    EventKind.LIST_UPDATED: _lists,
    EventKind.PROFILE_SET: _profile,
    EventKind.ACCOUNT_IMPORTED: lambda e: [],
    EventKind.ACCOUNT_DELETED: _account_deleted,
}
