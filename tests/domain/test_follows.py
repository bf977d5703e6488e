"""Pure follow rules: relation types, follow/unfollow plans with caps, ProfileItem selection."""

from __future__ import annotations

from hypothesis import strategies as st

from relchain.domain.errors import Code
from relchain.domain.follows import (
    FollowCaps,
    FollowCounts,
    FollowType,
    follow_type,
    plan_follows,
    plan_unfollows,
    profile_items,
)
from relchain.domain.results import ItemResult, Reason
from relchain.http.handlers.follows import _write_info
from tests.support import codes

APP = 1400000001
userids = st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E), min_size=1, max_size=32)


def test_follow_type_numbers_match_the_wire_table() -> None:
    assert follow_type(False, False) == FollowType.NONE == 0
    assert follow_type(False, True) == FollowType.FAN == 1
    assert follow_type(True, False) == FollowType.FOLLOWING == 2
    assert follow_type(True, True) == FollowType.MUTUAL == 3


def test_plan_follows_applies_items_in_order_with_running_counts() -> None:
    plan = plan_follows(
        "a",
        ["b", "c", "ghost", "d", "e"],
        existing={"a", "b", "c", "d", "e"},
        counts={"a": FollowCounts(following=1)},
        i_follow={"b"},
        follow_me={"c"},
        caps=FollowCaps(max_following=3, max_followers=0, max_mutual=5),
    )
    assert codes(plan) == [0, 0, Code.SNS_ACCOUNT_NOT_FOUND, 0, Code.FOLLOW_MY_FOLLOWING_FULL]
    assert plan.edges == [("a", "c"), ("a", "d")]
    assert plan.mutual_pairs == [("a", "c")]
    assert plan.deltas == {"a": [0, 2, 1], "c": [1, 0, 1], "d": [1, 0, 0]}


def test_plan_follows_cap_order_32100_32101_32102_32103() -> None:
    def one(counts: dict[str, FollowCounts], mutual: bool, caps: FollowCaps) -> int:
        plan = plan_follows(
            "a",
            ["b"],
            existing={"a", "b"},
            counts=counts,
            i_follow=set(),
            follow_me={"b"} if mutual else set(),
            caps=caps,
        )
        return codes(plan)[0]

    full = {"a": FollowCounts(1, 1, 1), "b": FollowCounts(1, 1, 1)}
    assert one(full, True, FollowCaps(1, 1, 1)) == Code.FOLLOW_MY_FOLLOWING_FULL
    assert one(full, True, FollowCaps(0, 1, 1)) == Code.FOLLOW_PEER_FOLLOWERS_FULL
    assert one(full, True, FollowCaps(0, 0, 1)) == Code.FOLLOW_MY_MUTUAL_FULL
    assert one(full, False, FollowCaps(0, 0, 1)) == Code.OK  # not mutual: no mutual cap
    half = {"a": FollowCounts(1, 1, 0), "b": FollowCounts(1, 1, 1)}
    assert one(half, True, FollowCaps(0, 0, 1)) == Code.FOLLOW_PEER_MUTUAL_FULL
    assert one(full, True, FollowCaps(0, 0, 0)) == Code.OK  # 0 = unlimited


def test_plan_unfollows_is_idempotent_and_breaks_mutual_pairs() -> None:
    plan = plan_unfollows(
        "a", ["b", "c", "ghost"], existing={"a", "b", "c"}, i_follow={"b", "c"}, follow_me={"c"}
    )
    assert codes(plan) == [0, 0, Code.SNS_ACCOUNT_NOT_FOUND]
    assert plan.edges == [("a", "b"), ("a", "c")]
    assert plan.mutual_pairs == [("a", "c")]
    assert plan.deltas == {"a": [0, -2, -1], "b": [-1, 0, 0], "c": [-1, 0, -1]}
    assert plan_unfollows("a", ["b"], existing={"a", "b"}, i_follow=(), follow_me=()).edges == []


def test_cap_results_name_the_side_and_the_limit() -> None:
    caps = FollowCaps(5000, 7, 300)

    def info(code: Code, reason: Reason) -> str:
        return _write_info(ItemResult("b", code, reason), caps)

    assert info(Code.FOLLOW_MY_FOLLOWING_FULL, Reason.MY_FOLLOWING_FULL).startswith("From_Account:")
    assert "5000" in info(Code.FOLLOW_MY_FOLLOWING_FULL, Reason.MY_FOLLOWING_FULL)
    assert info(Code.FOLLOW_PEER_FOLLOWERS_FULL, Reason.PEER_FOLLOWERS_FULL).startswith(
        "To_Account:"
    )
    assert "300" in info(Code.FOLLOW_PEER_MUTUAL_FULL, Reason.PEER_MUTUAL_FULL)
    assert info(Code.OK, Reason.OK) == ""


def test_profile_items_configured_order_then_registered_custom_tags_that_are_set() -> None:
    values = {
        "Tag_Profile_IM_Image": "img",
        "Tag_Profile_IM_Nick": "n",
        "Tag_Profile_IM_Gender": "Gender_Type_Male",
        "Tag_Profile_Custom_A": 1,
        "Tag_Profile_Custom_Gone": "unregistered",
    }
    tags = ("Tag_Profile_IM_Nick", "Tag_Profile_IM_Image", "Tag_Profile_IM_SelfSignature")
    custom = ("Tag_Profile_Custom_B", "Tag_Profile_Custom_A")
    assert profile_items(values, tags, custom) == [
        ("Tag_Profile_IM_Nick", "n"),
        ("Tag_Profile_IM_Image", "img"),
        ("Tag_Profile_Custom_A", 1),
    ]
    # a custom tag that is also configured appears once, in the configured place
    assert profile_items(values, ("Tag_Profile_Custom_A",), custom) == [("Tag_Profile_Custom_A", 1)]
