"""What each write use case appends to the event log, from what it changed (pure).

The services call these inside the transaction of the change, with the outcome the store
returned (a :class:`FollowPlan`, :class:`SnsChanges`, ...), so an event says exactly what was
committed: failed items and items that changed nothing are in no event, and a use case that
changed nothing appends nothing. The kinds and their ``data`` are :mod:`relchain.domain.events`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from relchain.domain.events import EventKind, NewEvent, Origin
from relchain.domain.follows import FollowPlan
from relchain.domain.sns.friends import FriendUpdate
from relchain.domain.sns.plan import PurgedPeers, SnsChanges
from relchain.domain.sns.rules import TAG_GROUP, TAG_REMARK

__all__ = [
    "FRIEND_ADD",
    "FRIEND_IMPORT",
    "FRIEND_RESPONSE",
    "account_events",
    "created_lists",
    "follow_events",
    "friend_events",
    "list_add_events",
    "list_delete_events",
    "list_remove_events",
    "list_rename_events",
    "profile_events",
    "request_events",
    "updated_fields",
]

FRIEND_ADD = "friend_add"
FRIEND_RESPONSE = "friend_response"
FRIEND_IMPORT = "friend_import"


def _unique(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(values))


def follow_events(from_id: str, plan: FollowPlan, *, added: bool, origin: Origin) -> list[NewEvent]:
    """follow_add / follow_delete: one event with the targets actually (un)followed."""
    if not plan.edges:
        return []
    kind = EventKind.FOLLOW_ADDED if added else EventKind.FOLLOW_DELETED
    mutual = [to for _, to in plan.mutual_pairs]
    peers = _unique(to for _, to in plan.edges)
    return [NewEvent(kind, from_id, peers, {"mutual": mutual}, origin)]


def _other(caller: str, pair: tuple[str, str]) -> str:
    return pair[1] if pair[0] == caller else pair[0]


def friend_events(
    caller: str,
    changes: SnsChanges,
    origin: Origin,
    *,
    client_cmd: str = FRIEND_ADD,
    force: bool = False,
    initiator: str = "",
    updates: Sequence[FriendUpdate] = (),
    fulfilled: bool = True,
) -> list[NewEvent]:
    """Every sns write but the list ones: friends added / deleted / updated, blocks, and the
    pending requests created or removed as a side effect. ``client_cmd``, ``force`` and
    ``initiator`` (default the caller) describe how friends were added; ``updates`` are
    friend_update's items (``friend.updated`` is appended only for friend_update);
    ``fulfilled``: requests to the caller that were removed were accepted (a friend add), not
    dropped (a block)."""
    events: list[NewEvent] = []
    if changes.friends_added:
        pairs = [[e.owner, e.friend] for e in changes.friends_added]
        data = {
            "pairs": pairs,
            "initiator": initiator or caller,
            "client_cmd": client_cmd,
            "force": int(force),
        }
        peers = _unique(_other(caller, (o, f)) for o, f in pairs)
        events.append(NewEvent(EventKind.FRIEND_ADDED, caller, peers, data, origin))
    if changes.friends_removed:
        pairs = [list(p) for p in changes.friends_removed]
        peers = _unique(_other(caller, p) for p in changes.friends_removed)
        events.append(NewEvent(EventKind.FRIEND_DELETED, caller, peers, {"pairs": pairs}, origin))
    if updates and changes.friends_updated:
        changed = {f for _, f in changes.friends_updated}
        fields = updated_fields(u for u in updates if u.to in changed)
        peers = _unique(f for _, f in changes.friends_updated)
        events.append(NewEvent(EventKind.FRIEND_UPDATED, caller, peers, {"fields": fields}, origin))
    if changes.blocks_added:
        peers = _unique(b for _, b in changes.blocks_added)
        events.append(NewEvent(EventKind.BLOCK_ADDED, caller, peers, {}, origin))
    if changes.blocks_removed:
        peers = _unique(b for _, b in changes.blocks_removed)
        events.append(NewEvent(EventKind.BLOCK_DELETED, caller, peers, {}, origin))
    events += request_events(caller, changes, origin, accepted=fulfilled)
    events += created_lists(changes, origin)
    return events


def updated_fields(updates: Iterable[FriendUpdate]) -> list[str]:
    """The wire tags friend_update items change: remark, group, custom tags (in order)."""
    fields: dict[str, None] = {}
    for update in updates:
        if update.remark is not None:
            fields[TAG_REMARK] = None
        if update.groups is not None:
            fields[TAG_GROUP] = None
        fields.update(dict.fromkeys(update.custom))
    return list(fields)


def request_events(
    caller: str,
    changes: SnsChanges,
    origin: Origin,
    *,
    accepted: bool = True,
    refused: bool = False,
) -> list[NewEvent]:
    """Pending requests created by the caller, and removed: a request to the caller that was
    fulfilled is ``request.accepted`` (``refused``: ``request.refused``), any other removal
    ``request.deleted`` with its direction seen from the caller (``sent`` / ``received``)."""
    events: list[NewEvent] = []
    if changes.requests_added:
        added = changes.requests_added
        data = {
            "wording": {r.target: r.add_wording for r in added},
            "source": {r.target: r.add_source for r in added},  # for the SDK's request lists
            "time": {r.target: r.created_at for r in added},
        }
        peers = _unique(r.target for r in added)
        events.append(NewEvent(EventKind.REQUEST_CREATED, caller, peers, data, origin))
    to_me = _unique(req for req, target in changes.requests_removed if target == caller)
    sent = _unique(target for req, target in changes.requests_removed if req == caller)
    if to_me and (accepted or refused):
        kind = EventKind.REQUEST_REFUSED if refused else EventKind.REQUEST_ACCEPTED
        events.append(NewEvent(kind, caller, to_me, {}, origin))
    elif to_me:
        events.append(
            NewEvent(EventKind.REQUEST_DELETED, caller, to_me, {"direction": "received"}, origin)
        )
    if sent:
        events.append(
            NewEvent(EventKind.REQUEST_DELETED, caller, sent, {"direction": "sent"}, origin)
        )
    return events


def created_lists(changes: SnsChanges, origin: Origin) -> list[NewEvent]:
    """``list.created`` for the lists a write created on the side (friend_add with a list,
    friend_update, the lists other owners' requests named): one event per owner."""
    created: dict[str, list[str]] = {}
    for owner, name in changes.lists_created:
        created.setdefault(owner, []).append(name)
    return [
        NewEvent(EventKind.LIST_CREATED, owner, (), {"names": names}, origin)
        for owner, names in created.items()
    ]


def _members(caller: str, changes: SnsChanges) -> tuple[str, ...]:
    return _unique(f for o, f in changes.friends_updated if o == caller)


def list_add_events(
    caller: str, names: Sequence[str], changes: SnsChanges, origin: Origin
) -> list[NewEvent]:
    """group_add: ``list.created`` with the new lists (peers: the friends put in), and
    ``list.updated`` (``added``) for the lists that existed when friends were put in them."""
    new = [name for owner, name in changes.lists_created if owner == caller]
    members = _members(caller, changes)
    events: list[NewEvent] = []
    if new:
        events.append(NewEvent(EventKind.LIST_CREATED, caller, members, {"names": new}, origin))
    existing = [name for name in dict.fromkeys(names) if name not in new]
    if existing and members:
        data = {"names": existing, "added": list(members)}
        events.append(NewEvent(EventKind.LIST_UPDATED, caller, members, data, origin))
    return events


def list_delete_events(caller: str, changes: SnsChanges, origin: Origin) -> list[NewEvent]:
    """group_delete: the lists that existed (their memberships went with them)."""
    names = [name for owner, name in changes.lists_deleted if owner == caller]
    if not names:
        return []
    return [NewEvent(EventKind.LIST_DELETED, caller, (), {"names": names}, origin)]


def list_rename_events(caller: str, old: str, new: str, origin: Origin) -> list[NewEvent]:
    """A rename: ``list.updated`` with ``renamed`` (members are kept: no peers)."""
    data = {"names": [new], "renamed": {old: new}}
    return [NewEvent(EventKind.LIST_UPDATED, caller, (), data, origin)]


def list_remove_events(
    caller: str, name: str, changes: SnsChanges, origin: Origin
) -> list[NewEvent]:
    """Friends taken out of list ``name`` (those that were in it)."""
    members = _members(caller, changes)
    if not members:
        return []
    data = {"names": [name], "removed": list(members)}
    return [NewEvent(EventKind.LIST_UPDATED, caller, members, data, origin)]


def profile_events(account: str, values: Mapping[str, Any], origin: Origin) -> list[NewEvent]:
    """profile_set (and the profile values of an account_import of an existing account)."""
    if not values:
        return []
    items = [{"Tag": tag, "Value": value} for tag, value in values.items()]
    return [NewEvent(EventKind.PROFILE_SET, account, (), {"items": items}, origin)]


def account_events(
    accounts: Iterable[str],
    origin: Origin,
    *,
    imported: bool,
    purged: Mapping[str, PurgedPeers] | None = None,
) -> list[NewEvent]:
    """One ``account.imported`` / ``account.deleted`` event per account (in order). A deleted
    account's ``data`` names the other users whose lists lost it (``purged``; a key only when
    its list is not empty), so that their SDKs can be told: still no event per edge."""
    kind = EventKind.ACCOUNT_IMPORTED if imported else EventKind.ACCOUNT_DELETED
    return [
        NewEvent(kind, account, (), _purged_data((purged or {}).get(account)), origin)
        for account in _unique(accounts)
    ]


def _purged_data(peers: PurgedPeers | None) -> dict[str, Any]:
    if peers is None:
        return {}
    lists = {
        "friend_of": peers.friend_of,
        "blocked_by": peers.blocked_by,
        "requests_from": peers.requests_from,
        "requests_to": peers.requests_to,
    }
    return {key: list(users) for key, users in lists.items() if users}
