"""Friends: enums, limits, tag rules, relations, and the decision table of adding friends.

Pure: the storage backends load the state of the people involved, call :func:`plan_friend_add`
or :func:`plan_friend_import`, and apply the plan in the same transaction. So the rules live here
once, whatever the backend.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from relchain.domain.errors import ApiError, Code
from relchain.domain.profiles import ALLOW_ANY, DENY_ANY, NEED_CONFIRM

__all__ = [
    "ADD_SOURCE_PREFIX",
    "ADD_TYPES",
    "ADMIN_FORBID_TAG",
    "CHECK_TYPES",
    "CUSTOM_PREFIX",
    "DELETE_TYPES",
    "FORBID_SEND_OUT",
    "INFO_DUPLICATE",
    "INFO_NO_ACCOUNT",
    "MAX_BATCH",
    "MAX_GET_LIST",
    "MAX_LISTS_PER_CALL",
    "MAX_LIST_NAME_BYTES",
    "MAX_REMARK_BYTES",
    "MAX_VALUE_BYTES",
    "MAX_WORDING_BYTES",
    "PAGE_SIZE",
    "STANDARD_SNS_TAGS",
    "TAG_ADD_SOURCE",
    "TAG_ADD_TIME",
    "TAG_ADD_WORDING",
    "TAG_GROUP",
    "TAG_REMARK",
    "UINT32_MAX",
    "AddPlan",
    "AddRequest",
    "BlockPage",
    "Edge",
    "FriendData",
    "FriendList",
    "FriendPage",
    "FriendRequest",
    "FriendUpdate",
    "ImportItem",
    "ListsResult",
    "MyState",
    "PeerState",
    "SnsLimits",
    "UpdatePlan",
    "add_source_problem",
    "check_custom_sns_tag",
    "custom_value_problem",
    "list_name_problem",
    "plan_accept",
    "plan_block",
    "plan_friend_add",
    "plan_friend_import",
    "plan_friend_update",
    "plan_list_add",
    "relation",
    "text_problem",
]

# limits (D:33521, API pages; spec README section 2)
MAX_BATCH = 1000  # friend_add/import/update/delete/check, blocklist add/delete/check, group_add
MAX_GET_LIST = 100  # friend_get_list To_Account
PAGE_SIZE = 500  # friend_get page
MAX_LISTS_PER_CALL = 32  # group_add / group_delete GroupName
MAX_REMARK_BYTES = 96
MAX_WORDING_BYTES = 256
MAX_LIST_NAME_BYTES = 30
MAX_VALUE_BYTES = 500  # custom string values
UINT32_MAX = 2**32 - 1

TAG_GROUP = "Tag_SNS_IM_Group"
TAG_REMARK = "Tag_SNS_IM_Remark"
TAG_ADD_SOURCE = "Tag_SNS_IM_AddSource"
TAG_ADD_WORDING = "Tag_SNS_IM_AddWording"
TAG_ADD_TIME = "Tag_SNS_IM_AddTime"
STANDARD_SNS_TAGS = (TAG_GROUP, TAG_REMARK, TAG_ADD_SOURCE, TAG_ADD_WORDING, TAG_ADD_TIME)
CUSTOM_PREFIX = "Tag_SNS_Custom_"
ADD_SOURCE_PREFIX = "AddSource_Type_"
_KEYWORD = re.compile(r"[A-Za-z]{1,8}")

ADMIN_FORBID_TAG = "Tag_Profile_IM_AdminForbidType"
FORBID_SEND_OUT = "AdminForbid_Type_SendOut"  # the user may not send friend requests (30009)

ADD_TYPES = {"Add_Type_Single": False, "Add_Type_Both": True}  # value: both ways
DELETE_TYPES = {"Delete_Type_Single": False, "Delete_Type_Both": True}
CHECK_TYPES = {"CheckResult_Type_Single": False, "CheckResult_Type_Both": True}

# per-item ResultInfo texts (Tencent style where documented)
INFO_FRIEND_EXISTS = "Err_SNS_FriendAdd_Friend_Exist"
INFO_SELF = "Err_SNS_FriendAdd_Add_Self: cannot add oneself as a friend"
INFO_DUPLICATE = "To_Account: listed more than once in this request"
INFO_NO_ACCOUNT = "Err_SNS_Account_Not_Exist"
INFO = {
    Code.SNS_MY_FRIENDS_FULL: "Err_SNS_FriendAdd_My_Friend_Num_Exceed_Threshold",
    Code.SNS_PEER_FRIENDS_FULL: "Err_SNS_FriendAdd_Peer_Friend_Num_Exceed_Threshold",
    Code.SNS_TOO_MANY_LISTS: "Err_SNS_FriendAdd_Group_Num_Exceed_Threshold",
    Code.SNS_TOO_MANY_PENDING: "Err_SNS_FriendAdd_Pendency_Num_Exceed_Threshold",
    Code.SNS_PEER_IN_MY_BLOCKLIST: "Err_SNS_FriendAdd_Peer_In_My_BlackList",
    Code.SNS_IN_PEER_BLOCKLIST: "Err_SNS_FriendAdd_I_In_Peer_BlackList",
    Code.SNS_PEER_DENY_ANY: "Err_SNS_FriendAdd_Peer_Deny_Any",
    Code.SNS_PENDING: "Err_SNS_FriendAdd_Need_Confirm: pending request stored",
    Code.SNS_ACCOUNT_NOT_FOUND: INFO_NO_ACCOUNT,
}


@dataclass(frozen=True, slots=True)
class SnsLimits:
    """The per-app caps (AppSettings); 0 means unlimited."""

    max_friends: int = 3000
    max_blocklist: int = 1000
    max_lists: int = 32
    max_pending: int = 3000

    @classmethod
    def of(cls, settings: Any) -> SnsLimits:
        return cls(
            settings.max_friends,
            settings.max_blocklist,
            settings.max_friend_lists,
            settings.max_pending_requests,
        )


def _over(count: int, cap: int) -> bool:
    return cap > 0 and count > cap


# ---------------------------------------------------------------- validation


def text_problem(value: str, max_bytes: int) -> str | None:
    size = len(value.encode("utf-8"))
    return f"at most {max_bytes} bytes, got {size}" if size > max_bytes else None


def add_source_problem(value: str) -> str | None:
    """Why ``value`` is not ``AddSource_Type_<1..8 letters>``, or None."""
    if not value.startswith(ADD_SOURCE_PREFIX):
        return f"must be {ADD_SOURCE_PREFIX}<keyword>, got {value!r}"
    if not _KEYWORD.fullmatch(value.removeprefix(ADD_SOURCE_PREFIX)):
        return f"keyword after {ADD_SOURCE_PREFIX} must be 1..8 ASCII letters, got {value!r}"
    return None


def list_name_problem(value: object) -> str | None:
    """Why ``value`` is not a friend list name (non-empty string <= 30 bytes), or None."""
    if not isinstance(value, str):
        return "must be a string"
    if not value:
        return "must not be empty"
    return text_problem(value, MAX_LIST_NAME_BYTES)


def check_custom_sns_tag(tag: str, registered: Sequence[str], where: str) -> None:
    """30001 unless ``tag`` is a registered ``Tag_SNS_Custom_*`` tag."""
    if tag in registered:
        return
    if tag.startswith(CUSTOM_PREFIX):
        raise ApiError(
            Code.SNS_BAD_PARAM,
            f"{where}: custom tag {tag!r} is not registered for this app "
            "(relchain app tag SDKAPPID KEYWORD --sns)",
        )
    raise ApiError(Code.SNS_BAD_PARAM, f"{where}: {tag!r} is not a Tag_SNS_Custom_* tag")


def custom_value_problem(value: object) -> str | None:
    """Custom friend values are a string of <= 500 bytes or an integer 0..2^32-1."""
    if isinstance(value, str):
        return text_problem(value, MAX_VALUE_BYTES)
    if isinstance(value, int) and not isinstance(value, bool):
        return None if 0 <= value <= UINT32_MAX else f"must be 0..{UINT32_MAX}, got {value}"
    return "must be a string or an integer"


# ---------------------------------------------------------------- values


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
class FriendRequest:
    """A pending friend request requester -> target (the target has NeedConfirm)."""

    requester: str
    target: str
    created_at: int
    add_source: str
    add_wording: str = ""
    remark: str = ""
    group: str = ""
    both: bool = True


def relation(mine: bool, theirs: bool, both: bool, prefix: str, none: str) -> str:
    """The ``Relation`` value: ``mine`` = B is in A's list, ``theirs`` = A is in B's list."""
    if not both:
        return prefix + ("AWithB" if mine else none)
    if mine and theirs:
        return prefix + "BothWay"
    if mine:
        return prefix + "AWithB"
    if theirs:
        return prefix + "BWithA"
    return prefix + none


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


# ---------------------------------------------------------------- reads and updates


@dataclass(frozen=True, slots=True)
class FriendUpdate:
    """One ``UpdateItem`` of friend_update: None = leave as is."""

    to: str
    remark: str | None = None
    groups: tuple[str, ...] | None = None
    custom: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class FriendPage:
    """One friend_get page. ``next_start`` is 0 when the scan is complete."""

    friends: list[FriendData]
    friend_count: int
    standard_sequence: int
    custom_sequence: int
    next_start: int


@dataclass(frozen=True, slots=True)
class BlockPage:
    """One black_list_get page: ``(user, added_at)`` pairs; ``next_start`` 0 = finished."""

    entries: list[tuple[str, int]]
    sequence: int
    next_start: int


@dataclass(frozen=True, slots=True)
class FriendList:
    """A friend list ("group") with its members (in friend position order)."""

    name: str
    members: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ListsResult:
    """group_add's outcome: per-item codes for the friends put in, and the list sequence."""

    results: list[tuple[str, int, str]]
    sequence: int


