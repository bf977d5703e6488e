"""What a ``Chat`` client's events carry, and how the gateway's pushes become events (the same
pushes the Web SDK decodes; docs/websdk.md lists their shapes)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from relchain.client._events import Event

__all__ = [
    "BlocklistChange",
    "ChatEvent",
    "FollowListChange",
    "FriendListChange",
    "FriendRequest",
    "FriendRequestChange",
    "ProfileChange",
    "decode_push",
]

REQUESTS_READ = 7  # the PushType of "incoming requests marked read"
_FOLLOW_EVENTS = {
    1: Event.MY_FOLLOWERS_LIST_UPDATED,
    2: Event.MY_FOLLOWING_LIST_UPDATED,
    3: Event.MUTUAL_FOLLOWERS_LIST_UPDATED,
}


@dataclass(frozen=True, slots=True)
class ChatEvent:
    """One event: ``name`` is the Web SDK's event; ``data`` one of the change classes below, or
    None when the list changed in a way the push does not say (read it again)."""

    name: Event
    data: Any = None


@dataclass(frozen=True, slots=True)
class FollowListChange:
    """``user_ids`` joined (``added``) or left the followers, following or mutual list."""

    user_ids: tuple[str, ...]
    added: bool


@dataclass(frozen=True, slots=True)
class FriendListChange:
    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    updated: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class FriendRequest:
    """A pending friend request: ``user_id`` is the other side; ``incoming`` when they asked."""

    user_id: str
    incoming: bool
    source: str = ""
    wording: str = ""
    time: int = 0


@dataclass(frozen=True, slots=True)
class FriendRequestChange:
    """Requests made (``added``), gone (``removed``: answered, withdrawn or replaced; the other
    sides' ids), or incoming requests marked read (``read``)."""

    added: tuple[FriendRequest, ...] = ()
    removed: tuple[str, ...] = ()
    read: bool = False


@dataclass(frozen=True, slots=True)
class BlocklistChange:
    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ProfileChange:
    user_id: str
    tags: dict[str, Any] = field(default_factory=dict)


def _ids(value: Any) -> tuple[str, ...]:
    return tuple(v for v in value if isinstance(v, str)) if isinstance(value, list) else ()


KICKED = "kicked"  # KICKED_OUT's data when the server ended the session (account deleted)


def decode_push(user_id: str, body: dict[str, Any]) -> list[ChatEvent]:
    """The events of one ``im_open_push.msg_push`` body for ``user_id``: one event per follow
    change, and one per kind of relation change (friends, requests, blocklist) of the push."""
    events: list[ChatEvent] = []
    mods: list[dict[str, Any]] = []
    for item in body.get("EventArray") or []:
        if not isinstance(item, dict):
            continue
        for change in item.get("FollowChangeList") or []:
            account = change.get("From_Account", "")
            for diff in change.get("FollowDiffList") or []:
                name = _FOLLOW_EVENTS.get(diff.get("FollowType"))
                if name is not None:
                    added = diff.get("IsAdd") == 1
                    events.append(ChatEvent(name, FollowListChange((account,), added)))
        mods += [m for m in item.get("FriendListMod") or [] if isinstance(m, dict)]
        for notice in item.get("C2cNotifyMsgArray") or []:
            if isinstance(notice, dict) and "KickoutMsgNotify" in notice:
                events.append(ChatEvent(Event.KICKED_OUT, KICKED))
        for mod in item.get("ProfileDataMod") or []:
            tags = {
                p.get("Tag", ""): p.get("ValueBytes", p.get("ValueNum", p.get("Value")))
                for p in mod.get("ProfileList") or []
            }
            change = ProfileChange(mod.get("Profile_Account", ""), tags)
            events.append(ChatEvent(Event.PROFILE_UPDATED, change))
    return events + _relations(user_id, mods)


def _all(mods: list[dict[str, Any]], key: str) -> tuple[str, ...]:
    return tuple(a for mod in mods for a in _ids(mod.get(key)))


def _relations(user_id: str, mods: list[dict[str, Any]]) -> list[ChatEvent]:
    out: list[ChatEvent] = []
    updated = tuple(
        u.get("Friend_Account", "")
        for mod in mods
        for u in mod.get("FriendUpInfo") or []
        if isinstance(u, dict)
    )
    friends = FriendListChange(
        _all(mods, "FriendAdd_Account"), _all(mods, "FriendDel_Account"), updated
    )
    if friends != FriendListChange():
        out.append(ChatEvent(Event.FRIEND_LIST_UPDATED, friends))
    requests = tuple(
        FriendRequest(
            p.get("PendencyAdd_Account", ""),
            mod.get("From_Account", "") != user_id,  # sent by someone else: incoming
            p.get("AddSource", ""),
            p.get("AddWording", ""),
            p.get("AddTime", 0),
        )
        for mod in mods
        for p in mod.get("PendencyAdd") or []
        if isinstance(p, dict)
    )
    read = any(mod.get("PushType") == REQUESTS_READ for mod in mods)
    change = FriendRequestChange(requests, _all(mods, "FrienPencydDel_Account"), read)
    if change != FriendRequestChange():
        out.append(ChatEvent(Event.FRIEND_APPLICATION_LIST_UPDATED, change))
    blocks = BlocklistChange(_all(mods, "BlackListAdd_Account"), _all(mods, "BlackListDel_Account"))
    if blocks != BlocklistChange():
        out.append(ChatEvent(Event.BLACKLIST_UPDATED, blocks))
    return out


RESYNC_EVENTS = (
    Event.FRIEND_LIST_UPDATED,
    Event.FRIEND_GROUP_LIST_UPDATED,
    Event.FRIEND_APPLICATION_LIST_UPDATED,
    Event.BLACKLIST_UPDATED,
)
"""Sent with ``data`` None after a reconnect or a server resync: these lists may have changed
while the client did not hear; read them again."""
