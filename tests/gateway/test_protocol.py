"""The gateway's protocol over a real WebSocket: login and its codes, the session token, frames
of both kinds, malformed frames, limits and idle sockets (exact ErrorCodes)."""

from __future__ import annotations

import asyncio

import orjson
import pytest
from websockets.exceptions import ConnectionClosed

from relchain.config import Config
from relchain.domain.apps import App
from tests.gateway.support import SdkSocket, Served
from tests.support import FrozenClock, RestClient


async def test_login_answers_what_the_sdk_needs(
    served: Served, app: App, clock: FrozenClock, rest: RestClient
) -> None:
    await rest.import_accounts("alice")
    async with SdkSocket.open(served, app, clock) as sock:
        body = await sock.login("alice")
    assert body["ErrorCode"] == 0 and body["ActionStatus"] == "OK", body
    assert len(body["A2Key"]) >= 32
    assert body["TinyId"].isdigit()
    assert body["TimeStamp"] == int(clock.now())
    assert body["PurchaseBits"] == "1" * 64
    assert body["HelloInterval"] > 0 and isinstance(body["InstId"], int)


@pytest.mark.parametrize("binary", [True, False])
async def test_frames_are_answered_in_the_kind_they_came(
    served: Served, app: App, clock: FrozenClock, rest: RestClient, binary: bool
) -> None:
    """/binfo speaks binary frames, /info text frames (SdkSocket.receive checks the kind)."""
    await rest.import_accounts("alice")
    async with SdkSocket.open(served, app, clock, binary=binary) as sock:
        assert (await sock.login("alice"))["ErrorCode"] == 0
        assert (await sock.request("heartbeat.alive"))["ErrorCode"] == 0


async def test_login_checks_the_usersig_like_rest(
    served: Served, app: App, clock: FrozenClock, rest: RestClient
) -> None:
    await rest.import_accounts("alice", "bob")
    async with SdkSocket.open(served, app, clock) as sock:
        assert (await sock.login("alice", usersig=""))["ErrorCode"] == 70002
        assert (await sock.login("alice", usersig="nonsense"))["ErrorCode"] == 70003
        assert (await sock.login("alice", usersig=sock.usersig("bob")))["ErrorCode"] == 70013
        expired = sock.usersig("alice", expire=10)
        clock.advance(11)
        assert (await sock.login("alice", usersig=expired))["ErrorCode"] == 70001
    async with SdkSocket.open(served, app, clock) as sock:
        assert (
            await sock.request(
                "im_open_status.wslogin", sdkappid="1400999999", identifier="alice", usersig="x"
            )
        )["ErrorCode"] == 60006
        assert (
            await sock.request(
                "im_open_status.wslogin", sdkappid="", identifier="alice", usersig="x"
            )
        )["ErrorCode"] == 60012


async def test_login_needs_an_existing_account(
    served: Served, app: App, clock: FrozenClock
) -> None:
    async with SdkSocket.open(served, app, clock) as sock:
        body = await sock.login("ghost")
    assert body["ErrorCode"] == 70107 and "ghost" in body["ErrorInfo"], body


async def test_five_failed_logins_close_the_socket(
    served: Served, app: App, clock: FrozenClock
) -> None:
    async with SdkSocket.open(served, app, clock) as sock:
        for _ in range(5):
            assert (await sock.login("ghost"))["ErrorCode"] == 70107
        with pytest.raises(ConnectionClosed) as closed:
            await sock.receive()
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 1008


async def test_commands_need_this_connections_session_token(
    served: Served, app: App, clock: FrozenClock, rest: RestClient
) -> None:
    await rest.import_accounts("alice", "bob")
    body = {"To_Account": ["bob"]}
    async with (
        SdkSocket.open(served, app, clock) as first,
        SdkSocket.open(served, app, clock) as second,
    ):
        assert (await first.request("follow.follow_check", body))["ErrorCode"] == 70003
        await first.login("alice")
        assert (await first.request("follow.follow_check", body))["ErrorCode"] == 0
        # alice's token on another socket, and a made-up token, are refused
        stolen = await second.request("follow.follow_check", body, a2=first.a2)
        assert stolen["ErrorCode"] == 70003, stolen
        await second.login("alice")
        made_up = await second.request("follow.follow_check", body, a2="00" * 24)
        assert made_up["ErrorCode"] == 70003, made_up
        assert (await second.request("follow.follow_check", body))["ErrorCode"] == 0


