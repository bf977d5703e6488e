"""Pure friend rules: relations, field checks and the friend_add / import / accept planners."""

from __future__ import annotations

import pytest

from relchain.domain.apps import AppSettings
from relchain.domain.errors import ApiError, Code
from relchain.domain.profiles import ALLOW_ANY, DENY_ANY, NEED_CONFIRM
from relchain.domain.results import ItemResult
from relchain.domain.sns.friends import AddRequest, ImportItem, plan_friend_add, plan_friend_import
from relchain.domain.sns.plan import MyState, PeerState
from relchain.domain.sns.requests import FriendRequest, plan_accept
from relchain.domain.sns.rules import (
    SnsLimits,
    add_source_problem,
    check_custom_sns_tag,
    custom_value_problem,
    list_name_problem,
)
from relchain.http.handlers._sns import relation
from relchain.http.wire import error_info
from tests.support import codes

SRC = "AddSource_Type_Web"
T = 1000
LIMITS = SnsLimits()


@pytest.mark.parametrize(
    ("mine", "theirs", "both", "expected"),
    [
        (True, True, True, "CheckResult_Type_BothWay"),
        (True, False, True, "CheckResult_Type_AWithB"),
        (False, True, True, "CheckResult_Type_BWithA"),
        (False, False, True, "CheckResult_Type_NoRelation"),
        (True, True, False, "CheckResult_Type_AWithB"),
        (False, True, False, "CheckResult_Type_NoRelation"),
    ],
)
def test_friend_relation(mine: bool, theirs: bool, both: bool, expected: str) -> None:
    assert relation(mine, theirs, both, "CheckResult_Type_", "NoRelation") == expected


def test_black_relation_uses_NO() -> None:
    def black_relation(mine: bool, theirs: bool, both: bool) -> str:
        return relation(mine, theirs, both, "BlackCheckResult_Type_", "NO")

    assert black_relation(False, False, True) == "BlackCheckResult_Type_NO"
    assert black_relation(True, True, True) == "BlackCheckResult_Type_BothWay"
    assert black_relation(False, True, False) == "BlackCheckResult_Type_NO"


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("AddSource_Type_Android", True),
        ("AddSource_Type_Abcdefgh", True),
        ("AddSource_Type_Abcdefghi", False),
        ("AddSource_Type_", False),
        ("AddSource_Type_And1", False),
        ("AddSource_Type_Andé", False),
        ("Android", False),
    ],
)
def test_add_source_keyword_is_1_to_8_ascii_letters(value: str, ok: bool) -> None:
    assert (add_source_problem(value) is None) is ok


def test_list_names_count_bytes_not_characters() -> None:
    assert list_name_problem("g" * 30) is None
    assert list_name_problem("é" * 15) is None
    assert list_name_problem("é" * 16) == "at most 30 bytes, got 32"
    assert list_name_problem("") == "must not be empty"
    assert list_name_problem(3) == "must be a string"


def test_custom_values() -> None:
    assert custom_value_problem("x" * 500) is None
    assert custom_value_problem("x" * 501) is not None
    assert custom_value_problem(2**32 - 1) is None
    assert custom_value_problem(2**32) is not None
    assert custom_value_problem(True) == "must be a string or an integer"


def test_custom_tags_must_be_registered() -> None:
    check_custom_sns_tag("Tag_SNS_Custom_A", ("Tag_SNS_Custom_A",), "x")
    with pytest.raises(ApiError) as caught:
        check_custom_sns_tag("Tag_SNS_Custom_B", ("Tag_SNS_Custom_A",), "Tag")
    assert caught.value.code == Code.SNS_BAD_PARAM
    assert "not registered" in caught.value.info


def test_limits_come_from_app_settings() -> None:
    settings = AppSettings(
        max_friends=5, max_blocklist=6, max_friend_lists=7, max_pending_requests=8
    )
    assert SnsLimits.of(settings) == SnsLimits(5, 6, 7, 8)


def peers(**states: PeerState) -> dict[str, PeerState]:
    return states


