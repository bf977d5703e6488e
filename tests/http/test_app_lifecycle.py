"""Deleting an app, rotating its key, its admins and its custom tags, seen over HTTP on every
backend: the deleted app's data is gone from every table and other apps keep theirs."""

from __future__ import annotations

from dataclasses import replace

from relchain.clock import SystemClock
from relchain.domain.apps import App
from relchain.domain.errors import Code
from relchain.http.routes import BY_PATH
from relchain.ports import Store
from relchain.services.apps import AppService
from tests.conftest import UNLIMITED
from tests.support import SRC, FrozenClock, RestClient, running_client

OTHER = App(sdkappid=1400000002, key="other-key", admins=("boss",), settings=UNLIMITED)


async def fill(rest: RestClient) -> None:
    """Accounts, a profile, follows, friends (one pending request), a blocklist and a list."""
    await rest.import_accounts("a", "b", "c")
    await rest.ok(
        "profile/portrait_set",
        {"From_Account": "a", "ProfileItem": [{"Tag": "Tag_Profile_IM_Nick", "Value": "A"}]},
    )
    await rest.ok("follow/follow_add", {"From_Account": "a", "FollowItem": [{"To_Account": "b"}]})
    await rest.ok("follow/follow_add", {"From_Account": "b", "FollowItem": [{"To_Account": "a"}]})
    await rest.ok(
        "sns/friend_add",
        {
            "From_Account": "a",
            "AddFriendItem": [{"To_Account": "b", "AddSource": SRC, "GroupName": "g"}],
            "ForceAddFlags": 1,
        },
    )
    await rest.ok(
        "sns/friend_add",
        {"From_Account": "c", "AddFriendItem": [{"To_Account": "a", "AddSource": SRC}]},
    )  # a NeedConfirm: a pending request
    await rest.ok("sns/black_list_add", {"From_Account": "c", "To_Account": ["b"]})


async def seen(rest: RestClient) -> dict[str, object]:
    check = await rest.ok("im_open_login_svc/account_check", {"CheckItem": [{"UserID": "a"}]})
    follows = await rest.call("follow/follow_get_info", {"From_Account": "a", "To_Account": ["a"]})
    friends = await rest.call("sns/friend_get", {"From_Account": "a", "StartIndex": 0})
    blocks = await rest.call(
        "sns/black_list_get",
        {"From_Account": "c", "StartIndex": 0, "MaxLimited": 10, "LastSequence": 0},
    )
    info = follows.get("FollowInfo") or [{}]
    return {
        "account": check["ResultItem"][0]["AccountStatus"],
        "follow": (follows["ErrorCode"], info[0].get("FollowerCount")),
        "friends": friends.get("FriendNum"),
        "blocks": len(blocks.get("BlackListItem", [])),
    }


async def test_deleting_an_app_removes_all_its_data_and_only_its(
    rest: RestClient, store: Store, clock: FrozenClock
) -> None:
    async with store.write() as tx:
        await tx.create_app(OTHER, int(clock.now()))
    await fill(rest)
    async with running_client(store, clock, OTHER) as other:
        await fill(other)
        before_other = await seen(other)
        service = AppService(store, SystemClock())
        deleted = await service.delete(rest.app.sdkappid)
        assert deleted["apps"] == 1
        assert deleted["accounts"] == 3 and deleted["friends"] == 2
        assert all(count >= 0 for count in deleted.values())
        gone = await rest.call("im_open_login_svc/account_check", {"CheckItem": [{"UserID": "a"}]})
        assert gone["ErrorCode"] == Code.SDKAPPID_INVALID
        async with store.write() as tx:  # the same SDKAppID again: an empty app
            await tx.create_app(rest.app, int(clock.now()))
        assert await seen(rest) == {
            "account": "NotImported",
            "follow": (Code.SNS_ACCOUNT_NOT_FOUND, None),  # From_Account a does not exist
            "friends": None,
            "blocks": 0,
        }
        assert before_other == {
            "account": "Imported",
            "follow": (0, 1),
            "friends": 1,
            "blocks": 1,
        }
        assert await seen(other) == before_other  # the other app is untouched


async def test_a_rotated_key_refuses_old_usersigs_and_takes_new_ones(
    rest: RestClient, store: Store
) -> None:
    old = rest.query()
    service = AppService(store, SystemClock())
    rotated = await service.rotate_key(rest.app.sdkappid)
    stale = await rest.http.post(
        "/v4/im_open_login_svc/account_check", params=old, content=b'{"CheckItem":[]}'
    )
    assert stale.json()["ErrorCode"] == Code.SIG_MISMATCH  # also when it was verified before
    rest.app = replace(rest.app, key=rotated.key)
    assert (await rest.call("im_open_login_svc/account_check", {"CheckItem": [{"UserID": "x"}]}))[
        "ErrorCode"
    ] == 0


async def test_a_removed_admin_can_no_longer_call(rest: RestClient, store: Store) -> None:
    service = AppService(store, SystemClock())
    await service.add_admin(rest.app.sdkappid, "ops")
    assert (await rest.call("sns/friend_check", {}, identifier="ops"))["ErrorCode"] == 30001
    await service.remove_admin(rest.app.sdkappid, "ops")
    assert (await rest.call("sns/friend_check", {}, identifier="ops"))["ErrorCode"] == 30004


async def test_the_40009_hint_names_a_command_that_registers_the_tag(
    rest: RestClient, store: Store
) -> None:
    await rest.import_accounts("u")
    body = {"From_Account": "u", "ProfileItem": [{"Tag": "Tag_Profile_Custom_Level", "Value": 3}]}
    data = await rest.call("profile/portrait_set", body)
    assert data["ErrorCode"] == Code.PROFILE_TAG_NOT_FOUND
    hint = data["ErrorInfo"].split("(", 1)[1].rstrip(")")
    assert hint == "relchain app tag add SDKAPPID Tag_Profile_Custom_Level"
    words = hint.split()
    assert words[:4] == ["relchain", "app", "tag", "add"]
    service = AppService(store, SystemClock())
    await service.add_tag(rest.app.sdkappid, "profile", words[5])  # what the command does
    await rest.ok("profile/portrait_set", body)
    await service.remove_tag(rest.app.sdkappid, "profile", "Level")
    assert (await rest.call("profile/portrait_set", body))["ErrorCode"] == 40009
    await service.set_setting(rest.app.sdkappid, "custom_profile_tags", "Level", BY_PATH)
    got = await rest.ok(
        "profile/portrait_get", {"To_Account": ["u"], "TagList": ["Tag_Profile_Custom_Level"]}
    )
    assert got["UserProfileItem"][0]["ProfileItem"] == [
        {"Tag": "Tag_Profile_Custom_Level", "Value": 3}
    ]  # the stored value came back with the tag