async def test_an_expired_usersig_ends_the_session_with_70001(
    served: Served, app: App, clock: FrozenClock, rest: RestClient
) -> None:
    await rest.import_accounts("alice")
    async with SdkSocket.open(served, app, clock) as sock:
        await sock.login("alice", usersig=sock.usersig("alice", expire=60))
        clock.advance(61)
        assert (await sock.request("heartbeat.alive"))["ErrorCode"] == 70001
        gone = await sock.request("follow.follow_check", {"To_Account": ["alice"]})
        assert gone["ErrorCode"] == 70003, gone


async def test_from_account_is_the_logged_in_user(
    served: Served, app: App, clock: FrozenClock, rest: RestClient
) -> None:
    await rest.import_accounts("alice", "bob", "carol")
    async with SdkSocket.open(served, app, clock) as sock:
        await sock.login("alice")
        added = await sock.request("follow.follow_add", {"FollowItem": [{"To_Account": "bob"}]})
        assert added["ResultItem"] == [{"To_Account": "bob", "ResultCode": 0, "ResultInfo": ""}]
        other = await sock.request(
            "follow.follow_add", {"From_Account": "carol", "FollowItem": [{"To_Account": "bob"}]}
        )
        assert other["ErrorCode"] == 30004 and other["ErrorInfo"].startswith("From_Account:")
        profile = await sock.request(
            "profile.portrait_set",
            {"From_Account": "bob", "ProfileItem": [{"Tag": "Tag_Profile_IM_Nick", "Value": "x"}]},
        )
        assert profile["ErrorCode"] == 40004, profile
    check = await rest.ok("follow/follow_check", {"From_Account": "carol", "To_Account": ["bob"]})
    assert check["ResultItem"][0]["FollowType"] == 0  # carol follows nobody
    check = await rest.ok("follow/follow_check", {"From_Account": "alice", "To_Account": ["bob"]})
    assert check["ResultItem"][0]["FollowType"] == 2


async def test_unknown_servcmd_gets_60009_and_the_socket_stays(
    served: Served, app: App, clock: FrozenClock, rest: RestClient
) -> None:
    await rest.import_accounts("alice")
    async with SdkSocket.open(served, app, clock) as sock:
        await sock.login("alice")
        body = await sock.request("openim.sendmsg", {"To_Account": "bob"})
        assert body["ErrorCode"] == 60009 and "openim.sendmsg" in body["ErrorInfo"], body
        assert (await sock.request("heartbeat.alive", unknown_head_key=1))["ErrorCode"] == 0


async def test_start_up_commands_get_minimal_answers(
    served: Served, app: App, clock: FrozenClock, rest: RestClient
) -> None:
    await rest.import_accounts("alice")
    async with SdkSocket.open(served, app, clock) as sock:
        await sock.login("alice")
        getmsg = await sock.request("openim.getmsg", {"Cookie": "", "SyncFlag": 0})
        assert getmsg["SyncFlag"] == 2 and getmsg["MsgList"] == [] and getmsg["ErrorCode"] == 0
        bits = await sock.request("im_sdk_config_mgr.fetch_imsdk_purchase_bitsv2", {})
        assert bits["str_purchase_bits"] == "1" * 64
        page = await sock.request("recentcontact.page_get", {})
        assert page["CompleteFlag"] == 1 and page["ContactItem"] == []
        for servcmd in (
            "im_sdk_config_mgr.fetch_config",
            "recentcontact.get_contact_group",
            "group_open_http_svc.get_joined_group_list",
            "million_group_open_http_svc.get_joined_group_list",
            "imopenstat.tim_web_report_v2",
            "openim.authkey",
            "openim.get_c2c_peer_mute_notifications",
        ):
            assert (await sock.request(servcmd, {}))["ErrorCode"] == 0, servcmd


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        (b"not json", 60003),
        (b"[1, 2]", 60003),
        (b'{"body": {}}', 60002),
        (b'{"head": {"seq": 1}, "body": {}}', 60002),
        (b'{"head": {"servcmd": "heartbeat.alive", "seq": 1}, "body": [1]}', 60003),
        (b"[" * 1500 + b"]" * 1500, 60003),  # deeper than orjson parses,
    ],
)
async def test_malformed_frames_get_an_error_reply(
    served: Served, app: App, clock: FrozenClock, raw: bytes, code: int
) -> None:
    async with SdkSocket.open(served, app, clock) as sock:
        await sock.send_raw(raw)
        frame = await sock.receive()
        assert frame["body"]["ErrorCode"] == code, frame
        assert frame["body"]["ActionStatus"] == "FAIL" and frame["body"]["ErrorInfo"]
        assert (await sock.request("heartbeat.alive"))["ErrorCode"] == 0  # still up


