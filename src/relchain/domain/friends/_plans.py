"""Friends: the decision tables (add, import, accept, update, block, lists), pure.

The storage backends load the state of the people involved, call a planner and apply the plan
in the same transaction, so the rules live here once, whatever the backend.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from relchain.domain.errors import Code
from relchain.domain.friends._rules import (
    INFO,
    INFO_DUPLICATE,
    INFO_FRIEND_EXISTS,
    INFO_NO_ACCOUNT,
    INFO_SELF,
    FriendRequest,
    SnsLimits,
    _over,
)
from relchain.domain.profiles import ALLOW_ANY, DENY_ANY, NEED_CONFIRM

__all__ = [
    "AddPlan",
    "AddRequest",
    "Edge",
    "ImportItem",
    "MyState",
    "PeerState",
    "plan_friend_add",
    "plan_friend_import",
    "plan_their_lists",
]


# ---------------------------------------------------------------- the add decision table


@dataclass(frozen=True, slots=True)
class AddRequest:
    """One ``AddFriendItem`` of friend_add (already validated)."""

    to: str
    add_source: str
    remark: str = ""
    group: str = ""
    add_wording: str = ""


@dataclass(frozen=True, slots=True)
class ImportItem:
    """One ``AddFriendItem`` of friend_import (already validated)."""

    to: str
    add_source: str
    remark: str = ""
    remark_time: int = 0
    groups: tuple[str, ...] = ()
    add_wording: str = ""
    add_time: int | None = None
    custom: Mapping[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class PeerState:
    """What the store knows about one target B, seen from the requester A."""

    exists: bool
    allow_type: str = NEED_CONFIRM
    i_have_peer: bool = False  # edge A -> B
    peer_has_me: bool = False  # edge B -> A
    i_block_peer: bool = False  # B on A's blocklist
    peer_blocks_me: bool = False  # A on B's blocklist
    my_request: bool = False  # pending request A -> B
    peer_request: FriendRequest | None = None  # pending request B -> A
    friend_count: int = 0  # B's friends


@dataclass(frozen=True, slots=True)
class Edge:
    owner: str
    friend: str
    add_source: str
    add_time: int
    remark: str = ""
    add_wording: str = ""
    remark_time: int = 0
    groups: tuple[str, ...] = ()
    custom: Mapping[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class AddPlan:
    """What to write: per-item codes, new edges, requests to store or drop, lists to create."""

    results: list[tuple[str, int, str]] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)
    new_requests: list[FriendRequest] = field(default_factory=list)
    renewed_requests: list[FriendRequest] = field(default_factory=list)
    dropped_requests: list[tuple[str, str]] = field(default_factory=list)  # (requester, target)
    new_lists: list[str] = field(default_factory=list)


@dataclass(slots=True)
class MyState:
    """The caller's side as the planners see and update it: counts and list names."""

    user_id: str
    friends: int = 0
    pending: int = 0
    lists: list[str] = field(default_factory=list)

    def need_lists(self, names: Sequence[str], plan: AddPlan, limits: SnsLimits) -> bool:
        """Create the missing lists of ``names``; False when that would pass the list cap."""
        missing = [n for n in dict.fromkeys(names) if n and n not in self.lists]
        if missing and _over(len(self.lists) + len(missing), limits.max_lists):
            return False
        self.lists.extend(missing)
        plan.new_lists.extend(missing)
        return True


def _precheck(me: str, to: str, peer: PeerState | None, seen: set[str]) -> tuple[int, str] | None:
    if to in seen:
        return Code.SNS_BAD_PARAM, INFO_DUPLICATE
    seen.add(to)
    if to == me:
        return Code.SNS_BAD_PARAM, INFO_SELF
    if peer is None or not peer.exists:
        return Code.SNS_ACCOUNT_NOT_FOUND, INFO_NO_ACCOUNT
    if peer.i_block_peer:
        return Code.SNS_PEER_IN_MY_BLOCKLIST, INFO[Code.SNS_PEER_IN_MY_BLOCKLIST]
    if peer.peer_blocks_me:
        return Code.SNS_IN_PEER_BLOCKLIST, INFO[Code.SNS_IN_PEER_BLOCKLIST]
    return None


def _result(to: str, code: Code) -> tuple[str, int, str]:
    return to, code, INFO[code]


def _ask(
    mine: MyState,
    peer: PeerState,
    item: AddRequest,
    plan: AddPlan,
    *,
    both: bool,
    limits: SnsLimits,
    now: int,
) -> tuple[str, int, str]:
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
    elif _over(mine.pending + 1, limits.max_pending):
        return _result(item.to, Code.SNS_TOO_MANY_PENDING)
    else:
        mine.pending += 1
        plan.new_requests.append(request)
    return _result(item.to, Code.SNS_PENDING)


