"""After-callbacks delivered from the event log by the in-process dispatcher to a real
receiver: every command's body and query, retries with backoff (on a frozen clock the test
moves), order per account, dead after the window, retry, status, and the API never waiting."""

from __future__ import annotations

import asyncio
import hashlib
from typing import Any

import orjson
import pytest

from relchain.auth.usersig import generate_usersig
from relchain.domain.apps import App
from relchain.services.webhooks import WebhookService
from tests.support import FrozenClock, RestClient
from tests.webhooks.receiver import Hit, Receiver, Reply

ADD = "AddSource_Type_Web"


async def hooked(rest: RestClient, receiver: Receiver, **settings: str) -> None:
    await rest.set_setting("callback_url", receiver.url)
    for name, value in settings.items():
        await rest.set_setting(name, value)


def failing(times: int, reply: Reply | None = None) -> Any:
    def answer(hit: Hit, n: int) -> Reply:
        return (reply or Reply(status=500, text="down")) if n < times else Reply()

    return answer


async def status(rest: RestClient) -> dict[str, Any]:
    found = await WebhookService(rest.store, rest.clock).status(rest.app.sdkappid)
    return found.to_json()


async def tried(rest: RestClient, attempts: int) -> dict[str, Any]:
    """Once the newest failure's try number ``attempts`` is recorded (the clock may move)."""
    for _ in range(200):
        failures = (await status(rest))["failures"]
        if failures and failures[0]["attempts"] >= attempts:
            return dict(failures[0])
        await asyncio.sleep(0.05)
    raise AssertionError(f"try {attempts} not recorded: {await status(rest)}")