async def test_nul_in_a_body_field_is_refused_naming_it(
    served: Served, app: App, clock: FrozenClock, rest: RestClient
) -> None:
    await rest.import_accounts("alice")
    async with SdkSocket.open(served, app, clock) as sock:
        await sock.login("alice")
        body = await sock.request("follow.follow_check", {"To_Account": ["bo\x00b"]})
    assert body["ErrorCode"] == 30001 and body["ErrorInfo"].startswith("To_Account[0]:"), body


@pytest.fixture
def gateway_config() -> Config:
    return Config(
        database="unused://",
        app_cache_seconds=0,
        gateway_idle_seconds=0.5,
        gateway_max_frame_bytes=4096,
    )


async def test_a_frame_over_the_limit_closes_with_1009(
    served: Served, app: App, clock: FrozenClock
) -> None:
    async with SdkSocket.open(served, app, clock) as sock:
        await sock.send_raw(
            orjson.dumps({"head": {"servcmd": "a.b", "seq": 1}, "body": {"x": "y" * 5000}})
        )
        with pytest.raises(ConnectionClosed) as closed:
            await sock.receive()
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 1009
    assert "4096" in closed.value.rcvd.reason


async def test_an_idle_socket_is_closed_and_heartbeats_keep_it(
    served: Served, app: App, clock: FrozenClock
) -> None:
    async with (
        SdkSocket.open(served, app, clock) as busy,
        SdkSocket.open(served, app, clock) as idle,
    ):
        for _ in range(6):  # 1.2 s of heartbeats every 0.2 s, past the 0.5 s idle limit
            assert (await busy.request("heartbeat.alive"))["ErrorCode"] == 0
            await asyncio.sleep(0.2)
        with pytest.raises(ConnectionClosed) as closed:
            await idle.receive(wait=2)
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 1001
    assert "idle" in closed.value.rcvd.reason


async def test_the_per_user_rate_limit_answers_60007(
    served: Served, app: App, clock: FrozenClock, rest: RestClient
) -> None:
    await rest.import_accounts("alice", "bob")
    await rest.set_setting("gateway_rate_limit", "3")
    body = {"To_Account": ["bob"]}
    async with SdkSocket.open(served, app, clock) as one, SdkSocket.open(served, app, clock) as two:
        await one.login("alice")
        await two.login("alice")
        assert (await one.request("follow.follow_check", body))["ErrorCode"] == 0
        assert (await two.request("follow.follow_check", body))["ErrorCode"] == 0
        assert (await one.request("heartbeat.alive"))["ErrorCode"] == 0  # not counted
        assert (await two.request("follow.follow_check", body))["ErrorCode"] == 0
        over = await one.request("follow.follow_check", body)
        assert over["ErrorCode"] == 60007 and "gateway_rate_limit" in over["ErrorInfo"], over
        clock.advance(1)
        assert (await one.request("follow.follow_check", body))["ErrorCode"] == 0


async def test_a_login_again_with_the_session_token_resumes_on_a_new_socket(
    served: Served, app: App, clock: FrozenClock, rest: RestClient
) -> None:
    """After a reconnect the SDK logs in with ``a2`` only (no UserSig): the session resumes
    until the UserSig it came from expires; a forged or foreign token is refused."""
    await rest.import_accounts("alice", "bob")
    async with SdkSocket.open(served, app, clock) as first:
        await first.login("alice", usersig=first.usersig("alice", expire=100))
        token = first.a2
    async with SdkSocket.open(served, app, clock) as second:
        resumed = await second.request("im_open_status.wslogin", {}, a2=token)
        assert resumed["ErrorCode"] == 0 and resumed["A2Key"] == token, resumed
        second.a2 = token
        assert (await second.request("follow.follow_check", {"To_Account": ["bob"]}))[
            "ErrorCode"
        ] == 0
    async with SdkSocket.open(served, app, clock) as third:
        name, expiry, nonce, mac = token.split(".")
        forged = f"{name}.{int(expiry) + 1000}.{nonce}.{mac}"
        assert (await third.request("im_open_status.wslogin", {}, a2=forged))["ErrorCode"] == 70003
        assert (await third.request("im_open_status.wslogin", {}, a2="x"))["ErrorCode"] == 70003
        clock.advance(101)
        assert (await third.request("im_open_status.wslogin", {}, a2=token))["ErrorCode"] == 70001


