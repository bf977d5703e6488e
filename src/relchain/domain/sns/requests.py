"""Pending friend requests: what one is, and accepting one (pure).

friend_add stores a request when the target has ``AllowType_Type_NeedConfirm``; the target
accepts or rejects it (the user-side API), and a friend_add the other way accepts it too.
"""

from __future__ import annotations

from dataclasses import dataclass

from relchain.domain.errors import Code
from relchain.domain.results import ItemResult, Reason
from relchain.domain.sns.plan import Edge, MyState, PeerState, SnsPlan, precheck
from relchain.domain.sns.rules import SnsLimits, over

__all__ = ["FriendRequest", "plan_accept"]


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


def plan_accept(
    mine: MyState,
    peer: PeerState,
    requester: str,
    *,
    both: bool,
    remark: str,
    group: str,
    limits: SnsLimits,
    now: int,
) -> SnsPlan:
    """``me`` accepts the pending request of ``requester`` (``peer.peer_request``).

    The requester gets ``me`` as a friend (with the remark and list of the request); with
    ``both`` (AgreeAndAdd) ``me`` gets the requester too, with ``remark``/``group``. No request
    -> 30001; blocklists -> 30515/30525; ``me`` full -> 30010; requester full -> 30014;
    ``group`` past my list cap -> 30011. The request is dropped. (The list named in the request
    is the requester's; the store creates it when the requester is under the list cap, else the
    friend is added outside any list: the requester cannot be told of an error any more.)
    """
    plan = SnsPlan()
    me = mine.user_id
    request = peer.peer_request
    if request is None:
        plan.results.append(ItemResult(requester, Code.SNS_BAD_PARAM, Reason.NO_REQUEST))
        return plan
    early = precheck(me, requester, peer, set())
    if early is not None:
        plan.results.append(early)
        return plan
    need_reverse = not peer.peer_has_me  # requester -> me
    need_mine = both and not peer.i_have_peer
    if need_mine and over(mine.friends + 1, limits.max_friends):
        plan.results.append(ItemResult(requester, Code.SNS_MY_FRIENDS_FULL, Reason.MY_FRIENDS_FULL))
        return plan
    if need_reverse and over(peer.friend_count + 1, limits.max_friends):
        plan.results.append(
            ItemResult(requester, Code.SNS_PEER_FRIENDS_FULL, Reason.PEER_FRIENDS_FULL)
        )
        return plan
    if need_mine and group and not mine.need_lists([group], plan, limits):
        plan.results.append(ItemResult(requester, Code.SNS_TOO_MANY_LISTS, Reason.TOO_MANY_LISTS))
        return plan
    if need_mine:
        plan.edges.append(
            Edge.added(
                me, requester, request.add_source, now, remark=remark, wording="", group=group
            )
        )
    if need_reverse:
        plan.edges.append(Edge.of_request(requester, me, request, now))
    plan.dropped_requests.append((requester, me))
    plan.results.append(ItemResult.ok(requester))
    return plan
