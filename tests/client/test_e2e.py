"""End to end: the blocking ``Admin`` against a real ``relchain serve`` over a real socket,
every method once with its result checked."""

from __future__ import annotations

from pathlib import Path

import pytest

from relchain.client import (
    AddFriend,
    Admin,
    AllowType,
    BlockRelation,
    ConnectError,
    DeleteType,
    FollowType,
    FriendRelation,
    ImportFriend,
    NewAccount,
    NotFound,
    ProfileTag,
    Retry,
    SnsTag,
    UpdateFriend,
)
from tests.client.served import serve
from tests.processes import free_port

pytestmark = pytest.mark.e2e

SRC = "AddSource_Type_Test"


def test_every_method_of_the_blocking_client_against_a_real_server(tmp_path: Path) -> None:
    with serve(tmp_path) as server, Admin(server.url + "/v4", server.sdkappid, server.key) as admin:
        # accounts
        admin.account_import("ann", nick="Ann")
        assert admin.multiaccount_import([NewAccount("ben", nick="Ben"), "cat", "dan", "eve"]).ok
        assert [c.imported for c in admin.account_check(["ann", "zed"])] == [True, False]
        # profiles
        admin.portrait_set("cat", {ProfileTag.ALLOW_TYPE: AllowType.ALLOW_ANY})
        (ann,) = admin.portrait_get(["ann"], [ProfileTag.NICK])
        assert ann.tags == {"Tag_Profile_IM_Nick": "Ann"}
        # follows
        assert admin.follow_add("ann", ["ben", "cat", "dan"]).ok
        assert admin.follow_add("ben", ["ann"]).ok
        assert [c.follow_type for c in admin.follow_check("ann", ["ben", "cat", "eve"])] == [
            FollowType.MUTUAL,
            FollowType.FOLLOWING,
            FollowType.NONE,
        ]
        (counts,) = admin.follow_get_info("ann", ["ann"])
        assert (counts.followers, counts.following, counts.mutual) == (1, 3, 1)
        page = admin.follow_get("ann", FollowType.FOLLOWING, want_num=2)
        assert len(page.entries) == 2 and page.next_cursor
        assert sorted(e.account for e in admin.iter_following("ann", page_size=2)) == [
            "ben",
            "cat",
            "dan",
        ]
        assert [e.account for e in admin.iter_followers("ann")] == ["ben"]
        assert [e.account for e in admin.iter_mutual_followers("ann")] == ["ben"]
        assert admin.follow_delete("ann", ["dan"]).ok
        # friends
        added = admin.friend_add(
            "ann", [AddFriend("ben", SRC), AddFriend("cat", SRC, remark="C", group="Pals")]
        )
        assert [i.code for i in added] == [30539, 0]
        assert admin.friend_import("dan", [ImportFriend("ann", SRC, groups=["Old"])]).ok
        assert admin.friend_update("ann", [UpdateFriend("cat", remark="Cathy")]).ok
        checks = admin.friend_check("ann", ["cat", "dan", "ben"])
        assert [c.relation for c in checks] == [
            FriendRelation.BOTH_WAY,
            FriendRelation.B_WITH_A,
            FriendRelation.NO_RELATION,
        ]
        friends = admin.friend_get("ann")
        assert [(f.account, f.remark, f.groups) for f in friends.friends] == [
            ("cat", "Cathy", ("Pals",))
        ]
        assert [f.account for f in admin.iter_friends("dan")] == ["ann"]
        (info,) = admin.friend_get_list("ann", ["cat"], [SnsTag.REMARK])
        assert info.tags == {"Tag_SNS_IM_Remark": "Cathy"}
        # friend lists
        assert admin.group_add("ann", ["Pals", "Gym"], ["cat"]).results.ok
        lists = admin.group_get("ann", need_friend=True)
        assert [(g.name, g.members) for g in lists.lists] == [("Pals", ("cat",)), ("Gym", ("cat",))]
        assert admin.group_delete("ann", ["Gym"]) > lists.sequence
        # blocklist
        assert admin.black_list_add("ann", ["eve", "dan"]).ok
        assert admin.black_list_check("dan", ["ann"])[0].relation is BlockRelation.B_WITH_A
        assert [b.account for b in admin.black_list_get("ann", max_limited=1).entries] == ["eve"]
        assert [b.account for b in admin.iter_blocklist("ann", page_size=1)] == ["eve", "dan"]
        assert admin.black_list_delete("ann", ["eve"]).ok
        # deletes, and the escape hatch
        assert admin.friend_delete("ann", ["cat"], delete_type=DeleteType.BOTH).ok
        admin.friend_delete_all("dan")
        assert (
            admin.call("sns/friend_get", {"From_Account": "dan", "StartIndex": 0})["FriendNum"] == 0
        )
        assert [d.code for d in admin.account_delete(["eve", "zed"])] == [0, 70107]
        with pytest.raises(NotFound):
            admin.follow_get_info("eve", ["ann"])


def test_a_server_that_is_not_there_is_a_connect_error_after_the_retries() -> None:
    url = f"http://127.0.0.1:{free_port()}"
    admin = Admin(url, 1, "k", retry=Retry(attempts=3, base_delay=0.01))
    with admin, pytest.raises(ConnectError) as caught:
        admin.follow_add("a", ["b"])
    assert "gave up after 3 attempts" in caught.value.__notes__
