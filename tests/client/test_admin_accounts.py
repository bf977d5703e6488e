"""AsyncAdmin against the real app: the account and profile APIs."""

from __future__ import annotations

import pytest

from relchain.client import (
    AllowType,
    AsyncAdmin,
    Gender,
    InvalidRequest,
    NewAccount,
    NotFound,
    ProfileTag,
)


async def test_import_one_and_many_then_check(admin: AsyncAdmin) -> None:
    await admin.account_import("alice", nick="Alice", face_url="http://img/a.png")
    result = await admin.multiaccount_import(["bob", "carol", "x" * 40])
    assert result.failed == ("x" * 40,) and not result.ok
    listed = await admin.multiaccount_import([NewAccount("dave", nick="Dave"), "erin"])
    assert listed.ok and listed.failed == ()
    checked = await admin.account_check(["alice", "dave", "erin", "nobody"])
    assert [(c.account, c.imported) for c in checked] == [
        ("alice", True),
        ("dave", True),
        ("erin", True),
        ("nobody", False),
    ]
    assert checked.ok
    profiles = await admin.portrait_get(["alice", "dave"], [ProfileTag.NICK, ProfileTag.IMAGE])
    assert [p.tags for p in profiles] == [
        {"Tag_Profile_IM_Nick": "Alice", "Tag_Profile_IM_Image": "http://img/a.png"},
        {"Tag_Profile_IM_Nick": "Dave", "Tag_Profile_IM_Image": ""},
    ]


async def test_delete_answers_per_account(admin: AsyncAdmin) -> None:
    await admin.multiaccount_import(["alice", "bob"])
    deleted = await admin.account_delete(["alice", "ghost"])
    assert [(d.account, d.code) for d in deleted] == [("alice", 0), ("ghost", 70107)]
    assert deleted.failed == ("ghost",)
    checked = await admin.account_check(["alice", "bob"])
    assert [c.imported for c in checked] == [False, True]


async def test_portrait_set_then_get_with_enum_values(admin: AsyncAdmin) -> None:
    await admin.account_import("alice")
    await admin.portrait_set(
        "alice",
        {
            ProfileTag.NICK: "Alice",
            ProfileTag.GENDER: Gender.FEMALE,
            ProfileTag.ALLOW_TYPE: AllowType.ALLOW_ANY,
            ProfileTag.LEVEL: 7,
        },
    )
    tags = [ProfileTag.NICK, ProfileTag.GENDER, ProfileTag.ALLOW_TYPE, ProfileTag.LEVEL]
    (profile,) = await admin.portrait_get(["alice"], tags)
    assert profile.ok and profile.account == "alice"
    assert profile.tags == {
        "Tag_Profile_IM_Nick": "Alice",
        "Tag_Profile_IM_Gender": "Gender_Type_Female",
        "Tag_Profile_IM_AllowType": "AllowType_Type_AllowAny",
        "Tag_Profile_IM_Level": 7,
    }
    assert profile.tags[ProfileTag.GENDER] == Gender.FEMALE


async def test_a_missing_account_is_an_item_of_portrait_get_but_an_error_of_portrait_set(
    admin: AsyncAdmin,
) -> None:
    batch = await admin.portrait_get(["ghost"], [ProfileTag.NICK])
    assert batch[0].code == 40003 and batch.failed == ("ghost",)
    with pytest.raises(NotFound) as caught:
        await admin.portrait_set("ghost", {ProfileTag.NICK: "G"})
    assert caught.value.error_code == 40003


async def test_profile_errors_carry_the_servers_code_and_field(admin: AsyncAdmin) -> None:
    await admin.account_import("alice")
    with pytest.raises(InvalidRequest) as caught:
        await admin.portrait_set("alice", {"Tag_Profile_Custom_Unregistered": "x"})
    assert caught.value.error_code == 40009
    assert caught.value.error_info.startswith("ProfileItem[0].Tag")
    with pytest.raises(InvalidRequest) as too_long:
        await admin.portrait_set("alice", {ProfileTag.LOCATION: "x" * 17})
    assert too_long.value.error_code == 40601
