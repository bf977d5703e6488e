"""Account APIs over HTTP: import (one and many), check, delete; limits and UserID rules."""

from __future__ import annotations

import pytest

from relchain.domain.errors import Code
from tests.support import RestClient

CHECK = "im_open_login_svc/account_check"


async def statuses(rest: RestClient, *ids: str) -> list[str]:
    data = await rest.ok(CHECK, {"CheckItem": [{"UserID": uid} for uid in ids]})
    return [item["AccountStatus"] for item in data["ResultItem"]]


async def test_documented_account_import_sample_then_check(rest: RestClient) -> None:
    data = await rest.ok(
        "im_open_login_svc/account_import",
        {"UserID": "test", "Nick": "test", "FaceUrl": "http://www.qq.com"},
    )
    assert data == {"ActionStatus": "OK", "ErrorCode": 0, "ErrorInfo": "", "ErrorDisplay": ""}
    check = await rest.ok(CHECK, {"CheckItem": [{"UserID": "test"}, {"UserID": "nope"}]})
    assert check["ResultItem"] == [
        {"UserID": "test", "ResultCode": 0, "ResultInfo": "", "AccountStatus": "Imported"},
        {"UserID": "nope", "ResultCode": 0, "ResultInfo": "", "AccountStatus": "NotImported"},
    ]


async def test_import_sets_nick_and_face_as_profile_tags(rest: RestClient) -> None:
    await rest.ok(
        "im_open_login_svc/account_import",
        {"UserID": "p1", "Nick": "Nick1", "FaceUrl": "http://x/y.png"},
    )
    data = await rest.ok(
        "profile/portrait_get",
        {"To_Account": ["p1"], "TagList": ["Tag_Profile_IM_Nick", "Tag_Profile_IM_Image"]},
    )
    assert data["UserProfileItem"][0]["ProfileItem"] == [
        {"Tag": "Tag_Profile_IM_Nick", "Value": "Nick1"},
        {"Tag": "Tag_Profile_IM_Image", "Value": "http://x/y.png"},
    ]


async def test_reimport_is_idempotent_and_keeps_the_profile(rest: RestClient) -> None:
    await rest.ok("im_open_login_svc/account_import", {"UserID": "r1", "Nick": "First"})
    await rest.ok("im_open_login_svc/account_import", {"UserID": "r1"})
    data = await rest.ok(
        "profile/portrait_get", {"To_Account": ["r1"], "TagList": ["Tag_Profile_IM_Nick"]}
    )
    assert data["UserProfileItem"][0]["ProfileItem"] == [
        {"Tag": "Tag_Profile_IM_Nick", "Value": "First"}
    ]


async def test_legacy_identifier_field_is_accepted(rest: RestClient) -> None:
    await rest.ok("im_open_login_svc/account_import", {"Identifier": "legacy"})
    assert await statuses(rest, "legacy") == ["Imported"]


@pytest.mark.parametrize(
    ("user_id", "why"),
    [
        ("x" * 33, "at most 32 bytes"),
        ("", "must not be empty"),
        ("tab\there", "printable"),
        ("中文", "printable ASCII"),
        (None, "required"),
    ],
)
async def test_account_import_refuses_bad_userids_with_70402(
    rest: RestClient, user_id: object, why: str
) -> None:
    data = await rest.call("im_open_login_svc/account_import", {"UserID": user_id})
    assert data["ErrorCode"] == Code.ACCOUNT_BAD_PARAM
    assert data["ErrorInfo"].startswith("UserID:") and why in data["ErrorInfo"]


async def test_32_byte_printable_userid_with_spaces_is_fine(rest: RestClient) -> None:
    uid = "a b~!@#$%^&*()_+-={}[]|:;'<>,.?/"
    assert len(uid) == 32
    await rest.ok("im_open_login_svc/account_import", {"UserID": uid})
    assert await statuses(rest, uid) == ["Imported"]


async def test_nick_over_500_bytes_is_40601(rest: RestClient) -> None:
    data = await rest.call("im_open_login_svc/account_import", {"UserID": "n", "Nick": "é" * 251})
    assert data["ErrorCode"] == Code.PROFILE_VALUE_TOO_LONG
    assert data["ErrorInfo"].startswith("Nick:")
    assert await statuses(rest, "n") == ["NotImported"]


