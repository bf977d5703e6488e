"""What each method sends: the path, the query Tencent's docs give, and the exact wire body."""

from __future__ import annotations

import time
from typing import Any

import httpx
import pytest

from relchain.auth.usersig import verify_usersig
from relchain.client import (
    AddFriend,
    AddType,
    Admin,
    AllowType,
    BlockCheckType,
    CheckType,
    DeleteType,
    FollowType,
    ImportFriend,
    NewAccount,
    ProfileTag,
    SnsTag,
    TransportError,
    UpdateFriend,
)
from tests.client.mock import KEY, SDKAPPID, Scripted, ok

# (method, args, kwargs, path, body)
CASES: list[tuple[str, tuple[Any, ...], dict[str, Any], str, dict[str, Any]]] = [
    ("account_import", ("u1",), {}, "im_open_login_svc/account_import", {"UserID": "u1"}),
    (
        "account_import",
        ("u1",),
        {"nick": "Nick", "face_url": "http://x/y.png"},
        "im_open_login_svc/account_import",
        {"UserID": "u1", "Nick": "Nick", "FaceUrl": "http://x/y.png"},
    ),
    (
        "multiaccount_import",
        (["u1", "u2"],),
        {},
        "im_open_login_svc/multiaccount_import",
        {"Accounts": ["u1", "u2"]},
    ),
    (
        "multiaccount_import",
        ([NewAccount("u1", nick="N1"), "u2"],),
        {},
        "im_open_login_svc/multiaccount_import",
        {"AccountList": [{"UserID": "u1", "Nick": "N1"}, {"UserID": "u2"}]},
    ),
    (
        "account_check",
        (["u1", "u2"],),
        {},
        "im_open_login_svc/account_check",
        {"CheckItem": [{"UserID": "u1"}, {"UserID": "u2"}]},
    ),
    (
        "account_delete",
        (["u1"],),
        {},
        "im_open_login_svc/account_delete",
        {"DeleteItem": [{"UserID": "u1"}]},
    ),
    (
        "portrait_set",
        (
            "u1",
            {
                ProfileTag.NICK: "N",
                ProfileTag.ALLOW_TYPE: AllowType.ALLOW_ANY,
                "Tag_Profile_Custom_X": 3,
            },
        ),
        {},
        "profile/portrait_set",
        {
            "From_Account": "u1",
            "ProfileItem": [
                {"Tag": "Tag_Profile_IM_Nick", "Value": "N"},
                {"Tag": "Tag_Profile_IM_AllowType", "Value": "AllowType_Type_AllowAny"},
                {"Tag": "Tag_Profile_Custom_X", "Value": 3},
            ],
        },
    ),
    (
        "portrait_get",
        (["u1"], [ProfileTag.NICK, "Tag_Profile_Custom_X"]),
        {},
        "profile/portrait_get",
        {"To_Account": ["u1"], "TagList": ["Tag_Profile_IM_Nick", "Tag_Profile_Custom_X"]},
    ),
    (
        "follow_add",
        ("u1", ["u2", "u3"]),
        {},
        "follow/follow_add",
        {"From_Account": "u1", "FollowItem": [{"To_Account": "u2"}, {"To_Account": "u3"}]},
    ),
    (
        "follow_delete",
        ("u1", ["u2"]),
        {},
        "follow/follow_delete",
        {"From_Account": "u1", "To_Account": ["u2"]},
    ),
    (
        "follow_check",
        ("u1", ["u2"]),
        {},
        "follow/follow_check",
        {"From_Account": "u1", "To_Account": ["u2"]},
    ),
    (
        "follow_get",
        ("u1", FollowType.MUTUAL),
        {"start_cursor": "abc", "want_num": 7},
        "follow/follow_get",
        {"From_Account": "u1", "FollowType": 3, "StartCursor": "abc", "WantNum": 7},
    ),
    (
        "follow_get",
        ("u1", FollowType.FOLLOWER),
        {},
        "follow/follow_get",
        {"From_Account": "u1", "FollowType": 1, "StartCursor": "", "WantNum": 100},
    ),
    (
        "follow_get_info",
        ("u1", ["u1", "u2"]),
        {},
        "follow/follow_get_info",
        {"From_Account": "u1", "To_Account": ["u1", "u2"]},
    ),
    (
        "friend_add",
        ("u1", [AddFriend("u2", "AddSource_Type_Web", remark="R", group="G", add_wording="hi")]),
        {"add_type": AddType.SINGLE, "force_add": True},
        "sns/friend_add",
        {
            "From_Account": "u1",
            "AddFriendItem": [
                {
                    "To_Account": "u2",
                    "AddSource": "AddSource_Type_Web",
                    "Remark": "R",
                    "GroupName": "G",
                    "AddWording": "hi",
                }
            ],
            "AddType": "Add_Type_Single",
            "ForceAddFlags": 1,
        },
    ),
    (
        "friend_add",
        ("u1", [AddFriend("u2", "AddSource_Type_Web")]),
        {},
        "sns/friend_add",
        {
            "From_Account": "u1",
            "AddFriendItem": [{"To_Account": "u2", "AddSource": "AddSource_Type_Web"}],
            "AddType": "Add_Type_Both",
            "ForceAddFlags": 0,
        },
    ),
    (
        "friend_import",
        (
            "u1",
            [
                ImportFriend(
                    "u2",
                    "AddSource_Type_Imp",
                    remark="R",
                    groups=["A", "B"],
                    add_wording="w",
                    remark_time=5,
                    add_time=6,
                    custom={"Tag_SNS_Custom_X": "v"},
                ),
                ImportFriend("u3", "AddSource_Type_Imp"),
            ],
        ),
        {},
        "sns/friend_import",
        {
            "From_Account": "u1",
            "AddFriendItem": [
                {
                    "To_Account": "u2",
                    "AddSource": "AddSource_Type_Imp",
                    "Remark": "R",
                    "AddWording": "w",
                    "GroupName": ["A", "B"],
                    "RemarkTime": 5,
                    "AddTime": 6,
                    "CustomItem": [{"Tag": "Tag_SNS_Custom_X", "Value": "v"}],
                },
                {"To_Account": "u3", "AddSource": "AddSource_Type_Imp"},
            ],
        },
    ),
    (
        "friend_update",
        (
            "u1",
            [
                UpdateFriend("u2", remark="R", groups=[], custom={"Tag_SNS_Custom_X": 1}),
                UpdateFriend("u3", groups=["G"]),
            ],
        ),
        {},
        "sns/friend_update",
        {
            "From_Account": "u1",
            "UpdateItem": [
                {
                    "To_Account": "u2",
                    "SnsItem": [
                        {"Tag": "Tag_SNS_IM_Remark", "Value": "R"},
                        {"Tag": "Tag_SNS_IM_Group", "Value": []},
                        {"Tag": "Tag_SNS_Custom_X", "Value": 1},
                    ],
                },
                {"To_Account": "u3", "SnsItem": [{"Tag": "Tag_SNS_IM_Group", "Value": ["G"]}]},
            ],
        },
    ),
    (
        "friend_delete",
        ("u1", ["u2"]),
        {"delete_type": DeleteType.BOTH},
        "sns/friend_delete",
        {"From_Account": "u1", "To_Account": ["u2"], "DeleteType": "Delete_Type_Both"},
    ),
    (
        "friend_delete_all",
        ("u1",),
        {},
        "sns/friend_delete_all",
        {"From_Account": "u1", "DeleteType": "Delete_Type_Single"},
    ),
    (
        "friend_check",
        ("u1", ["u2"]),
        {"check_type": CheckType.SINGLE},
        "sns/friend_check",
        {"From_Account": "u1", "To_Account": ["u2"], "CheckType": "CheckResult_Type_Single"},
    ),
    (
        "friend_get",
        ("u1",),
        {"start_index": 9, "standard_sequence": 2, "custom_sequence": 3},
        "sns/friend_get",
        {"From_Account": "u1", "StartIndex": 9, "StandardSequence": 2, "CustomSequence": 3},
    ),
    (
        "friend_get_list",
        ("u1", ["u2"], [ProfileTag.NICK, SnsTag.REMARK]),
        {},
        "sns/friend_get_list",
        {
            "From_Account": "u1",
            "To_Account": ["u2"],
            "TagList": ["Tag_Profile_IM_Nick", "Tag_SNS_IM_Remark"],
        },
    ),
    (
        "black_list_add",
        ("u1", ["u2"]),
        {},
        "sns/black_list_add",
        {"From_Account": "u1", "To_Account": ["u2"]},
    ),
    (
        "black_list_delete",
        ("u1", ["u2"]),
        {},
        "sns/black_list_delete",
        {"From_Account": "u1", "To_Account": ["u2"]},
    ),
    (
        "black_list_get",
        ("u1",),
        {"start_index": 4, "max_limited": 30, "last_sequence": 12},
        "sns/black_list_get",
        {"From_Account": "u1", "StartIndex": 4, "MaxLimited": 30, "LastSequence": 12},
    ),
    (
        "black_list_check",
        ("u1", ["u2"]),
        {"check_type": BlockCheckType.SINGLE},
        "sns/black_list_check",
        {"From_Account": "u1", "To_Account": ["u2"], "CheckType": "BlackCheckResult_Type_Single"},
    ),
    (
        "group_add",
        ("u1", ["G1", "G2"], ["u2"]),
        {},
        "sns/group_add",
        {"From_Account": "u1", "GroupName": ["G1", "G2"], "To_Account": ["u2"]},
    ),
    (
        "group_add",
        ("u1", ["G1"]),
        {},
        "sns/group_add",
        {"From_Account": "u1", "GroupName": ["G1"]},
    ),
    (
        "group_delete",
        ("u1", ["G1"]),
        {},
        "sns/group_delete",
        {"From_Account": "u1", "GroupName": ["G1"]},
    ),
    (
        "group_get",
        ("u1",),
        {"group_names": ["G1"], "need_friend": True},
        "sns/group_get",
        {"From_Account": "u1", "NeedFriend": "Need_Friend_Type_Yes", "GroupName": ["G1"]},
    ),
    ("group_get", ("u1",), {}, "sns/group_get", {"From_Account": "u1"}),
]


