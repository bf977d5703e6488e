"""The push bodies the Web SDK decodes (``im_open_push.msg_push``), one builder per change.

The SDK picks a push's handler by the key of each ``EventArray`` item, not by ``Event``; the
numbers below are relchain's choice. The shapes were read in the SDK's push decoders and each is
checked against the real SDK in tests/gateway/test_push_shapes.py (docs/websdk.md lists them).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

__all__ = [
    "FOLLOWERS",
    "FOLLOWING",
    "MUTUAL",
    "RESYNC_SERVCMD",
    "blocklist_changed",
    "follow_changed",
    "friend_requests_added",
    "friend_requests_deleted",
    "friend_requests_read",
    "friends_changed",
    "friends_updated",
    "kicked_out",
    "profile_changed",
]

FOLLOWERS, FOLLOWING, MUTUAL = 1, 2, 3  # FollowType: MY_FOLLOWERS / MY_FOLLOWING / MUTUAL event

EVENT_RELATIONS = 3  # FriendListMod
EVENT_PROFILE = 4  # ProfileDataMod
EVENT_FOLLOW = 99  # FollowChangeList
EVENT_NOTIFY = 9  # C2cNotifyMsgArray
KICKED_BY_SERVER = 3  # KickType: the SDK reports KICKED_OUT "REST_API_Kick" and logs out

PUSH_FRIEND_ADD = 1
PUSH_FRIEND_DELETE = 2
PUSH_REQUEST_ADD = 3
PUSH_REQUEST_DELETE = 4
PUSH_BLOCK_ADD = 5
PUSH_BLOCK_DELETE = 6
PUSH_REQUEST_READ = 7
PUSH_FRIEND_UPDATE = 8

# A push with this servcmd makes the SDK log in again on the same socket and reload its friend,
# friend-list and request caches: the SDK has no decoder for friend-list changes made elsewhere.
RESYNC_SERVCMD = "StatSvc.KickOther"


def _events(*items: dict[str, Any]) -> dict[str, Any]:
    return {"EventArray": list(items)}


def follow_changed(
    changes: Iterable[tuple[str, int, bool]],
    profiles: Mapping[str, tuple[str, str]] | None = None,
) -> dict[str, Any]:
    """``(account, follow_type, added)`` for the receiving user: ``account`` joined (or left)
    their followers (1), following (2) or mutual (3) list. ``profiles``: account -> (nick,
    avatar), sent with an add when set (the SDK's ``userInfoList`` then has ``nick``,
    ``avatar``, as its follow lists do)."""
    items = []
    for account, kind, added in changes:
        item: dict[str, Any] = {"From_Account": account}
        nick, avatar = (profiles or {}).get(account, ("", "")) if added else ("", "")
        if nick:
            item["NickName"] = nick
        if avatar:
            item["FaceUrl"] = avatar
        item["FollowDiffList"] = [{"IsAdd": int(added), "FollowType": kind}]
        items.append(item)
    return _events({"Event": EVENT_FOLLOW, "FollowChangeList": items})


def _relation(push_type: int, **fields: Any) -> dict[str, Any]:
    return _events({"Event": EVENT_RELATIONS, "FriendListMod": [{"PushType": push_type, **fields}]})


def _added_removed(
    owner: str,
    added: Sequence[str],
    removed: Sequence[str],
    add: tuple[int, str],
    delete: tuple[int, str],
) -> dict[str, Any]:
    items = [
        {"PushType": push_type, "From_Account": owner, key: list(accounts)}
        for (push_type, key), accounts in ((add, added), (delete, removed))
        if accounts
    ]
    return _events({"Event": EVENT_RELATIONS, "FriendListMod": items})


def friends_changed(owner: str, added: Sequence[str], removed: Sequence[str]) -> dict[str, Any]:
    """``owner``'s friend list gained ``added`` and lost ``removed``. After an add the SDK asks
    ``sns.friend_get_specified`` for the new friends' data, and reloads its request list."""
    return _added_removed(
        owner,
        added,
        removed,
        (PUSH_FRIEND_ADD, "FriendAdd_Account"),
        (PUSH_FRIEND_DELETE, "FriendDel_Account"),
    )


def friends_updated(owner: str, friends: Mapping[str, Sequence[tuple[str, Any]]]) -> dict[str, Any]:
    """``owner``'s data of these friends changed: friend -> ``(Tag_SNS_*, value)`` pairs (the
    remark, the friend lists, custom tags)."""
    return _relation(
        PUSH_FRIEND_UPDATE,
        From_Account=owner,
        FriendUpInfo=[
            {"Friend_Account": friend, "Sns": [{"Tag": t, "Value": v} for t, v in values]}
            for friend, values in friends.items()
        ],
    )


def friend_requests_added(
    receiver: str, requester: str, requests: Sequence[Mapping[str, Any]]
) -> dict[str, Any]:
    """New requests: for the requester (``receiver == requester``) they are sent-out requests
    to each ``account``; for a target they are incoming requests from ``requester``. Each
    request: ``account``, ``source``, ``wording``, ``time``, ``nick``, ``avatar``."""
    return _relation(
        PUSH_REQUEST_ADD,
        From_Account=requester,
        PendencyAdd=[
            {
                "PendencyAdd_Account": r["account"],
                "AddSource": r.get("source", ""),
                "AddWording": r.get("wording", ""),
                "AddTime": r.get("time", 0),
                "ProfileImNick": r.get("nick", ""),
                "ProfileImImage": r.get("avatar", ""),
            }
            for r in requests
        ],
    )


def friend_requests_deleted(receiver: str, others: Sequence[str]) -> dict[str, Any]:
    """Requests between ``receiver`` and ``others`` are gone (the SDK reloads its list)."""
    return _relation(
        PUSH_REQUEST_DELETE, From_Account=receiver, FrienPencydDel_Account=list(others)
    )  # sic: the SDK's spelling


def friend_requests_read(receiver: str, time: int) -> dict[str, Any]:
    """``receiver`` marked their incoming requests read (unread count 0)."""
    return _relation(PUSH_REQUEST_READ, From_Account=receiver, ReportTime=time)


def blocklist_changed(owner: str, added: Sequence[str], removed: Sequence[str]) -> dict[str, Any]:
    return _added_removed(
        owner,
        added,
        removed,
        (PUSH_BLOCK_ADD, "BlackListAdd_Account"),
        (PUSH_BLOCK_DELETE, "BlackListDel_Account"),
    )


def profile_changed(account: str, values: Mapping[str, Any]) -> dict[str, Any]:
    """``account``'s profile tags changed (tag -> value): strings as ``ValueBytes``, numbers as
    ``ValueNum``."""
    return _events(
        {
            "Event": EVENT_PROFILE,
            "ProfileDataMod": [
                {
                    "PushType": 1,
                    "Profile_Account": account,
                    "ProfileList": [
                        {"Tag": tag, ("ValueNum" if isinstance(v, int) else "ValueBytes"): v}
                        for tag, v in values.items()
                    ],
                }
            ],
        }
    )


def kicked_out() -> dict[str, Any]:
    """The session is over on the server's side (the account was deleted): the SDK emits
    ``KICKED_OUT`` (``REST_API_Kick``) and logs out."""
    return _events(
        {
            "Event": EVENT_NOTIFY,
            "C2cNotifyMsgArray": [
                {"KickoutMsgNotify": {"KickType": KICKED_BY_SERVER, "NewInstInfo": {}}}
            ],
        }
    )
