"""A small app with every kind of data, made through the REST API (what export must carry)."""

from __future__ import annotations

from relchain.domain.profiles import NEED_CONFIRM
from tests.support import SRC, RestClient, add, follow, users

NICK = "Tag_Profile_IM_Nick"
HOBBY = "Tag_Profile_Custom_Hobby"
LEVEL = "Tag_SNS_Custom_Level"


async def build_graph(rest: RestClient) -> None:
    """Accounts with standard and custom profile tags; follows (one pair mutual); friends both
    ways and one way with remarks, lists and custom data; an empty list; a block; a pending
    request."""
    await rest.set_setting("custom_profile_tags", "Hobby")
    await rest.set_setting("custom_sns_tags", "Level")
    await users(rest, "alice", "bob", "carol", "dave", "erin", "frank")
    await users(rest, "gina", allow=NEED_CONFIRM)
    await rest.ok(
        "profile/portrait_set",
        {
            "From_Account": "alice",
            "ProfileItem": [{"Tag": NICK, "Value": "Alice"}, {"Tag": HOBBY, "Value": "chess"}],
        },
    )
    await follow(rest, "alice", "bob", "carol")
    rest.clock.advance(5)
    await follow(rest, "bob", "alice")
    await follow(rest, "dave", "alice", "erin")
    rest.clock.advance(5)
    await rest.ok("sns/group_add", {"From_Account": "alice", "GroupName": ["work", "empty"]})
    await add(rest, "alice", "bob", Remark="Bobby", GroupName="work", AddWording="hi")
    await add(rest, "carol", "dave", add_type="Add_Type_Single")
    rest.clock.advance(5)
    await add(rest, "alice", "carol", add_type="Add_Type_Single", GroupName="work")
    await rest.ok(
        "sns/friend_update",
        {
            "From_Account": "alice",
            "UpdateItem": [{"To_Account": "bob", "SnsItem": [{"Tag": LEVEL, "Value": 3}]}],
        },
    )
    await rest.ok("sns/black_list_add", {"From_Account": "erin", "To_Account": ["frank"]})
    data = await add(rest, "frank", "gina", AddWording="please", Remark="G")
    assert data["ResultItem"][0]["ResultCode"] == 30539  # pending: gina must confirm
    assert SRC