async def test_every_after_callback_is_delivered_with_its_documented_body(
    rest: RestClient, receiver: Receiver, clock: FrozenClock
) -> None:
    await rest.import_accounts("a", "b", "c")
    await hooked(rest, receiver, callback_token="xxxxyyyy")
    any_ = {"Tag": "Tag_Profile_IM_AllowType", "Value": "AllowType_Type_AllowAny"}
    await rest.ok("profile/portrait_set", {"From_Account": "b", "ProfileItem": [any_]})
    await rest.ok("follow/follow_add", {"From_Account": "a", "FollowItem": [{"To_Account": "b"}]})
    await rest.ok("follow/follow_delete", {"From_Account": "a", "To_Account": ["b"]})
    await rest.ok(
        "sns/friend_add",
        {"From_Account": "a", "AddFriendItem": [{"To_Account": "b", "AddSource": ADD}]},
    )
    await rest.ok(
        "sns/friend_import",
        {"From_Account": "a", "AddFriendItem": [{"To_Account": "c", "AddSource": ADD}]},
    )
    await rest.ok(
        "sns/friend_delete",
        {"From_Account": "a", "To_Account": ["b"], "DeleteType": "Delete_Type_Single"},
    )
    await rest.ok("sns/black_list_add", {"From_Account": "a", "To_Account": ["c"]})
    await rest.ok("sns/black_list_delete", {"From_Account": "a", "To_Account": ["c"]})
    await receiver.wait_for(8)
    await asyncio.sleep(0.3)
    ms = int(clock.now() * 1000)
    by_command: dict[str, Hit] = {}
    for hit in receiver.hits:
        by_command.setdefault(hit.command, hit)
    assert [h.command for h in receiver.hits] == [
        "Profile.CallbackPortraitSet",
        "Follow.CallbackAfterFollowAdd",
        "Follow.CallbackAfterFollowDelete",
        "Sns.CallbackFriendAdd",
        "Sns.CallbackFriendDelete",  # friend_import sent nothing
        "Sns.CallbackFriendDelete",  # blocking c ended the imported friendship
        "Sns.CallbackBlackListAdd",
        "Sns.CallbackBlackListDelete",
    ], receiver.hits
    assert by_command["Profile.CallbackPortraitSet"].body == {
        "CallbackCommand": "Profile.CallbackPortraitSet",
        "Operator_Account": "admin",
        "From_Account": "b",
        "ProfileItem": [any_],
        "EventTime": ms,
    }
    assert by_command["Follow.CallbackAfterFollowAdd"].body == {
        "CallbackCommand": "Follow.CallbackAfterFollowAdd",
        "From_Account": "a",
        "FollowList": [{"To_Account": "b"}],
        "EventTime": ms,
    }
    assert by_command["Follow.CallbackAfterFollowDelete"].body == {
        "CallbackCommand": "Follow.CallbackAfterFollowDelete",
        "From_Account": "a",
        "To_Account": ["b"],
        "EventTime": ms,
    }
    assert by_command["Sns.CallbackFriendAdd"].body == {
        "CallbackCommand": "Sns.CallbackFriendAdd",
        "PairList": [
            {"From_Account": "a", "To_Account": "b", "Initiator_Account": "a"},
            {"From_Account": "b", "To_Account": "a", "Initiator_Account": "a"},
        ],
        "ClientCmd": "friend_add",
        "Admin_Account": "admin",
        "ForceFlag": 0,
        "EventTime": ms,
    }
    assert by_command["Sns.CallbackFriendDelete"].body == {
        "CallbackCommand": "Sns.CallbackFriendDelete",
        "PairList": [{"From_Account": "a", "To_Account": "b"}],
        "EventTime": ms,
    }
    for command in ("Sns.CallbackBlackListAdd", "Sns.CallbackBlackListDelete"):
        assert by_command[command].body == {
            "CallbackCommand": command,
            "PairList": [{"From_Account": "a", "To_Account": "c"}],
            "EventTime": ms,
        }
    ids = [int(h.query["EventId"]) for h in receiver.hits]
    assert ids == sorted(ids) and len(set(ids)) == 8
    for hit in receiver.hits:
        assert [k for k, _ in hit.pairs] == [
            "SdkAppid",
            "CallbackCommand",
            "contenttype",
            "ClientIP",
            "OptPlatform",
            "Sign",
            "RequestTime",
            "EventId",
        ]
        q = hit.query
        assert q["SdkAppid"] == str(rest.app.sdkappid) and q["contenttype"] == "json"
        assert q["OptPlatform"] == "RESTAPI" and q["ClientIP"] == "127.0.0.1"
        assert q["RequestTime"] == str(int(clock.now()))
        assert q["Sign"] == hashlib.sha256(f"xxxxyyyy{q['RequestTime']}".encode()).hexdigest()
    counts = (await status(rest))["commands"]
    assert {c: n["delivered"] for c, n in counts.items()} == {
        "Follow.CallbackAfterFollowAdd": 1,
        "Follow.CallbackAfterFollowDelete": 1,
        "Sns.CallbackFriendAdd": 1,
        "Sns.CallbackFriendDelete": 2,
        "Sns.CallbackBlackListAdd": 1,
        "Sns.CallbackBlackListDelete": 1,
        "Profile.CallbackPortraitSet": 1,
    }


async def test_only_the_commands_turned_on_are_queued(rest: RestClient, receiver: Receiver) -> None:
    await rest.import_accounts("a", "b")
    await hooked(rest, receiver, callback_commands="Follow.CallbackAfterFollowDelete")
    await rest.ok("follow/follow_add", {"From_Account": "a", "FollowItem": [{"To_Account": "b"}]})
    await rest.ok("follow/follow_delete", {"From_Account": "a", "To_Account": ["b"]})
    await receiver.wait_for(1)
    await asyncio.sleep(0.3)
    assert [h.command for h in receiver.hits] == ["Follow.CallbackAfterFollowDelete"]
    assert "Sign" not in receiver.hits[0].query  # no token: no Sign
    assert list((await status(rest))["commands"]) == ["Follow.CallbackAfterFollowDelete"]


async def test_events_before_the_url_was_set_are_not_sent(
    rest: RestClient, receiver: Receiver
) -> None:
    await rest.import_accounts("a", "b", "c")
    await rest.ok("follow/follow_add", {"From_Account": "a", "FollowItem": [{"To_Account": "b"}]})
    await hooked(rest, receiver)
    await rest.ok("follow/follow_add", {"From_Account": "a", "FollowItem": [{"To_Account": "c"}]})
    await receiver.wait_for(1)
    await asyncio.sleep(0.3)
    assert [h.body["FollowList"] for h in receiver.hits] == [[{"To_Account": "c"}]]