@pytest.mark.parametrize(("method", "args", "kwargs", "path", "body"), CASES)
def test_each_method_sends_its_wire_body(
    method: str, args: tuple[Any, ...], kwargs: dict[str, Any], path: str, body: dict[str, Any]
) -> None:
    server = Scripted()
    with server.admin() as admin:
        getattr(admin, method)(*args, **kwargs)
    (sent,) = server.sent
    assert sent.path == f"/v4/{path}"
    assert sent.body == body


async def test_the_async_client_sends_the_same() -> None:
    server = Scripted()
    async with server.async_admin() as admin:
        for method, args, kwargs, path, body in CASES:
            await getattr(admin, method)(*args, **kwargs)
            assert (server.sent[-1].path, server.sent[-1].body) == (f"/v4/{path}", body)


def test_every_call_carries_the_query_tencent_documents_with_a_valid_admin_usersig() -> None:
    server = Scripted()
    with server.admin() as admin:
        admin.group_get("u1")
        admin.group_get("u1")
    first, second = server.sent
    assert list(first.query) == ["sdkappid", "identifier", "usersig", "random", "contenttype"]
    assert first.query["sdkappid"] == str(SDKAPPID)
    assert first.query["identifier"] == "admin" and first.query["contenttype"] == "json"
    assert 0 <= int(first.query["random"]) < 2**32
    verified = verify_usersig(first.query["usersig"], KEY, SDKAPPID, "admin", int(time.time()))
    assert verified.expires_at - time.time() == pytest.approx(86400, abs=5)
    assert second.query["usersig"] == first.query["usersig"], "the UserSig is cached"


