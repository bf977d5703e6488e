"""The Web SDK's event names (``TencentCloudChat.EVENT`` of ``@tencentcloud/chat@3.6.6``) for
what relchain serves: the relationship chain, profiles and the SDK's own state.

Members and values are the SDK's own (``Event.MY_FOLLOWERS_LIST_UPDATED`` is
``"onMyFollowersListUpdated"``), so code ported from the Web SDK keeps its names; a test reads
them from the real SDK. Message, conversation, group and topic events are left out: relchain
does not serve those.
"""

from __future__ import annotations

from enum import StrEnum

__all__ = ["Event"]


class Event(StrEnum):
    """An event a ``Chat`` client emits; the value is the Web SDK's event string."""

    # SDK state
    SDK_READY = "sdkStateReady"
    SDK_NOT_READY = "sdkStateNotReady"
    SDK_DESTROY = "sdkDestroy"
    KICKED_OUT = "kickedOut"
    ERROR = "error"
    NET_STATE_CHANGE = "netStateChange"
    # profiles
    PROFILE_UPDATED = "onProfileUpdated"
    # friends, friend requests, friend lists, blocklist
    FRIEND_LIST_UPDATED = "onFriendListUpdated"
    FRIEND_APPLICATION_LIST_UPDATED = "onFriendApplicationListUpdated"
    FRIEND_GROUP_LIST_UPDATED = "onFriendGroupListUpdated"
    BLACKLIST_UPDATED = "blacklistUpdated"
    # follows
    MY_FOLLOWERS_LIST_UPDATED = "onMyFollowersListUpdated"
    MY_FOLLOWING_LIST_UPDATED = "onMyFollowingListUpdated"
    MUTUAL_FOLLOWERS_LIST_UPDATED = "onMutualFollowersListUpdated"
