"""Before-callbacks over the user gateway: Sns.CallbackPrevFriendAdd and
Sns.CallbackPrevFriendResponse veto items, are never asked for REST calls, and a receiver that
fails lets the request go ahead or refuses it as callback_prev_on_failure says."""

from __future__ import annotations

from typing import Any

import orjson

from relchain.domain.apps import App
from tests.gateway.support import SdkSocket, Served
from tests.support import FrozenClock, RestClient
from tests.webhooks.receiver import Hit, Receiver, Reply

PREV_ADD = "Sns.CallbackPrevFriendAdd"
PREV_RESPONSE = "Sns.CallbackPrevFriendResponse"


def veto(**codes: int) -> Any:
    """An answerer vetoing the given accounts with their codes."""

    def answer(hit: Hit, n: int) -> Reply:
        items = [
            {"To_Account": account, "ResultCode": code, "ResultInfo": f"no {account}"}
            for account, code in codes.items()
        ]
        body = {"ActionStatus": "OK", "ErrorCode": 0, "ErrorInfo": "", "ResultItem": items}
        return Reply(text=orjson.dumps(body).decode())

    return answer


def item(to: str, **more: str) -> dict[str, str]:
    return {"To_Account": to, "AddSource": "AddSource_Type_Web", **more}


async def pending_to(rest: RestClient, user: str) -> set[str]:
    """The requesters of ``user``'s incoming friend requests (over a gateway-free read)."""
    async with rest.store.read() as tx:
        found = await tx.list_friend_requests(rest.app.sdkappid, user, incoming=True, limit=100)
    return {r.requester for r in found}


async def setup(rest: RestClient, receiver: Receiver, **settings: str) -> None:
    await rest.import_accounts("alice", "bob", "carol", "dave")
    await rest.set_setting("callback_url", receiver.url)
    for name, value in settings.items():
        await rest.set_setting(name, value)


async def test_prev_friend_add_vetoes_per_item_and_the_user_gets_the_code(
    served: Served, app: App, clock: FrozenClock, rest: RestClient, receiver: Receiver
) -> None:
    await setup(rest, receiver, callback_token="tok")
    receiver.answer = veto(bob=38001, dave=37999)  # 37999 is out of range: no veto
    async with SdkSocket.open(served, app, clock) as sock:
        await sock.login("alice")
        reply = await sock.request(
            "sns.friend_add",
            {
                "AddFriendItem": [
                    item("bob", Remark="r", GroupName="g", AddWording="hi"),
                    item("carol"),
                    item("dave"),
                ],
                "AddType": "Add_Type_Single",
            },
        )
    assert reply["ErrorCode"] == 0
    assert [(i["To_Account"], i["ResultCode"]) for i in reply["ResultItem"]] == [
        ("bob", 38001),
        ("carol", 30539),  # went ahead: a request to confirm
        ("dave", 30539),
    ]
    assert reply["ResultItem"][0]["ResultInfo"] == "no bob"
    assert reply["Fail_Account"] == ["bob", "carol", "dave"]
    assert await pending_to(rest, "bob") == set()  # vetoed: nothing written
    assert await pending_to(rest, "carol") == {"alice"}
    (hit,) = receiver.of(PREV_ADD)
    assert hit.body == {
        "CallbackCommand": PREV_ADD,
        "Requester_Account": "alice",
        "From_Account": "alice",
        "FriendItem": [
            {
                "To_Account": "bob",
                "Remark": "r",
                "GroupName": "g",
                "AddSource": "AddSource_Type_Web",
                "AddWording": "hi",
            },
            {
                "To_Account": "carol",
                "Remark": "",
                "GroupName": "",
                "AddSource": "AddSource_Type_Web",
                "AddWording": "",
            },
            {
                "To_Account": "dave",
                "Remark": "",
                "GroupName": "",
                "AddSource": "AddSource_Type_Web",
                "AddWording": "",
            },
        ],
        "AddType": "Add_Type_Single",
        "ForceAddFlags": 0,
        "EventTime": int(clock.now() * 1000),
    }
    assert [k for k, _ in hit.pairs] == [
        "SdkAppid",
        "CallbackCommand",
        "contenttype",
        "ClientIP",
        "OptPlatform",
        "Sign",
        "RequestTime",
    ]
    assert hit.query["SdkAppid"] == str(app.sdkappid)
    assert hit.query["ClientIP"] == "127.0.0.1"
    assert hit.query["OptPlatform"] == "Web"
    assert hit.query["RequestTime"] == str(int(clock.now()))


async def test_a_top_level_veto_code_refuses_every_item(
    served: Served, app: App, clock: FrozenClock, rest: RestClient, receiver: Receiver
) -> None:
    await setup(rest, receiver)
    receiver.answer = lambda hit, n: Reply(
        text='{"ActionStatus":"FAIL","ErrorCode":38500,"ErrorInfo":"closed for today"}'
    )
    async with SdkSocket.open(served, app, clock) as sock:
        await sock.login("alice")
        reply = await sock.request(
            "sns.friend_add", {"AddFriendItem": [item("bob"), item("carol")]}
        )
    assert [(i["ResultCode"], i["ResultInfo"]) for i in reply["ResultItem"]] == [
        (38500, "closed for today"),
        (38500, "closed for today"),
    ]
    assert await pending_to(rest, "bob") == await pending_to(rest, "carol") == set()