def plan_accept(
    mine: MyState,
    peer: PeerState,
    *,
    both: bool,
    remark: str,
    group: str,
    limits: SnsLimits,
    now: int,
) -> AddPlan:
    """``me`` accepts the pending request of ``peer`` (``peer.peer_request``).

    The requester gets ``me`` as a friend (with the remark and list of the request); with
    ``both`` (AgreeAndAdd) ``me`` gets the requester too, with ``remark``/``group``. No request
    -> 30001; blocklists -> 30515/30525; ``me`` full -> 30010; requester full -> 30014;
    ``group`` past my list cap -> 30011. The request is dropped. (The list named in the request
    is the requester's; the store creates it when the requester is under the list cap, else the
    friend is added outside any list: the requester cannot be told of an error any more.)
    """
    plan = AddPlan()
    me = mine.user_id
    request = peer.peer_request
    if request is None:
        plan.results.append(("", Code.SNS_BAD_PARAM, "no pending friend request from this user"))
        return plan
    who = request.requester
    early = _precheck(me, who, peer, set())
    if early is not None:
        plan.results.append((who, *early))
        return plan
    need_reverse = not peer.peer_has_me  # requester -> me
    need_mine = both and not peer.i_have_peer
    if need_mine and _over(mine.friends + 1, limits.max_friends):
        plan.results.append((who, Code.SNS_MY_FRIENDS_FULL, INFO[Code.SNS_MY_FRIENDS_FULL]))
        return plan
    if need_reverse and _over(peer.friend_count + 1, limits.max_friends):
        plan.results.append((who, Code.SNS_PEER_FRIENDS_FULL, INFO[Code.SNS_PEER_FRIENDS_FULL]))
        return plan
    if need_mine and group and not mine.need_lists([group], plan, limits):
        plan.results.append((who, Code.SNS_TOO_MANY_LISTS, INFO[Code.SNS_TOO_MANY_LISTS]))
        return plan
    if need_mine:
        plan.edges.append(
            Edge(
                me,
                who,
                request.add_source,
                now,
                remark,
                "",
                now if remark else 0,
                (group,) if group else (),
            )
        )
    if need_reverse:
        plan.edges.append(
            Edge(
                who,
                me,
                request.add_source,
                now,
                request.remark,
                request.add_wording,
                now if request.remark else 0,
                (request.group,) if request.group else (),
            )
        )
    plan.dropped_requests.append((who, me))
    plan.results.append((who, Code.OK, ""))
    return plan