@pytest.mark.parametrize(
    "base_url",
    [
        "http://relchain.test",
        "http://relchain.test/",
        "http://relchain.test/v4",
        "http://relchain.test/v4/",
    ],
)
def test_the_base_url_may_end_in_v4_as_tencents_does(base_url: str) -> None:
    server = Scripted()
    with Admin(base_url, SDKAPPID, KEY, transport=httpx.MockTransport(server)) as admin:
        admin.group_get("u1")
    assert str(server.sent[0].path) == "/v4/sns/group_get"
    assert server.sent[0].query["identifier"] == "administrator", "the default admin"


def test_a_path_prefix_of_a_reverse_proxy_is_kept() -> None:
    server = Scripted()
    with Admin("http://gw.test/chat", 1, KEY, transport=httpx.MockTransport(server)) as admin:
        admin.call("/v4/sns/group_get", {"From_Account": "u1"})
    assert server.sent[0].path == "/chat/v4/sns/group_get"


def test_one_string_where_a_list_of_ids_belongs_is_refused_before_sending() -> None:
    server = Scripted()
    with (
        server.admin() as admin,
        pytest.raises(TypeError, match="to_accounts: expected a sequence"),
    ):
        admin.follow_add("u1", "u2")
    assert server.sent == []


def test_call_sends_any_body_and_returns_the_whole_answer() -> None:
    answer = ok(Anything=[1, 2], NextCursor="")
    server = Scripted(answer)
    with server.admin() as admin:
        assert admin.call("follow/follow_get", {"From_Account": "u1", "FollowType": 1}) == answer
        assert admin.call("sns/group_get") == answer
    assert server.sent[0].body == {"From_Account": "u1", "FollowType": 1}
    assert server.sent[1].body == {}, "a call without a body sends {} (Tencent wants a body)"


def test_call_retries_transport_failures_only_when_marked_read() -> None:
    server = Scripted(httpx.ReadTimeout("slow"), ok())
    with server.admin() as admin:
        admin.call("sns/friend_get", {"From_Account": "u1", "StartIndex": 0}, read=True)
    assert len(server.sent) == 2
    writer = Scripted(httpx.ReadTimeout("slow"), ok())
    with writer.admin() as admin, pytest.raises(TransportError):
        admin.call("sns/friend_add", {"From_Account": "u1"})
    assert len(writer.sent) == 1