async def test_a_receiver_that_fails_twice_gets_it_the_third_time_with_backoff(
    rest: RestClient, receiver: Receiver, clock: FrozenClock
) -> None:
    await rest.import_accounts("a", "b")
    await hooked(rest, receiver)
    receiver.answer = failing(2)
    await rest.ok("follow/follow_add", {"From_Account": "a", "FollowItem": [{"To_Account": "b"}]})
    failure = await tried(rest, 1)
    await asyncio.sleep(0.3)
    assert len(receiver.hits) == 1  # not before its backoff (1 s on the clock, with jitter)
    assert failure["state"] == "failed" and failure["last_answer"] == "HTTP 500: down"
    # equal jitter: half the backoff and a random share of the other half
    assert 500 <= failure["next_try_ms"] - int(clock.now() * 1000) < 1000
    clock.advance(1)
    await tried(rest, 2)
    clock.advance(0.75)
    await asyncio.sleep(0.3)
    assert len(receiver.hits) == 2  # the second backoff is 2 s: at least 1 s with its jitter
    clock.advance(1.25)
    await receiver.wait_for(3)
    await asyncio.sleep(0.2)
    assert len({h.query["EventId"] for h in receiver.hits}) == 1  # the same delivery, 3 times
    counts = (await status(rest))["commands"]["Follow.CallbackAfterFollowAdd"]
    assert counts == {"pending": 0, "failed": 0, "delivered": 1, "dead": 0}


@pytest.mark.parametrize(
    ("reply", "kept"),
    [
        (Reply(text="OK"), "answer is not JSON: OK"),
        (Reply(text="[0]"), "answer is not a JSON object: [0]"),
        (Reply(status=404, text=""), "HTTP 404"),
        (Reply(status=302, text=""), "HTTP 302"),
    ],
)
async def test_bad_answers_are_failures_and_the_answer_is_kept(
    rest: RestClient, receiver: Receiver, reply: Reply, kept: str
) -> None:
    await rest.import_accounts("a", "b")
    await hooked(rest, receiver)
    receiver.answer = failing(1, reply)
    await rest.ok("follow/follow_add", {"From_Account": "a", "FollowItem": [{"To_Account": "b"}]})
    assert (await tried(rest, 1))["last_answer"] == kept


async def test_an_error_code_in_a_json_answer_is_still_delivered(
    rest: RestClient, receiver: Receiver
) -> None:
    await rest.import_accounts("a", "b")
    await hooked(rest, receiver)
    receiver.answer = lambda hit, n: Reply(text='{"ActionStatus":"FAIL","ErrorCode":1}')
    await rest.ok("follow/follow_add", {"From_Account": "a", "FollowItem": [{"To_Account": "b"}]})
    await receiver.wait_for(1)
    await asyncio.sleep(0.3)
    assert (await status(rest))["commands"]["Follow.CallbackAfterFollowAdd"]["delivered"] == 1


async def test_one_account_in_event_order_even_when_its_first_delivery_fails(
    rest: RestClient, receiver: Receiver, clock: FrozenClock
) -> None:
    await rest.import_accounts("a", "b", "c", "d", "x")
    await hooked(rest, receiver)
    receiver.answer = failing(1)
    for other in ("b", "c", "d"):
        await rest.ok(
            "follow/follow_add", {"From_Account": "a", "FollowItem": [{"To_Account": other}]}
        )
    await rest.ok("follow/follow_add", {"From_Account": "x", "FollowItem": [{"To_Account": "b"}]})
    await receiver.wait_for(2)
    await tried(rest, 1)
    await asyncio.sleep(0.3)
    # a's first failed: a's later ones wait for it; x's went on
    assert [
        (h.body["From_Account"], h.body["FollowList"][0]["To_Account"]) for h in receiver.hits
    ] == [
        ("a", "b"),
        ("x", "b"),
    ]
    clock.advance(1)
    await receiver.wait_for(5)
    of_a = [
        h.body["FollowList"][0]["To_Account"]
        for h in receiver.hits
        if h.body["From_Account"] == "a"
    ]
    assert of_a == ["b", "b", "c", "d"]


