"""Several apps share one server and never see each other's data or accept each other's keys."""

from __future__ import annotations

from relchain.auth.usersig import generate_usersig
from relchain.domain.apps import App
from relchain.domain.errors import Code
from relchain.ports import Store
from tests.support import FrozenClock, RestClient, running_client

OTHER = App(sdkappid=1400000002, key="other-key", admins=("boss",))


async def test_same_userid_in_two_apps_is_two_accounts(
    rest: RestClient, store: Store, clock: FrozenClock
) -> None:
    async with store.write() as tx:
        await tx.create_app(OTHER, int(clock.now()))
    await rest.ok("im_open_login_svc/account_import", {"UserID": "alice", "Nick": "A1"})
    async with running_client(store, clock, OTHER) as other:
        check = await other.ok(
            "im_open_login_svc/account_check", {"CheckItem": [{"UserID": "alice"}]}
        )
        assert check["ResultItem"][0]["AccountStatus"] == "NotImported"
        await other.ok("im_open_login_svc/account_import", {"UserID": "alice", "Nick": "A2"})
        data = await other.ok(
            "profile/portrait_get", {"To_Account": ["alice"], "TagList": ["Tag_Profile_IM_Nick"]}
        )
        assert data["UserProfileItem"][0]["ProfileItem"][0]["Value"] == "A2"
    data = await rest.ok(
        "profile/portrait_get", {"To_Account": ["alice"], "TagList": ["Tag_Profile_IM_Nick"]}
    )
    assert data["UserProfileItem"][0]["ProfileItem"][0]["Value"] == "A1"


async def test_a_usersig_made_with_another_apps_key_is_refused(
    rest: RestClient, store: Store, clock: FrozenClock
) -> None:
    async with store.write() as tx:
        await tx.create_app(OTHER, int(clock.now()))
    forged = generate_usersig(OTHER.key, rest.app.sdkappid, "admin", 3600, int(clock.now()))
    response = await rest.http.post(
        "/v4/im_open_login_svc/account_check",
        params=rest.query(usersig=forged),
        json={"CheckItem": [{"UserID": "x"}]},
    )
    assert response.json()["ErrorCode"] == Code.SIG_MISMATCH


async def test_admin_of_one_app_is_not_admin_of_another(
    rest: RestClient, store: Store, clock: FrozenClock
) -> None:
    async with store.write() as tx:
        await tx.create_app(OTHER, int(clock.now()))
    # "boss" administers OTHER; with a valid UserSig of the test app it is a plain user there
    data = await rest.call("im_open_login_svc/account_check", {"CheckItem": []}, identifier="boss")
    assert data["ErrorCode"] == Code.ACCOUNT_NOT_ADMIN