async def test_multiaccount_import_both_forms_and_fail_accounts(rest: RestClient) -> None:
    data = await rest.ok(
        "im_open_login_svc/multiaccount_import",
        {"Accounts": ["UserID_001", "UserID_002", "x" * 40]},
    )
    assert data["FailAccounts"] == ["x" * 40]
    data = await rest.ok(
        "im_open_login_svc/multiaccount_import",
        {
            "AccountList": [
                {"UserID": "UserID_003", "Nick": "Nick_003", "FaceUrl": "http://www.qq.com"}
            ]
        },
    )
    assert data["FailAccounts"] == []
    assert await statuses(rest, "UserID_001", "UserID_002", "UserID_003") == ["Imported"] * 3


async def test_multiaccount_import_over_100_is_70402_and_imports_nothing(rest: RestClient) -> None:
    ids = [f"u{i}" for i in range(101)]
    data = await rest.call("im_open_login_svc/multiaccount_import", {"Accounts": ids})
    assert data["ErrorCode"] == Code.ACCOUNT_BAD_PARAM
    assert data["ErrorInfo"].startswith("Accounts: at most 100")
    assert await statuses(rest, "u0") == ["NotImported"]


async def test_multiaccount_import_needs_one_of_the_forms(rest: RestClient) -> None:
    data = await rest.call("im_open_login_svc/multiaccount_import", {})
    assert data["ErrorCode"] == Code.ACCOUNT_BAD_PARAM
    assert data["ErrorInfo"].startswith("Accounts:")


async def test_account_check_over_100_is_70402(rest: RestClient) -> None:
    data = await rest.call(CHECK, {"CheckItem": [{"UserID": f"u{i}"} for i in range(101)]})
    assert data["ErrorCode"] == Code.ACCOUNT_BAD_PARAM
    assert data["ErrorInfo"].startswith("CheckItem:")


async def test_account_check_item_that_is_not_an_object_is_70402(rest: RestClient) -> None:
    data = await rest.call(CHECK, {"CheckItem": ["u1"]})
    assert data["ErrorCode"] == Code.ACCOUNT_BAD_PARAM
    assert data["ErrorInfo"].startswith("CheckItem[0]:")


async def test_account_delete_documented_sample_answers_per_item(rest: RestClient) -> None:
    await rest.import_accounts("UserID_1")
    data = await rest.ok(
        "im_open_login_svc/account_delete",
        {"DeleteItem": [{"UserID": "UserID_1"}, {"UserID": "UserID_2"}]},
    )
    assert data["ResultItem"] == [
        {"UserID": "UserID_1", "ResultCode": 0, "ResultInfo": ""},
        {
            "UserID": "UserID_2",
            "ResultCode": 70107,
            "ResultInfo": "Err_TLS_PT_Open_Login_Account_Not_Exist",
        },
    ]
    assert await statuses(rest, "UserID_1") == ["NotImported"]


async def test_account_delete_removes_the_profile(rest: RestClient) -> None:
    await rest.ok("im_open_login_svc/account_import", {"UserID": "gone", "Nick": "Old"})
    await rest.ok("im_open_login_svc/account_delete", {"DeleteItem": [{"UserID": "gone"}]})
    await rest.ok("im_open_login_svc/account_import", {"UserID": "gone"})
    data = await rest.ok(
        "profile/portrait_get", {"To_Account": ["gone"], "TagList": ["Tag_Profile_IM_Nick"]}
    )
    assert data["UserProfileItem"][0]["ProfileItem"] == [
        {"Tag": "Tag_Profile_IM_Nick", "Value": ""}
    ]


async def test_account_delete_with_an_invalid_userid_answers_that_item_70402(
    rest: RestClient,
) -> None:
    data = await rest.ok("im_open_login_svc/account_delete", {"DeleteItem": [{"UserID": 7}]})
    assert data["ResultItem"][0]["ResultCode"] == Code.ACCOUNT_BAD_PARAM