async def test_a_deleted_account_cannot_resume(
    served: Served, app: App, clock: FrozenClock, rest: RestClient
) -> None:
    await rest.import_accounts("alice")
    async with SdkSocket.open(served, app, clock) as first:
        await first.login("alice")
        token = first.a2
    await rest.ok("im_open_login_svc/account_delete", {"DeleteItem": [{"UserID": "alice"}]})
    async with SdkSocket.open(served, app, clock) as second:
        assert (await second.request("im_open_status.wslogin", {}, a2=token))["ErrorCode"] == 70107


async def test_a_user_may_not_force_a_friend_add_or_touch_the_admin_ban(
    served: Served, app: App, clock: FrozenClock, rest: RestClient
) -> None:
    await rest.import_accounts("alice", "bob")
    item = {"To_Account": "bob", "AddSource": "AddSource_Type_Web"}
    async with SdkSocket.open(served, app, clock) as sock:
        await sock.login("alice")
        forced = await sock.request("sns.friend_add", {"AddFriendItem": [item], "ForceAddFlags": 1})
        assert forced["ErrorCode"] == 30004 and forced["ErrorInfo"].startswith("ForceAddFlags:")
        normal = await sock.request("sns.friend_add", {"AddFriendItem": [item], "ForceAddFlags": 0})
        assert normal["ResultItem"][0]["ResultCode"] == 30539  # bob confirms: a request
        absent = await sock.request("sns.friend_add", {"AddFriendItem": [item]})
        assert absent["ResultItem"][0]["ResultCode"] == 30539, absent
        ban = await sock.request(
            "profile.portrait_set",
            {
                "ProfileItem": [
                    {"Tag": "Tag_Profile_IM_AdminForbidType", "Value": "AdminForbid_Type_None"}
                ]
            },
        )
        assert ban["ErrorCode"] == 40004 and ban["ErrorInfo"].startswith("ProfileItem[0].Tag:")


async def test_pendency_delete_withdraws_or_drops_requests(
    served: Served, app: App, clock: FrozenClock, rest: RestClient
) -> None:
    await rest.import_accounts("alice", "bob", "carol")
    for requester, target in (("alice", "bob"), ("carol", "alice")):
        await rest.ok(
            "sns/friend_add",
            {
                "From_Account": requester,
                "AddFriendItem": [{"To_Account": target, "AddSource": "AddSource_Type_Web"}],
            },
        )
    async with SdkSocket.open(served, app, clock) as sock:
        await sock.login("alice")
        listed = await sock.request("sns.pendency_get", {"PendencyType": "Pendency_Type_Both"})
        assert {(i["To_Account"], i["PendencyType"]) for i in listed["PendencyItem"]} == {
            ("bob", "Pendency_Type_SendOut"),
            ("carol", "Pendency_Type_ComeIn"),
        }
        withdrawn = await sock.request(
            "sns.pendency_delete",
            {"PendencyType": "Pendency_Type_SendOut", "To_Account": ["bob", "carol"]},
        )
        assert [(i["To_Account"], i["ResultCode"]) for i in withdrawn["ResultItem"]] == [
            ("bob", 0),
            ("carol", 30001),
        ]
        dropped = await sock.request(
            "sns.pendency_delete", {"PendencyType": "Pendency_Type_ComeIn", "To_Account": ["carol"]}
        )
        assert dropped["ResultItem"][0]["ResultCode"] == 0
        bad = await sock.request(
            "sns.pendency_delete", {"PendencyType": "Pendency_Type_Both", "To_Account": ["carol"]}
        )
        assert bad["ErrorCode"] == 30001 and bad["ErrorInfo"].startswith("PendencyType:")
        left = await sock.request("sns.pendency_get", {"PendencyType": "Pendency_Type_Both"})
        assert left["PendencyItem"] == []