async def test_dead_after_the_retry_window_then_retried_on_request(
    rest: RestClient, receiver: Receiver, clock: FrozenClock
) -> None:
    await rest.import_accounts("a", "b")
    await hooked(rest, receiver, callback_retry_seconds="2")
    receiver.answer = failing(1000)
    await rest.ok("follow/follow_add", {"From_Account": "a", "FollowItem": [{"To_Account": "b"}]})
    await tried(rest, 1)
    clock.advance(1)
    await tried(rest, 2)  # the next backoff (2 s) would pass the 2 s window: dead
    found = await status(rest)
    assert found["commands"]["Follow.CallbackAfterFollowAdd"]["dead"] == 1
    assert found["failures"][0]["state"] == "dead" and found["failures"][0]["attempts"] == 2
    clock.advance(100)
    await asyncio.sleep(0.3)
    assert len(receiver.hits) == 2  # dead: never tried again by itself
    receiver.answer = lambda hit, n: Reply()
    service = WebhookService(rest.store, rest.clock)
    assert await service.retry(rest.app.sdkappid) == 0  # dead ones need --dead
    assert await service.retry(rest.app.sdkappid, dead=True) == 1
    await receiver.wait_for(3)
    await asyncio.sleep(0.2)
    assert (await status(rest))["commands"]["Follow.CallbackAfterFollowAdd"]["delivered"] == 1


async def test_a_receiver_that_hangs_never_holds_the_api(
    rest: RestClient, receiver: Receiver
) -> None:
    await rest.import_accounts("a", "b", "c")
    await hooked(rest, receiver, callback_timeout_ms="30000")
    release = asyncio.Event()

    async def hang(hit: Hit, n: int) -> Reply:
        await release.wait()
        return Reply()

    receiver.answer_async = hang
    await rest.ok("follow/follow_add", {"From_Account": "a", "FollowItem": [{"To_Account": "b"}]})
    await receiver.wait_for(1)  # the receiver holds this callback unanswered ...
    for other in ("b", "c"):  # ... and the API answers meanwhile
        await rest.ok(
            "follow/follow_add", {"From_Account": other, "FollowItem": [{"To_Account": "a"}]}
        )
        await rest.ok("follow/follow_delete", {"From_Account": other, "To_Account": ["a"]})
    assert not release.is_set()
    release.set()
    await receiver.wait_for(5)


async def test_admin_endpoints_status_and_retry(
    rest: RestClient, receiver: Receiver, app: App, clock: FrozenClock
) -> None:
    await rest.import_accounts("a", "b")
    await hooked(rest, receiver)
    receiver.answer = failing(1)
    await rest.ok("follow/follow_add", {"From_Account": "a", "FollowItem": [{"To_Account": "b"}]})
    await tried(rest, 1)
    got = (await rest.http.get("/admin/webhooks/status", params=rest.query())).json()
    assert got["ActionStatus"] == "OK" and got["ErrorCode"] == 0
    assert got["callback_url"] == receiver.url
    assert got["commands"]["Follow.CallbackAfterFollowAdd"]["failed"] == 1
    assert got["failures"][0]["last_answer"] == "HTTP 500: down"
    retried = (await rest.http.post("/admin/webhooks/retry", params=rest.query())).json()
    assert retried == {**retried, "ErrorCode": 0, "retried": 1}
    await receiver.wait_for(2)  # sent again without moving the clock
    user_sig = generate_usersig(app.key, app.sdkappid, "a", 3600, int(clock.now()))
    refused = (
        await rest.http.get(
            "/admin/webhooks/status",
            params={"sdkappid": app.sdkappid, "identifier": "a", "usersig": user_sig},
        )
    ).json()
    assert refused["ErrorCode"] == 70403 and refused["ErrorInfo"].startswith("identifier:")
    bad = (await rest.http.get("/admin/webhooks/status", params=rest.query(usersig="x"))).json()
    assert bad["ErrorCode"] in (70001, 70003)
    wrong = (
        await rest.http.post("/admin/webhooks/retry", params={**rest.query(), "dead": "yes"})
    ).json()
    assert wrong["ErrorCode"] == 60002 and wrong["ErrorInfo"].startswith("dead:")
    assert orjson.loads(orjson.dumps(got))  # JSON all the way