def _add_one(
    mine: MyState,
    peer: PeerState,
    item: AddRequest,
    plan: AddPlan,
    *,
    both: bool,
    force: bool,
    limits: SnsLimits,
    now: int,
) -> tuple[str, int, str]:
    accepting = peer.peer_request is not None
    need_mine = not peer.i_have_peer
    need_reverse = (both or accepting) and not peer.peer_has_me
    if not need_mine and not need_reverse:
        return item.to, Code.SNS_BAD_PARAM, INFO_FRIEND_EXISTS
    if not accepting and not force and peer.allow_type != ALLOW_ANY:
        if peer.allow_type == DENY_ANY:
            return _result(item.to, Code.SNS_PEER_DENY_ANY)
        return _ask(mine, peer, item, plan, both=both, limits=limits, now=now)
    if need_mine and _over(mine.friends + 1, limits.max_friends):
        return _result(item.to, Code.SNS_MY_FRIENDS_FULL)
    if need_reverse and _over(peer.friend_count + 1, limits.max_friends):
        return _result(item.to, Code.SNS_PEER_FRIENDS_FULL)
    if need_mine and item.group and not mine.need_lists([item.group], plan, limits):
        return _result(item.to, Code.SNS_TOO_MANY_LISTS)
    if need_mine:
        mine.friends += 1
        peer.i_have_peer = True
        plan.edges.append(
            Edge(
                mine.user_id,
                item.to,
                item.add_source,
                now,
                item.remark,
                item.add_wording,
                now if item.remark else 0,
                (item.group,) if item.group else (),
            )
        )
    if need_reverse:
        peer.friend_count += 1
        peer.peer_has_me = True
        theirs = peer.peer_request
        plan.edges.append(
            Edge(
                item.to,
                mine.user_id,
                theirs.add_source if theirs else item.add_source,
                now,
                theirs.remark if theirs else "",
                theirs.add_wording if theirs else item.add_wording,
                now if theirs and theirs.remark else 0,
                (theirs.group,) if theirs and theirs.group else (),
            )
        )
    # any request between the two is now fulfilled
    if peer.my_request:
        plan.dropped_requests.append((mine.user_id, item.to))
        peer.my_request = False
    if peer.peer_request is not None:
        plan.dropped_requests.append((item.to, mine.user_id))
        peer.peer_request = None
    return item.to, Code.OK, ""


def plan_friend_add(
    mine: MyState,
    peers: Mapping[str, PeerState],
    items: Sequence[AddRequest],
    *,
    both: bool,
    force: bool,
    limits: SnsLimits,
    now: int,
) -> AddPlan:
    """Decide every item of a friend_add, in order (earlier items count against the caps).

    Per item: duplicate or self -> 30001; no account -> 30003; blocklists -> 30515 / 30525;
    nothing missing -> 30001 ``Err_SNS_FriendAdd_Friend_Exist``; a pending request of B to A ->
    accepted (both ways, no AllowType check); otherwise, unless ``force``, B's AllowType:
    DenyAny -> 30516, NeedConfirm -> a pending request (30539, or 30012 over the cap);
    then the caps: A full -> 30010, B full -> 30014; the list of ``group`` -> 30011.
    """
    plan = AddPlan()
    seen: set[str] = set()
    for item in items:
        peer = peers.get(item.to)
        early = _precheck(mine.user_id, item.to, peer, seen)
        if early is not None:
            plan.results.append((item.to, *early))
            continue
        assert peer is not None
        plan.results.append(
            _add_one(mine, peer, item, plan, both=both, force=force, limits=limits, now=now)
        )
    return plan


def plan_friend_import(
    mine: MyState,
    peers: Mapping[str, PeerState],
    items: Sequence[ImportItem],
    *,
    limits: SnsLimits,
    now: int,
) -> AddPlan:
    """Decide every item of a friend_import (one-way, no AllowType check).

    duplicate or self -> 30001; no account -> 30003; blocklists -> 30515 / 30525; already a
    friend -> 30001 ``Err_SNS_FriendImport_Friend_Exist``; A full -> 30010; lists -> 30011.
    A pending request A -> B is fulfilled (dropped).
    """
    plan = AddPlan()
    me = mine.user_id
    seen: set[str] = set()
    for item in items:
        peer = peers.get(item.to)
        early = _precheck(me, item.to, peer, seen)
        if early is not None:
            plan.results.append((item.to, *early))
            continue
        assert peer is not None
        if peer.i_have_peer:
            plan.results.append((item.to, Code.SNS_BAD_PARAM, "Err_SNS_FriendImport_Friend_Exist"))
            continue
        if _over(mine.friends + 1, limits.max_friends):
            plan.results.append(
                (
                    item.to,
                    Code.SNS_MY_FRIENDS_FULL,
                    "Err_SNS_FriendImport_My_Friend_Num_Exceed_Threshold",
                )
            )
            continue
        if not mine.need_lists(item.groups, plan, limits):
            code = Code.SNS_TOO_MANY_LISTS
            plan.results.append((item.to, code, INFO[code]))
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
        plan.results.append((item.to, Code.OK, ""))
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