# ---------------------------------------------------------------- update, blocklist, lists


@dataclass(slots=True)
class UpdatePlan:
    """What friend_update writes; ``*_changed`` say which sequences to bump."""

    results: list[tuple[str, int, str]] = field(default_factory=list)
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
                (update.to, Code.SNS_NOT_FRIEND_DELETE, "Err_SNS_FriendUpdate_Not_Friend")
            )
            continue
        if update.groups is not None:
            sink = AddPlan()
            if not mine.need_lists(update.groups, sink, limits):
                plan.results.append(
                    (
                        update.to,
                        Code.SNS_TOO_MANY_LISTS,
                        "Err_SNS_FriendUpdate_Group_Num_Exceed_Threshold",
                    )
                )
                continue
            plan.new_lists.extend(sink.new_lists)
            plan.groups[update.to] = tuple(dict.fromkeys(update.groups))
        if update.remark is not None:
            plan.remarks[update.to] = update.remark
        if update.custom:
            merged = plan.custom.setdefault(update.to, dict(current_custom[update.to]))
            merged.update(update.custom)
        plan.results.append((update.to, Code.OK, ""))
    return plan


def plan_block(
    me: str,
    others: Sequence[str],
    existing: set[str],
    already: set[str],
    count: int,
    *,
    limits: SnsLimits,
) -> tuple[list[tuple[str, int, str]], list[str]]:
    """Decide black_list_add: (per-item results, the accounts to block now).

    Listed twice or oneself -> 30001; no account -> 30003; already blocked -> 30001
    ``Err_SNS_BlackListAdd_Already_Exist``; past the cap (``count`` entries now) -> 30013.
    """
    results: list[tuple[str, int, str]] = []
    added: list[str] = []
    seen: set[str] = set()
    for other in others:
        if other in seen:
            results.append((other, Code.SNS_BAD_PARAM, INFO_DUPLICATE))
            continue
        seen.add(other)
        if other == me:
            results.append((other, Code.SNS_BAD_PARAM, "Err_SNS_BlackListAdd_Self"))
        elif other not in existing:
            results.append((other, Code.SNS_ACCOUNT_NOT_FOUND, INFO_NO_ACCOUNT))
        elif other in already:
            results.append((other, Code.SNS_BAD_PARAM, "Err_SNS_BlackListAdd_Already_Exist"))
        elif _over(count + 1, limits.max_blocklist):
            results.append(
                (other, Code.SNS_BLOCKLIST_FULL, "Err_SNS_BlackListAdd_Exceed_Threshold")
            )
        else:
            count += 1
            added.append(other)
            results.append((other, Code.OK, ""))
    return results, added


def plan_list_add(
    lists: Sequence[str],
    names: Sequence[str],
    members: Sequence[str],
    existing: set[str],
    friends: set[str],
    *,
    limits: SnsLimits,
) -> tuple[list[str], list[tuple[str, int, str]]]:
    """Decide group_add: (lists to create, per-member results). Raises 30011 (whole request)
    when the new lists would pass the cap; non-friend 32216; no account 30003."""
    missing = [n for n in dict.fromkeys(names) if n not in lists]
    if missing and _over(len(lists) + len(missing), limits.max_lists):
        raise ApiError(
            Code.SNS_TOO_MANY_LISTS,
            f"GroupName: at most {limits.max_lists} friend lists per user; has {len(lists)},"
            f" this request would add {len(missing)}",
        )
    results: list[tuple[str, int, str]] = []
    for member in members:
        if member in friends:
            results.append((member, Code.OK, ""))
        elif member in existing:
            results.append(
                (member, Code.SNS_GROUP_NOT_FRIEND, "Err_SNS_GroupAdd_ToTinyId_Not_Friend")
            )
        else:
            results.append((member, Code.SNS_ACCOUNT_NOT_FOUND, INFO_NO_ACCOUNT))
    return missing, results
