"""``Event`` has the Web SDK's own names and values, read from the real ``@tencentcloud/chat``."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from relchain.client import Event

NODE_DIR = Path(__file__).parent.parent / "node"

# The SDK's events for what relchain does not serve (messages, conversations, groups, topics,
# online status, server config); every other SDK event must be an Event member.
NOT_SERVED = {
    "MESSAGE_RECEIVED",
    "ROOM_CUSTOM_DATA_RECEIVED",
    "MESSAGE_MODIFIED",
    "MESSAGE_REVOKED",
    "MESSAGE_READ_BY_PEER",
    "MESSAGE_READ_RECEIPT_RECEIVED",
    "MESSAGE_EXTENSIONS_UPDATED",
    "MESSAGE_EXTENSIONS_DELETED",
    "MESSAGE_REACTIONS_UPDATED",
    "CONVERSATION_LIST_UPDATED",
    "TOTAL_UNREAD_MESSAGE_COUNT_UPDATED",
    "CONVERSATION_GROUP_LIST_UPDATED",
    "CONVERSATION_IN_GROUP_UPDATED",
    "GROUP_LIST_UPDATED",
    "GROUP_ATTRIBUTES_UPDATED",
    "GROUP_COUNTER_UPDATED",
    "TOPIC_CREATED",
    "TOPIC_DELETED",
    "TOPIC_UPDATED",
    "USER_STATUS_UPDATED",
    "ALL_RECEIVE_MESSAGE_OPT_UPDATED",
    "SERVER_CONFIG_UPDATED",
    "PINNED_GROUP_MESSAGE_UPDATED",
}


def sdk_events() -> tuple[str, dict[str, str]]:
    """Needs `npm install` in tests/node (done by .ci/run); fails, never skips, without it."""
    node = shutil.which("node")
    assert node, "node is required for this test"
    assert (NODE_DIR / "node_modules" / "@tencentcloud" / "chat").is_dir(), (
        "npm install in tests/node"
    )
    out = subprocess.run(
        [node, "--experimental-websocket", str(NODE_DIR / "websdk_events.js")],
        check=True,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=NODE_DIR,
    ).stdout
    data = json.loads(out.strip().splitlines()[-1])
    return data["version"], data["events"]


def test_event_members_are_the_sdks_names_with_the_sdks_values() -> None:
    version, events = sdk_events()
    assert version == "3.6.6"
    assert {member.name: member.value for member in Event} == {
        name: value for name, value in events.items() if name not in NOT_SERVED
    }
    assert set(events) >= NOT_SERVED, "every left-out name is one of the SDK's"


def test_events_compare_equal_to_the_sdk_strings() -> None:
    assert str(Event.MY_FOLLOWERS_LIST_UPDATED) == "onMyFollowersListUpdated"
    assert "onMyFollowersListUpdated" in {Event.MY_FOLLOWERS_LIST_UPDATED}
    assert Event("onFriendListUpdated") is Event.FRIEND_LIST_UPDATED