async def test_group_update_renames_and_moves_members(
    served: Served, app: App, clock: FrozenClock, rest: RestClient
) -> None:
    await rest.import_accounts("alice", "bob", "carol", "dave")
    await rest.ok(
        "sns/friend_import",
        {
            "From_Account": "alice",
            "AddFriendItem": [
                {"To_Account": f, "AddSource": "AddSource_Type_Web"} for f in ("bob", "carol")
            ],
        },
    )
    await rest.ok(
        "sns/group_add",
        {"From_Account": "alice", "GroupName": ["work", "home"], "To_Account": ["bob"]},
    )
    async with SdkSocket.open(served, app, clock) as sock:
        await sock.login("alice")
        moved = await sock.request(
            "sns.group_update",
            {
                "GroupOldName": "work",
                "UpdateGroupItem": [
                    {"To_Account": "carol", "UpdateType": "Update_Type_Add"},
                    {"To_Account": "bob", "UpdateType": "Update_Type_Delete"},
                    {"To_Account": "dave", "UpdateType": "Update_Type_Add"},
                ],
            },
        )
        assert [
            (i["To_Account"], i["ResultCode"], i["UpdateType"]) for i in moved["ResultItem"]
        ] == [
            ("carol", 0, "Update_Type_Add"),
            ("bob", 0, "Update_Type_Delete"),
            ("dave", 32216, "Update_Type_Add"),
        ]
        assert moved["Fail_Account"] == ["dave"]
        renamed = await sock.request(
            "sns.group_update", {"GroupOldName": "work", "GroupNewName": "office"}
        )
        assert renamed["ErrorCode"] == 0, renamed
        clash = await sock.request(
            "sns.group_update", {"GroupOldName": "office", "GroupNewName": "home"}
        )
        assert clash["ErrorCode"] == 30001 and clash["ErrorInfo"].startswith("GroupNewName:")
        missing = await sock.request(
            "sns.group_update",
            {
                "GroupOldName": "nope",
                "UpdateGroupItem": [{"To_Account": "bob", "UpdateType": "Update_Type_Add"}],
            },
        )
        assert missing["ErrorCode"] == 30001 and missing["ErrorInfo"].startswith("GroupOldName:")
    lists = await rest.ok(
        "sns/group_get", {"From_Account": "alice", "NeedFriend": "Need_Friend_Type_Yes"}
    )
    assert [(g["GroupName"], g["To_Account"]) for g in lists["ResultItem"]] == [
        ("office", ["carol"]),
        ("home", ["bob"]),
    ]
    friends = await rest.ok(
        "sns/friend_get_list",
        {"From_Account": "alice", "To_Account": ["carol"], "TagList": ["Tag_SNS_IM_Group"]},
    )
    assert friends["InfoItem"][0]["SnsProfileItem"] == [
        {"Tag": "Tag_SNS_IM_Group", "Value": ["office"]}
    ]


async def test_pendency_report_marks_incoming_requests_read(
    served: Served, app: App, clock: FrozenClock, rest: RestClient
) -> None:
    await rest.import_accounts("alice", "bob", "carol")
    add = {"AddFriendItem": [{"To_Account": "alice", "AddSource": "AddSource_Type_Web"}]}
    await rest.ok("sns/friend_add", {"From_Account": "bob", **add})
    async with SdkSocket.open(served, app, clock) as sock:
        await sock.login("alice")
        both = {"PendencyType": "Pendency_Type_Both"}
        assert (await sock.request("sns.pendency_get", both))["UnreadPendencyCount"] == 1
        report = await sock.request("sns.pendency_report", {"LatestPendencyTimeStamp": 0})
        assert report["ErrorCode"] == 0
        assert (await sock.request("sns.pendency_get", both))["UnreadPendencyCount"] == 0
        clock.advance(5)
        await rest.ok("sns/friend_add", {"From_Account": "carol", **add})
        listed = await sock.request("sns.pendency_get", both)
        assert listed["UnreadPendencyCount"] == 1 and len(listed["PendencyItem"]) == 2
        older = await sock.request("sns.pendency_report", {"LatestPendencyTimeStamp": 1})
        assert older["ErrorCode"] == 0  # a mark never goes back
        assert (await sock.request("sns.pendency_get", both))["UnreadPendencyCount"] == 1
