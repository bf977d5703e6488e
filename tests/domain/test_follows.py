"""Pure follow rules: relation types, follow/unfollow plans with caps, ProfileItem selection and
the follow_get cursor (round trip, URL safety, and refusal of damaged or foreign cursors)."""

from __future__ import annotations

import base64
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from relchain.domain.errors import ApiError, Code
from relchain.domain.follows import (
    FollowCaps,
    FollowCounts,
    FollowType,
    ListKind,
    Position,
    cap_info,
    decode_cursor,
    encode_cursor,
    follow_type,
    plan_follows,
    plan_unfollows,
    profile_items,
)

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
    assert plan.codes == [0, 0, Code.SNS_ACCOUNT_NOT_FOUND, 0, Code.FOLLOW_MY_FOLLOWING_FULL]
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
        return plan.codes[0]

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
    assert plan.codes == [0, 0, Code.SNS_ACCOUNT_NOT_FOUND]
    assert plan.edges == [("a", "b"), ("a", "c")]
    assert plan.mutual_pairs == [("a", "c")]
    assert plan.deltas == {"a": [0, -2, -1], "b": [-1, 0, 0], "c": [-1, 0, -1]}
    assert plan_unfollows("a", ["b"], existing={"a", "b"}, i_follow=(), follow_me=()).edges == []


def test_cap_info_names_the_side_and_the_limit() -> None:
    caps = FollowCaps(5000, 7, 300)
    assert cap_info(Code.FOLLOW_MY_FOLLOWING_FULL, caps).startswith("From_Account:")
    assert "5000" in cap_info(Code.FOLLOW_MY_FOLLOWING_FULL, caps)
    assert cap_info(Code.FOLLOW_PEER_FOLLOWERS_FULL, caps).startswith("To_Account:")
    assert "300" in cap_info(Code.FOLLOW_PEER_MUTUAL_FULL, caps)
    with pytest.raises(ValueError, match="not a cap code"):
        cap_info(Code.OK, caps)


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


@given(
    sdkappid=st.integers(1, 2**40),
    from_id=userids,
    kind=st.sampled_from(list(ListKind)),
    time=st.integers(0, 2**40),
    account=userids,
)
def test_cursor_round_trips_and_is_url_safe(
    sdkappid: int, from_id: str, kind: ListKind, time: int, account: str
) -> None:
    token = encode_cursor(sdkappid, from_id, kind, Position(time, account))
    assert re.fullmatch(r"[A-Za-z0-9_-]+", token)
    assert decode_cursor(sdkappid, from_id, kind, token) == Position(time, account)


def test_empty_cursor_is_the_first_page() -> None:
    assert decode_cursor(APP, "me", ListKind.FANS, "") is None


def refused(
    token: str, sdkappid: int = APP, from_id: str = "me", kind: ListKind = ListKind.FANS
) -> str:
    with pytest.raises(ApiError) as caught:
        decode_cursor(sdkappid, from_id, kind, token)
    assert caught.value.code == Code.SNS_BAD_PARAM
    assert caught.value.info.startswith("StartCursor:")
    return caught.value.info


def test_foreign_cursors_are_refused() -> None:
    token = encode_cursor(APP, "me", ListKind.FANS, Position(5, "x"))
    refused(token, sdkappid=APP + 1)
    refused(token, from_id="you")
    assert "FollowType" in refused(token, kind=ListKind.MUTUAL)


@given(data=st.data())
def test_any_single_character_change_is_refused(data: st.DataObject) -> None:
    token = encode_cursor(APP, "me", ListKind.FANS, Position(1_700_000_000, "someone"))
    index = data.draw(st.integers(0, len(token) - 1))
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    char = data.draw(st.sampled_from([c for c in alphabet if c != token[index]]))
    changed = token[:index] + char + token[index + 1 :]
    # the last character carries spare bits; a change only there may decode to the same bytes
    if base64.urlsafe_b64decode(changed + "==") == base64.urlsafe_b64decode(token + "=="):
        return
    refused(changed)


@given(st.text(max_size=80))
def test_arbitrary_text_is_refused_with_30001_never_crashes(token: str) -> None:
    if token:
        refused(token)


@pytest.mark.parametrize(
    "token",
    [
        "abc",
        "====",
        "a b",
        base64.urlsafe_b64encode(b"\x01\x01" + b"\x00" * 20).decode(),
        base64.urlsafe_b64encode(b"\x02" * 40).decode().rstrip("="),
        "é" * 4,
        "A" * 500,
    ],
)
def test_malformed_cursors_are_refused(token: str) -> None:
    refused(token)
