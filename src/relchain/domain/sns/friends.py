"""Friends: the values, and the decision tables of friend_add, friend_import and
friend_update (pure)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from relchain.domain.errors import Code
from relchain.domain.profiles import ALLOW_ANY, DENY_ANY
from relchain.domain.results import ItemResult, Reason
from relchain.domain.sns.plan import Edge, MyState, PeerState, SnsPlan, precheck
from relchain.domain.sns.requests import FriendRequest
from relchain.domain.sns.rules import SnsLimits, over

__all__ = [
    "AddRequest",
    "FriendData",
    "FriendPage",
    "FriendUpdate",
    "ImportItem",
    "UpdatePlan",
    "plan_friend_add",
    "plan_friend_import",
    "plan_friend_update",
    "plan_their_lists",
]


@dataclass(frozen=True, slots=True)
class AddRequest:
    """One item of friend_add (already validated)."""

    to: str
    add_source: str
    remark: str = ""
    group: str = ""
    add_wording: str = ""


@dataclass(frozen=True, slots=True)
class ImportItem:
    """One item of friend_import (already validated)."""

    to: str
    add_source: str
    remark: str = ""
    remark_time: int = 0
    groups: tuple[str, ...] = ()
    add_wording: str = ""
    add_time: int | None = None
    custom: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class FriendUpdate:
    """One item of friend_update: None = leave as is."""

    to: str
    remark: str | None = None
    groups: tuple[str, ...] | None = None
    custom: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class FriendData:
    """One friend edge owner -> friend as stored (``custom`` maps registered tags to values)."""

    friend: str
    add_source: str
    add_time: int
    remark: str = ""
    add_wording: str = ""
    remark_time: int = 0
    groups: tuple[str, ...] = ()
    custom: Mapping[str, Any] = field(default_factory=dict)
    position: int = 0


@dataclass(frozen=True, slots=True)
class FriendPage:
    """One friend_get page. ``next_start`` is 0 when the scan is complete."""

    friends: list[FriendData]
    friend_count: int
    standard_sequence: int
    custom_sequence: int
    next_start: int


# ---------------------------------------------------------------- friend_add


def _ask(
    mine: MyState,
    peer: PeerState,
    item: AddRequest,
    plan: SnsPlan,
    *,
    both: bool,
    limits: SnsLimits,
    now: int,
) -> ItemResult:
    """B needs to confirm: store (or renew) the pending request A -> B."""
    request = FriendRequest(
        mine.user_id,
        item.to,
        now,
        item.add_source,
        item.add_wording,
        item.remark,
        item.group,
        both,
    )
    if peer.my_request:
        plan.renewed_requests.append(request)
    elif over(mine.pending + 1, limits.max_pending):
        return ItemResult(item.to, Code.SNS_TOO_MANY_PENDING, Reason.TOO_MANY_PENDING)
    else:
        mine.pending += 1
        plan.new_requests.append(request)
    return ItemResult(item.to, Code.SNS_PENDING, Reason.PENDING)


def _add_one(
    mine: MyState,
    peer: PeerState,
    item: AddRequest,
    plan: SnsPlan,
    *,
    both: bool,
    force: bool,
    limits: SnsLimits,
    now: int,
) -> ItemResult:
    accepting = peer.peer_request is not None
    need_mine = not peer.i_have_peer
    need_reverse = (both or accepting) and not peer.peer_has_me
    if not need_mine and not need_reverse:
        return ItemResult(item.to, Code.SNS_BAD_PARAM, Reason.FRIEND_EXISTS)
    if not accepting and not force and peer.allow_type != ALLOW_ANY:
        if peer.allow_type == DENY_ANY:
            return ItemResult(item.to, Code.SNS_PEER_DENY_ANY, Reason.PEER_DENY_ANY)
        return _ask(mine, peer, item, plan, both=both, limits=limits, now=now)
    if need_mine and over(mine.friends + 1, limits.max_friends):
        return ItemResult(item.to, Code.SNS_MY_FRIENDS_FULL, Reason.MY_FRIENDS_FULL)
    if need_reverse and over(peer.friend_count + 1, limits.max_friends):
        return ItemResult(item.to, Code.SNS_PEER_FRIENDS_FULL, Reason.PEER_FRIENDS_FULL)
    if need_mine and item.group and not mine.need_lists([item.group], plan, limits):
        return ItemResult(item.to, Code.SNS_TOO_MANY_LISTS, Reason.TOO_MANY_LISTS)
    if need_mine:
        mine.friends += 1
        peer.i_have_peer = True
        plan.edges.append(Edge.of_request(mine.user_id, item.to, item, now))
    if need_reverse:
        peer.friend_count += 1
        peer.peer_has_me = True
        theirs = peer.peer_request
        if theirs is None:  # B gets A with the data of A's request
            reverse = Edge.added(
                item.to,
                mine.user_id,
                item.add_source,
                now,
                remark="",
                wording=item.add_wording,
                group="",
            )
        else:  # accepting B's own request: with the data B gave
            reverse = Edge.of_request(item.to, mine.user_id, theirs, now)
        plan.edges.append(reverse)
    # any request between the two is now fulfilled
    if peer.my_request:
        plan.dropped_requests.append((mine.user_id, item.to))
        peer.my_request = False
    if peer.peer_request is not None:
        plan.dropped_requests.append((item.to, mine.user_id))
        peer.peer_request = None
    return ItemResult.ok(item.to)


def plan_friend_add(
    mine: MyState,
    peers: Mapping[str, PeerState],
    items: Sequence[AddRequest],
    *,
    both: bool,
    force: bool,
    limits: SnsLimits,
    now: int,
) -> SnsPlan:
    """Decide every item of a friend_add, in order (earlier items count against the caps).

    Per item: duplicate or self -> 30001; no account -> 30003; blocklists -> 30515 / 30525;
    nothing missing -> 30001 (already friends); a pending request of B to A -> accepted (both
    ways, no AllowType check); otherwise, unless ``force``, B's AllowType: DenyAny -> 30516,
    NeedConfirm -> a pending request (30539, or 30012 over the cap); then the caps: A full ->
    30010, B full -> 30014; the list of ``group`` -> 30011.
    """
    plan = SnsPlan()
    seen: set[str] = set()
    for item in items:
        peer = peers.get(item.to)
        early = precheck(mine.user_id, item.to, peer, seen)
        if early is not None:
            plan.results.append(early)
            continue
        assert peer is not None
        plan.results.append(
            _add_one(mine, peer, item, plan, both=both, force=force, limits=limits, now=now)
        )
    return plan


# ---------------------------------------------------------------- friend_import


def plan_friend_import(
    mine: MyState,
    peers: Mapping[str, PeerState],
    items: Sequence[ImportItem],
    *,
    limits: SnsLimits,
    now: int,
) -> SnsPlan:
    """Decide every item of a friend_import (one-way, no AllowType check).

    duplicate or self -> 30001; no account -> 30003; blocklists -> 30515 / 30525; already a
    friend -> 30001; A full -> 30010; lists -> 30011. A pending request A -> B is fulfilled.
    """
    plan = SnsPlan()
    me = mine.user_id
    seen: set[str] = set()
    for item in items:
        peer = peers.get(item.to)
        early = precheck(me, item.to, peer, seen)
        if early is not None:
            plan.results.append(early)
            continue
        assert peer is not None
        if peer.i_have_peer:
            plan.results.append(ItemResult(item.to, Code.SNS_BAD_PARAM, Reason.FRIEND_EXISTS))
            continue
        if over(mine.friends + 1, limits.max_friends):
            plan.results.append(
                ItemResult(item.to, Code.SNS_MY_FRIENDS_FULL, Reason.MY_FRIENDS_FULL)
            )
            continue
        if not mine.need_lists(item.groups, plan, limits):
            plan.results.append(ItemResult(item.to, Code.SNS_TOO_MANY_LISTS, Reason.TOO_MANY_LISTS))
            continue
        mine.friends += 1
        peer.i_have_peer = True
        plan.edges.append(
            Edge(
                me,
                item.to,
                item.add_source,
                now if item.add_time is None else item.add_time,
                item.remark,
                item.add_wording,
                item.remark_time,
                tuple(dict.fromkeys(item.groups)),
                dict(item.custom),
            )
        )
        if peer.my_request:
            plan.dropped_requests.append((me, item.to))
            peer.my_request = False
        plan.results.append(ItemResult.ok(item.to))
    return plan


def plan_their_lists(
    edges: Sequence[Edge],
    lists: Mapping[str, Sequence[str]],
    top: Mapping[str, int],
    max_lists: int,
) -> tuple[list[Edge], list[tuple[str, str, int]]]:
    """Edges of other owners may name lists from their own earlier requests. ``lists`` holds
    those owners' current list names and ``top`` their highest list position. A missing list
    is created when the owner stays within ``max_lists`` (0 = unlimited); otherwise the friend is
    added outside the lists it lacks. Returns the edges to write and the lists to create as
    ``(owner, name, position)``."""
    have = {owner: list(names) for owner, names in lists.items()}
    position = dict(top)
    kept_edges: list[Edge] = []
    new: list[tuple[str, str, int]] = []
    for edge in edges:
        kept = edge
        if edge.owner in have:
            names = have[edge.owner]
            missing = [g for g in edge.groups if g not in names]
            if missing and 0 < max_lists < len(names) + len(missing):
                kept = replace(edge, groups=tuple(g for g in edge.groups if g in names))
            else:
                for name in missing:
                    names.append(name)
                    position[edge.owner] += 1
                    new.append((edge.owner, name, position[edge.owner]))
        kept_edges.append(kept)
    return kept_edges, new


# ---------------------------------------------------------------- friend_update


@dataclass(slots=True)
class UpdatePlan:
    """What friend_update writes; ``*_changed`` say which sequences to bump."""

    results: list[ItemResult] = field(default_factory=list)
    remarks: dict[str, str] = field(default_factory=dict)
    groups: dict[str, tuple[str, ...]] = field(default_factory=dict)
    custom: dict[str, dict[str, Any]] = field(default_factory=dict)  # friend -> merged values
    new_lists: list[str] = field(default_factory=list)

    @property
    def standard_changed(self) -> bool:
        return bool(self.remarks or self.groups)

    @property
    def lists_changed(self) -> bool:
        return bool(self.groups or self.new_lists)


def plan_friend_update(
    mine: MyState,
    current_custom: Mapping[str, Mapping[str, Any]],
    updates: Sequence[FriendUpdate],
    *,
    limits: SnsLimits,
) -> UpdatePlan:
    """Decide friend_update. ``current_custom`` holds the custom values of those targets that
    are friends. Not a friend -> 31704; new lists past the cap -> 30011; later items win."""
    plan = UpdatePlan()
    for update in updates:
        if update.to not in current_custom:
            plan.results.append(
                ItemResult(update.to, Code.SNS_NOT_FRIEND_DELETE, Reason.NOT_FRIEND)
            )
            continue
        if update.groups is not None:
            sink = SnsPlan()
            if not mine.need_lists(update.groups, sink, limits):
                plan.results.append(
                    ItemResult(update.to, Code.SNS_TOO_MANY_LISTS, Reason.TOO_MANY_LISTS)
                )
                continue
            plan.new_lists.extend(sink.new_lists)
            plan.groups[update.to] = tuple(dict.fromkeys(update.groups))
        if update.remark is not None:
            plan.remarks[update.to] = update.remark
        if update.custom:
            merged = plan.custom.setdefault(update.to, dict(current_custom[update.to]))
            merged.update(update.custom)
        plan.results.append(ItemResult.ok(update.to))
    return plan