def test_earlier_items_count_against_the_caps() -> None:
    plan = plan_friend_add(
        MyState("a", friends=1),
        peers(b=PeerState(True, ALLOW_ANY), c=PeerState(True, ALLOW_ANY)),
        [AddRequest("b", SRC), AddRequest("c", SRC)],
        both=False,
        force=False,
        limits=SnsLimits(max_friends=2),
        now=T,
    )
    assert codes(plan.results) == [0, Code.SNS_MY_FRIENDS_FULL]
    assert [(e.owner, e.friend) for e in plan.edges] == [("a", "b")]


def test_zero_caps_mean_unlimited() -> None:
    plan = plan_friend_add(
        MyState("a", friends=10_000),
        peers(b=PeerState(True, ALLOW_ANY, friend_count=10_000)),
        [AddRequest("b", SRC, group="new")],
        both=True,
        force=False,
        limits=SnsLimits(0, 0, 0, 0),
        now=T,
    )
    assert plan.results == [ItemResult.ok("b")]


def test_the_reverse_edge_carries_the_add_source_but_not_the_callers_remark() -> None:
    plan = plan_friend_add(
        MyState("a"),
        peers(b=PeerState(True, ALLOW_ANY)),
        [AddRequest("b", SRC, remark="Bee", group="G", add_wording="hi")],
        both=True,
        force=False,
        limits=LIMITS,
        now=T,
    )
    mine, reverse = plan.edges
    assert (mine.remark, mine.groups, mine.remark_time) == ("Bee", ("G",), T)
    assert (reverse.owner, reverse.add_source, reverse.remark, reverse.groups) == ("b", SRC, "", ())
    assert plan.new_lists == ["G"]


def test_deny_any_wins_over_a_stored_request_only_without_force() -> None:
    plan = plan_friend_add(
        MyState("a"),
        peers(d=PeerState(True, DENY_ANY)),
        [AddRequest("d", SRC)],
        both=True,
        force=False,
        limits=LIMITS,
        now=T,
    )
    assert plan.results[0].code == Code.SNS_PEER_DENY_ANY and not plan.new_requests


def test_need_confirm_renews_an_existing_request_without_counting_it() -> None:
    mine = MyState("a", pending=3)
    plan = plan_friend_add(
        mine,
        peers(n=PeerState(True, NEED_CONFIRM, my_request=True)),
        [AddRequest("n", SRC)],
        both=True,
        force=False,
        limits=SnsLimits(max_pending=3),
        now=T,
    )
    assert plan.results[0].code == Code.SNS_PENDING
    assert len(plan.renewed_requests) == 1 and not plan.new_requests
    assert mine.pending == 3


def test_a_request_of_the_target_is_accepted_with_its_own_remark_and_list() -> None:
    theirs = FriendRequest("n", "a", T - 5, "AddSource_Type_Ios", "hey", "my a", "Pals", both=False)
    plan = plan_friend_add(
        MyState("a"),
        peers(n=PeerState(True, NEED_CONFIRM, peer_request=theirs)),
        [AddRequest("n", SRC)],
        both=False,
        force=False,
        limits=LIMITS,
        now=T,
    )
    assert plan.results == [ItemResult.ok("n")]
    mine, reverse = plan.edges
    assert (mine.owner, mine.add_source) == ("a", SRC)
    assert (reverse.owner, reverse.add_source, reverse.remark, reverse.groups) == (
        "n",
        "AddSource_Type_Ios",
        "my a",
        ("Pals",),
    )
    assert plan.dropped_requests == [("n", "a")]


def test_import_drops_a_pending_request_it_fulfils() -> None:
    plan = plan_friend_import(
        MyState("a"),
        peers(n=PeerState(True, NEED_CONFIRM, my_request=True)),
        [ImportItem("n", SRC, add_time=5)],
        limits=LIMITS,
        now=T,
    )
    assert plan.results == [ItemResult.ok("n")]
    assert plan.edges[0].add_time == 5
    assert plan.dropped_requests == [("a", "n")]


