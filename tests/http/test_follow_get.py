"""follow_get over HTTP: the three lists, their order, keyset paging, WantNum, cursors that are
malformed or foreign, and the ProfileItem / profile_sequence of each item."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

import pytest

from relchain.domain.errors import Code
from relchain.domain.follows import FollowCaps
from relchain.ports import Store
from tests.support import SDKAPPID, T0, RestClient, bad_request, follow

GET = "follow/follow_get"


async def set_settings(store: Store, **changes: Any) -> None:
    async with store.write() as tx:
        app = await tx.get_app(SDKAPPID)
        assert app is not None
        await tx.save_app(replace(app, settings=replace(app.settings, **changes)))


async def page(
    rest: RestClient, user: str, kind: int, cursor: str = "", want: int | None = None
) -> dict[str, Any]:
    body: dict[str, Any] = {"From_Account": user, "FollowType": kind, "StartCursor": cursor}
    if want is not None:
        body["WantNum"] = want
    return await rest.ok(GET, body)


async def scan(rest: RestClient, user: str, kind: int, want: int) -> list[tuple[str, int]]:
    """Every (account, FollowTime) of a list, page by page; checks the NextCursor rule."""
    out: list[tuple[str, int]] = []
    cursor = ""
    while True:
        data = await page(rest, user, kind, cursor, want)
        items = data["FollowItem"]
        out += [(i["To_Account"], i["FollowTime"]) for i in items]
        cursor = data["NextCursor"]
        if not cursor:
            return out
        assert len(items) == want  # a page before the last is full, never empty


async def test_documented_sample_with_trailing_comma_works_verbatim(rest: RestClient) -> None:
    await rest.import_accounts("UserID_001", "UserID_002")
    await follow(rest, "UserID_002", "UserID_001")
    raw = (
        b'{\n  "From_Account":"UserID_001",\n  "FollowType":1,\n'
        b'  "StartCursor":"",\n  "WantNum":100,\n}'
    )
    data = await rest.ok(GET, raw=raw)
    assert data["NextCursor"] == ""
    assert data["FollowItem"] == [
        {
            "To_Account": "UserID_002",
            "FollowTime": T0,
            "ProfileItem": [],
            "profile_sequence": 0,
            "ProfileSequence": 0,
        }
    ]


async def test_fans_following_and_mutual_lists(rest: RestClient) -> None:
    await rest.import_accounts("me", "fan", "idol", "pal")
    await follow(rest, "fan", "me")
    rest.clock.advance(1)
    await follow(rest, "me", "idol", "pal")
    rest.clock.advance(1)
    await follow(rest, "pal", "me")
    assert await scan(rest, "me", 1, 10) == [("pal", T0 + 2), ("fan", T0)]
    assert await scan(rest, "me", 2, 10) == [("pal", T0 + 1), ("idol", T0 + 1)]
    # mutual: FollowTime is when the pair became mutual (the later follow)
    assert await scan(rest, "me", 3, 10) == [("pal", T0 + 2)]
    assert await scan(rest, "pal", 3, 10) == [("me", T0 + 2)]


async def test_order_is_newest_first_then_account_descending(rest: RestClient) -> None:
    users = ["a", "b", "c", "d", "e"]
    await rest.import_accounts("star", *users)
    for u in ["c", "a", "e"]:
        await follow(rest, u, "star")
    rest.clock.advance(10)
    for u in ["b", "d"]:
        await follow(rest, u, "star")
    expected = [("d", T0 + 10), ("b", T0 + 10), ("e", T0), ("c", T0), ("a", T0)]
    for want in (1, 2, 3, 5, 6):
        assert await scan(rest, "star", 1, want) == expected


async def test_mutual_list_is_ordered_by_the_later_follow_time(rest: RestClient) -> None:
    await rest.import_accounts("me", "x", "y")
    await follow(rest, "x", "me")  # t0: x follows me
    rest.clock.advance(5)
    await follow(rest, "me", "y")  # t5: I follow y
    rest.clock.advance(5)
    await follow(rest, "y", "me")  # t10: y follows back -> mutual at t10
    rest.clock.advance(5)
    await follow(rest, "me", "x")  # t15: I follow x back -> mutual at t15
    assert await scan(rest, "me", 3, 1) == [("x", T0 + 15), ("y", T0 + 10)]


async def test_next_cursor_is_empty_exactly_at_the_end(rest: RestClient) -> None:
    fans = [f"f{i:02d}" for i in range(6)]
    await rest.import_accounts("star", *fans)
    for f in fans:
        await follow(rest, f, "star")
    first = await page(rest, "star", 1, want=3)
    assert len(first["FollowItem"]) == 3 and first["NextCursor"]
    second = await page(rest, "star", 1, first["NextCursor"], want=3)
    assert len(second["FollowItem"]) == 3 and second["NextCursor"] == ""
    whole = await page(rest, "star", 1, want=6)
    assert len(whole["FollowItem"]) == 6 and whole["NextCursor"] == ""
    assert re.fullmatch(r"[A-Za-z0-9_-]+", first["NextCursor"])


async def test_empty_list_answers_no_items_and_no_cursor(rest: RestClient) -> None:
    await rest.import_accounts("lonely")
    for kind in (1, 2, 3):
        data = await page(rest, "lonely", kind)
        assert data["FollowItem"] == [] and data["NextCursor"] == ""


async def test_want_num_defaults_to_100(rest: RestClient, store: Store) -> None:
    fans = [f"f{i:03d}" for i in range(101)]
    async with store.write() as tx:
        await tx.import_accounts(SDKAPPID, [(u, {}) for u in ["star", *fans]], T0)
        for f in fans:
            await tx.add_follows(SDKAPPID, f, ["star"], T0, FollowCaps())
    data = await rest.ok(GET, {"From_Account": "star", "FollowType": 1, "StartCursor": ""})
    assert len(data["FollowItem"]) == 100 and data["NextCursor"]
    rest_page = await page(rest, "star", 1, data["NextCursor"])
    assert [i["To_Account"] for i in rest_page["FollowItem"]] == ["f000"]
    assert rest_page["NextCursor"] == ""


async def test_want_num_1000_is_accepted_and_start_cursor_may_be_absent(rest: RestClient) -> None:
    await rest.import_accounts("me")
    data = await rest.ok(GET, {"From_Account": "me", "FollowType": 2, "WantNum": 1000})
    assert data["FollowItem"] == []


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"FollowType": 1, "StartCursor": ""}, "From_Account"),
        ({"From_Account": 3, "FollowType": 1, "StartCursor": ""}, "From_Account"),
        ({"From_Account": "me", "StartCursor": ""}, "FollowType"),
        ({"From_Account": "me", "FollowType": 0, "StartCursor": ""}, "FollowType"),
        ({"From_Account": "me", "FollowType": 4, "StartCursor": ""}, "FollowType"),
        ({"From_Account": "me", "FollowType": "1", "StartCursor": ""}, "FollowType"),
        ({"From_Account": "me", "FollowType": 1, "StartCursor": 0}, "StartCursor"),
        ({"From_Account": "me", "FollowType": 1, "WantNum": 0}, "WantNum"),
        ({"From_Account": "me", "FollowType": 1, "WantNum": 1001}, "WantNum"),
        ({"From_Account": "me", "FollowType": 1, "WantNum": -5}, "WantNum"),
        ({"From_Account": "me", "FollowType": 1, "WantNum": "100"}, "WantNum"),
        ({"From_Account": "me", "FollowType": 1, "WantNum": 2.5}, "WantNum"),
        ({"From_Account": "me", "FollowType": 1, "StartCursor": "abc"}, "StartCursor"),
        ({"From_Account": "me", "FollowType": 1, "StartCursor": "!!!!"}, "StartCursor"),
        ({"From_Account": "me", "FollowType": 1, "StartCursor": "A" * 200}, "StartCursor"),
        ({"From_Account": "me", "FollowType": 1, "StartCursor": "é"}, "StartCursor"),
    ],
)
async def test_bad_requests_answer_30001_naming_the_field(
    rest: RestClient, body: dict[str, Any], field: str
) -> None:
    await rest.import_accounts("me")
    bad_request(await rest.call(GET, body), Code.SNS_BAD_PARAM, field)


async def test_missing_from_account_answers_30003(rest: RestClient) -> None:
    data = await rest.call(GET, {"From_Account": "ghost", "FollowType": 1, "StartCursor": ""})
    bad_request(data, Code.SNS_ACCOUNT_NOT_FOUND, "From_Account")


async def test_foreign_and_damaged_cursors_are_refused(rest: RestClient) -> None:
    await rest.import_accounts("a", "b", "c", "d")
    await follow(rest, "c", "a", "b")
    await follow(rest, "d", "a", "b")
    await follow(rest, "a", "c", "d")
    cursor = (await page(rest, "a", 1, want=1))["NextCursor"]
    assert cursor
    # the same cursor continues its own list
    assert (await page(rest, "a", 1, cursor, want=1))["FollowItem"]
    foreign = [
        {"From_Account": "b", "FollowType": 1, "StartCursor": cursor},  # other user
        {"From_Account": "a", "FollowType": 2, "StartCursor": cursor},  # other list
        {"From_Account": "a", "FollowType": 3, "StartCursor": cursor},
    ]
    for body in foreign:
        bad_request(await rest.call(GET, body), Code.SNS_BAD_PARAM, "StartCursor")
    flipped = cursor[:-2] + ("A" if cursor[-2] != "A" else "B") + cursor[-1]
    for damaged in (flipped, cursor[:-1], cursor + "A", cursor[:5]):
        data = await rest.call(GET, {"From_Account": "a", "FollowType": 1, "StartCursor": damaged})
        bad_request(data, Code.SNS_BAD_PARAM, "StartCursor")


async def test_profile_items_are_the_configured_tags_that_are_set(
    rest: RestClient, store: Store
) -> None:
    await set_settings(store, custom_profile_tags=("Tag_Profile_Custom_Test",))
    await rest.import_accounts("me", "fan")
    await follow(rest, "fan", "me")
    await rest.ok(
        "profile/portrait_set",
        {
            "From_Account": "fan",
            "ProfileItem": [
                {"Tag": "Tag_Profile_IM_SelfSignature", "Value": "I'm Test2"},
                {"Tag": "Tag_Profile_IM_Nick", "Value": "NickNameTest2"},
                {"Tag": "Tag_Profile_IM_Gender", "Value": "Gender_Type_Male"},
                {"Tag": "Tag_Profile_Custom_Test", "Value": "Custom Data2"},
            ],
        },
    )
    await rest.ok(
        "profile/portrait_set",
        {
            "From_Account": "fan",
            "ProfileItem": [{"Tag": "Tag_Profile_IM_AllowType", "Value": "AllowType_Type_DenyAny"}],
        },
    )
    item = (await page(rest, "me", 1))["FollowItem"][0]
    assert item["ProfileItem"] == [
        {"Tag": "Tag_Profile_IM_Nick", "Value": "NickNameTest2"},
        {"Tag": "Tag_Profile_IM_SelfSignature", "Value": "I'm Test2"},
        {"Tag": "Tag_Profile_IM_AllowType", "Value": "AllowType_Type_DenyAny"},
        {"Tag": "Tag_Profile_Custom_Test", "Value": "Custom Data2"},
    ]
    assert item["profile_sequence"] == item["ProfileSequence"] == 2
    # the configured list decides (Gender added, Nick dropped); custom tags that are set stay
    await set_settings(store, follow_profile_tags=("Tag_Profile_IM_Gender",))
    item = (await page(rest, "me", 1))["FollowItem"][0]
    assert item["ProfileItem"] == [
        {"Tag": "Tag_Profile_IM_Gender", "Value": "Gender_Type_Male"},
        {"Tag": "Tag_Profile_Custom_Test", "Value": "Custom Data2"},
    ]


async def test_each_list_shows_the_listed_accounts_profile(rest: RestClient) -> None:
    await rest.import_accounts("me", "other")
    await follow(rest, "me", "other")
    await follow(rest, "other", "me")
    for user, nick in (("me", "Me"), ("other", "Other")):
        await rest.ok(
            "profile/portrait_set",
            {"From_Account": user, "ProfileItem": [{"Tag": "Tag_Profile_IM_Nick", "Value": nick}]},
        )
    for kind in (1, 2, 3):
        item = (await page(rest, "me", kind))["FollowItem"][0]
        assert item["ProfileItem"] == [{"Tag": "Tag_Profile_IM_Nick", "Value": "Other"}]
        assert item["profile_sequence"] == 1
