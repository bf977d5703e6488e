"""Friends: the decision tables of accepting a request, updating friends, blocking and
friend lists (pure)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from relchain.domain.errors import ApiError, Code
from relchain.domain.friends._plans import (
    AddPlan,
    Edge,
    MyState,
    PeerState,
    _precheck,
)
from relchain.domain.friends._rules import (
    INFO,
    INFO_DUPLICATE,
    INFO_NO_ACCOUNT,
    FriendUpdate,
    SnsLimits,
    _over,
)

__all__ = [
    "UpdatePlan",
    "plan_accept",
    "plan_block",
    "plan_friend_update",
    "plan_list_add",
]


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