def test_accept_needs_a_request_and_respects_the_caps() -> None:
    none = plan_accept(
        MyState("t"), PeerState(True), "r", both=True, remark="", group="", limits=LIMITS, now=T
    )
    assert none.results[0].code == Code.SNS_BAD_PARAM
    request = FriendRequest("r", "t", T, SRC)
    full = plan_accept(
        MyState("t"),
        PeerState(True, peer_request=request, friend_count=1),
        "r",
        both=False,
        remark="",
        group="",
        limits=SnsLimits(max_friends=1),
        now=T,
    )
    assert codes(full.results) == [Code.SNS_PEER_FRIENDS_FULL]
    lists = plan_accept(
        MyState("t", lists=["x"]),
        PeerState(True, peer_request=request),
        "r",
        both=True,
        remark="",
        group="y",
        limits=SnsLimits(max_lists=1),
        now=T,
    )
    assert lists.results[0].code == Code.SNS_TOO_MANY_LISTS


def test_update_plan_merges_custom_values_and_marks_what_changed() -> None:
    from relchain.domain.sns.friends import FriendUpdate, plan_friend_update

    plan = plan_friend_update(
        MyState("a", lists=["G"]),
        {"b": {"Tag_SNS_Custom_X": 1, "Tag_SNS_Custom_Y": "y"}},
        [
            FriendUpdate("b", custom={"Tag_SNS_Custom_X": 2}),
            FriendUpdate("c", remark="r"),
            FriendUpdate("b", groups=("G", "H", "G")),
        ],
        limits=LIMITS,
    )
    assert codes(plan.results) == [0, Code.SNS_NOT_FRIEND_DELETE, 0]
    assert plan.custom == {"b": {"Tag_SNS_Custom_X": 2, "Tag_SNS_Custom_Y": "y"}}
    assert plan.groups == {"b": ("G", "H")}
    assert plan.new_lists == ["H"]
    assert (plan.standard_changed, plan.lists_changed) == (True, True)
    custom_only = plan_friend_update(
        MyState("a"), {"b": {}}, [FriendUpdate("b", custom={"Tag_SNS_Custom_X": 1})], limits=LIMITS
    )
    assert (custom_only.standard_changed, custom_only.lists_changed) == (False, False)


def test_block_plan_in_order() -> None:
    from relchain.domain.sns.blocklist import plan_block

    results, added = plan_block(
        "a",
        ["b", "b", "a", "x", "c", "d"],
        {"a", "b", "c", "d"},
        {"c"},
        0,
        limits=SnsLimits(max_blocklist=1),
    )
    assert codes(results) == [0, 30001, 30001, 30003, 30001, 30013]
    assert added == ["b"]


def test_list_add_plan_raises_30011_before_anything() -> None:
    from relchain.domain.sns.lists import plan_list_add

    missing, results = plan_list_add(
        ["A"], ["A", "B", "B"], ["f", "x", "ghost"], {"f", "x"}, {"f"}, limits=LIMITS
    )
    assert missing == ["B"]
    assert codes(results) == [0, 32216, 30003]
    with pytest.raises(ApiError) as caught:
        plan_list_add(["A"], ["B"], [], set(), set(), limits=SnsLimits(max_lists=1))
    assert caught.value.code == 30011
    assert error_info(caught.value).startswith("GroupName:")  # the field is http's


def test_their_lists_created_under_the_cap_else_the_friend_goes_outside_them() -> None:
    from relchain.domain.sns.friends import plan_their_lists
    from relchain.domain.sns.plan import Edge

    edges = [
        Edge("me", "x", "AddSource_Type_A", 1, groups=("mine",)),  # the caller: untouched
        Edge("o1", "me", "AddSource_Type_A", 1, groups=("old", "new")),
        Edge("o2", "me", "AddSource_Type_A", 1, groups=("g3",)),
    ]
    kept, created = plan_their_lists(
        edges, {"o1": ["old"], "o2": ["g1", "g2"]}, {"o1": 4, "o2": 2}, max_lists=2
    )
    assert [e.groups for e in kept] == [("mine",), ("old", "new"), ()]
    assert created == [("o1", "new", 5)]
    _, unlimited = plan_their_lists(edges, {"o2": ["g1", "g2"]}, {"o2": 2}, max_lists=0)
    assert unlimited == [("o2", "g3", 3)]