async def test_rest_friend_add_never_asks_the_before_callback(
    served: Served, rest: RestClient, receiver: Receiver
) -> None:
    await setup(rest, receiver)
    receiver.answer = veto(bob=38001)
    out = await rest.ok("sns/friend_add", {"From_Account": "alice", "AddFriendItem": [item("bob")]})
    assert out["ResultItem"][0]["ResultCode"] == 30539
    assert receiver.of(PREV_ADD) == []
    assert await pending_to(rest, "bob") == {"alice"}


async def test_a_command_turned_off_is_not_asked(
    served: Served, app: App, clock: FrozenClock, rest: RestClient, receiver: Receiver
) -> None:
    await setup(rest, receiver, callback_commands="Sns.CallbackFriendAdd")
    receiver.answer = veto(bob=38001)
    async with SdkSocket.open(served, app, clock) as sock:
        await sock.login("alice")
        reply = await sock.request("sns.friend_add", {"AddFriendItem": [item("bob")]})
    assert reply["ResultItem"][0]["ResultCode"] == 30539
    assert receiver.of(PREV_ADD) == []


async def test_timeout_lets_the_request_go_ahead_by_default(
    served: Served, app: App, clock: FrozenClock, rest: RestClient, receiver: Receiver
) -> None:
    await setup(rest, receiver, callback_timeout_ms="200")
    receiver.answer = lambda hit, n: Reply(delay=1.0, text='{"ErrorCode":38001}')
    async with SdkSocket.open(served, app, clock) as sock:
        await sock.login("alice")
        reply = await sock.request("sns.friend_add", {"AddFriendItem": [item("bob")]})
    assert reply["ResultItem"][0]["ResultCode"] == 30539
    assert await pending_to(rest, "bob") == {"alice"}


async def test_timeout_refuses_with_39000_when_the_policy_is_deny(
    served: Served, app: App, clock: FrozenClock, rest: RestClient, receiver: Receiver
) -> None:
    await setup(rest, receiver, callback_timeout_ms="200", callback_prev_on_failure="deny")
    receiver.answer = lambda hit, n: Reply(delay=1.0)
    async with SdkSocket.open(served, app, clock) as sock:
        await sock.login("alice")
        reply = await sock.request("sns.friend_add", {"AddFriendItem": [item("bob")]})
    (result,) = reply["ResultItem"]
    assert result["ResultCode"] == 39000
    assert "no answer within 200 ms" in result["ResultInfo"]
    assert reply["Fail_Account"] == ["bob"]
    assert await pending_to(rest, "bob") == set()


async def test_bad_answers_follow_the_policy_both_ways(
    served: Served, app: App, clock: FrozenClock, rest: RestClient, receiver: Receiver
) -> None:
    await setup(rest, receiver)
    answers = [Reply(status=500), Reply(text="not json"), Reply(text='{"ResultItem":{}}')]
    async with SdkSocket.open(served, app, clock) as sock:
        await sock.login("alice")
        for policy, expected in (("deny", 39000), ("allow", 30539)):
            await rest.set_setting("callback_prev_on_failure", policy)
            for bad in answers:
                receiver.answer = lambda hit, n, bad=bad: bad
                reply = await sock.request("sns.friend_add", {"AddFriendItem": [item("bob")]})
                assert reply["ResultItem"][0]["ResultCode"] == expected, (policy, bad, reply)
    assert await pending_to(rest, "bob") == {"alice"}


async def test_a_dead_receiver_follows_the_policy(
    served: Served, app: App, clock: FrozenClock, rest: RestClient, receiver: Receiver
) -> None:
    await setup(rest, receiver, callback_prev_on_failure="deny")
    await rest.set_setting("callback_url", "http://127.0.0.1:9/nothing-listens")
    async with SdkSocket.open(served, app, clock) as sock:
        await sock.login("alice")
        reply = await sock.request("sns.friend_add", {"AddFriendItem": [item("bob")]})
    assert reply["ResultItem"][0]["ResultCode"] == 39000


async def test_prev_friend_response_vetoes_an_answer_and_the_request_stays(
    served: Served, app: App, clock: FrozenClock, rest: RestClient, receiver: Receiver
) -> None:
    await setup(rest, receiver)
    for requester in ("alice", "carol"):
        await rest.ok("sns/friend_add", {"From_Account": requester, "AddFriendItem": [item("bob")]})
    receiver.answer = veto(alice=38002)
    async with SdkSocket.open(served, app, clock) as sock:
        await sock.login("bob")
        reply = await sock.request(
            "sns.friend_response",
            {
                "ResponseFriendItem": [
                    {"To_Account": "alice", "ResponseAction": "Response_Action_AgreeAndAdd"},
                    {
                        "To_Account": "carol",
                        "ResponseAction": "Response_Action_Agree",
                        "Remark": "c",
                        "TagName": "mates",
                    },
                ]
            },
        )
    assert [(i["To_Account"], i["ResultCode"]) for i in reply["ResultItem"]] == [
        ("alice", 38002),
        ("carol", 0),
    ]
    assert reply["Fail_Account"] == ["alice"]
    assert await pending_to(rest, "bob") == {"alice"}  # the vetoed request is still there
    (hit,) = receiver.of(PREV_RESPONSE)
    assert hit.body == {
        "CallbackCommand": PREV_RESPONSE,
        "Requester_Account": "bob",
        "From_Account": "bob",
        "ResponseFriendItem": [
            {
                "To_Account": "alice",
                "Remark": "",
                "TagName": "",
                "ResponseAction": "Response_Action_AgreeAndAdd",
            },
            {
                "To_Account": "carol",
                "Remark": "c",
                "TagName": "mates",
                "ResponseAction": "Response_Action_Agree",
            },
        ],
        "EventTime": int(clock.now() * 1000),
    }
