"""What the sns planners read (the state of the people involved) and return (what to write),
and what a write changed (:class:`SnsChanges`, for the event log)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from relchain.domain.errors import Code
from relchain.domain.profiles import NEED_CONFIRM
from relchain.domain.results import ItemResult, Reason
from relchain.domain.sns.rules import SnsLimits, over

if TYPE_CHECKING:
    from relchain.domain.sns.requests import FriendRequest

__all__ = [
    "Edge",
    "MyState",
    "PeerState",
    "PurgedPeers",
    "SnsChanges",
    "SnsOutcome",
    "SnsPlan",
    "precheck",
]


@dataclass(frozen=True, slots=True)
class Edge:
    """A friend edge owner -> friend to write, with the owner's data about the friend."""

    owner: str
    friend: str
    add_source: str
    add_time: int
    remark: str = ""
    add_wording: str = ""
    remark_time: int = 0
    groups: tuple[str, ...] = ()
    custom: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def added(
        cls,
        owner: str,
        friend: str,
        source: str,
        now: int,
        *,
        remark: str,
        wording: str,
        group: str,
    ) -> Edge:
        """An edge added at ``now`` by a request: its remark (if any) set now, in ``group``
        (if any)."""
        groups = (group,) if group else ()
        return cls(owner, friend, source, now, remark, wording, now if remark else 0, groups)

    @classmethod
    def of_request(cls, owner: str, friend: str, request: Request, now: int) -> Edge:
        """The edge ``request`` asked for, added at ``now`` (with its remark, wording, list)."""
        return cls.added(
            owner,
            friend,
            request.add_source,
            now,
            remark=request.remark,
            wording=request.add_wording,
            group=request.group,
        )


class Request(Protocol):
    """What a friend request (``AddRequest`` or a stored ``FriendRequest``) says about the
    edge it asks for."""

    @property
    def add_source(self) -> str: ...
    @property
    def remark(self) -> str: ...
    @property
    def add_wording(self) -> str: ...
    @property
    def group(self) -> str: ...


@dataclass(slots=True)
class PeerState:
    """What the store knows about one target B, seen from the caller A."""

    exists: bool
    allow_type: str = NEED_CONFIRM
    i_have_peer: bool = False  # edge A -> B
    peer_has_me: bool = False  # edge B -> A
    i_block_peer: bool = False  # B on A's blocklist
    peer_blocks_me: bool = False  # A on B's blocklist
    my_request: bool = False  # pending request A -> B
    peer_request: FriendRequest | None = None  # pending request B -> A
    friend_count: int = 0  # B's friends


@dataclass(slots=True)
class SnsPlan:
    """What to write: per-item results, new edges, requests to store or drop, lists to create."""

    results: list[ItemResult] = field(default_factory=list)
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

    def need_lists(self, names: Sequence[str], plan: SnsPlan, limits: SnsLimits) -> bool:
        """Create the missing lists of ``names``; False when that would pass the list cap."""
        missing = [n for n in dict.fromkeys(names) if n and n not in self.lists]
        if missing and over(len(self.lists) + len(missing), limits.max_lists):
            return False
        self.lists.extend(missing)
        plan.new_lists.extend(missing)
        return True


def precheck(me: str, to: str, peer: PeerState | None, seen: set[str]) -> ItemResult | None:
    """The checks every add-like item passes first: duplicate, self, account, blocklists."""
    if to in seen:
        return ItemResult(to, Code.SNS_BAD_PARAM, Reason.DUPLICATE)
    seen.add(to)
    if to == me:
        return ItemResult(to, Code.SNS_BAD_PARAM, Reason.SELF)
    if peer is None or not peer.exists:
        return ItemResult(to, Code.SNS_ACCOUNT_NOT_FOUND, Reason.NO_ACCOUNT)
    if peer.i_block_peer:
        return ItemResult(to, Code.SNS_PEER_IN_MY_BLOCKLIST, Reason.PEER_IN_MY_BLOCKLIST)
    if peer.peer_blocks_me:
        return ItemResult(to, Code.SNS_IN_PEER_BLOCKLIST, Reason.IN_PEER_BLOCKLIST)
    return None


@dataclass(slots=True)
class SnsChanges:
    """What one sns write changed, as committed: pairs are (owner, other) or (requester,
    target). Requests renewed by a repeated friend_add are in ``requests_added`` too."""

    friends_added: list[Edge] = field(default_factory=list)
    friends_removed: list[tuple[str, str]] = field(default_factory=list)
    friends_updated: list[tuple[str, str]] = field(default_factory=list)
    requests_added: list[FriendRequest] = field(default_factory=list)
    requests_removed: list[tuple[str, str]] = field(default_factory=list)
    blocks_added: list[tuple[str, str]] = field(default_factory=list)
    blocks_removed: list[tuple[str, str]] = field(default_factory=list)
    lists_created: list[tuple[str, str]] = field(default_factory=list)  # (owner, name)
    lists_deleted: list[tuple[str, str]] = field(default_factory=list)


@dataclass(slots=True)
class SnsOutcome:
    """A batch write's per-item results (request order) and what it changed."""

    results: list[ItemResult]
    changes: SnsChanges


@dataclass(slots=True)
class PurgedPeers:
    """What an account delete removed from the other (kept) users' lists, for one deleted
    account: the users whose SDKs cache it (ordered by user id, no deleted account among them).
    Edges it had of its own that no other user sees (its friends, its blocks) are not here."""

    friend_of: list[str] = field(default_factory=list)  # had it as a friend
    blocked_by: list[str] = field(default_factory=list)  # had it in their blocklist
    requests_from: list[str] = field(default_factory=list)  # had sent it a pending request
    requests_to: list[str] = field(default_factory=list)  # had a pending request from it
