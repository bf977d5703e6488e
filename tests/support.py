"""The tests' shared helpers: a frozen clock, a REST client that signs its calls like a Tencent
SDK, and the sns helpers of the HTTP suite and of the storage contract."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import replace
from typing import Any

import httpx
import orjson

from relchain.auth.usersig import generate_usersig
from relchain.config import Config
from relchain.domain.apps import App
from relchain.domain.profiles import ALLOW_ANY, ALLOW_TYPE
from relchain.domain.sns.friends import AddRequest
from relchain.domain.sns.rules import SnsLimits
from relchain.http.app import create_app
from relchain.http.routes import BY_PATH
from relchain.ports import Store

SDKAPPID = 1400000001
KEY = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
ADMIN = "admin"
T0 = 1_700_000_000


class FrozenClock:
    """A clock that only moves when told to."""

    def __init__(self, now: float = T0) -> None:
        self.current = now

    def now(self) -> float:
        return self.current

    def advance(self, seconds: float) -> None:
        self.current += seconds


class RestClient:
    """Calls ``/v4/<path>`` with a fresh UserSig for ``identifier`` (default: the admin)."""

    def __init__(self, http: httpx.AsyncClient, clock: FrozenClock, app: App, store: Store) -> None:
        self.http = http
        self.clock = clock
        self.app = app
        self.store = store

    async def set_setting(self, name: str, value: str) -> None:
        """Change one app setting (as ``relchain app set`` does); seen by the next call."""
        async with self.store.write() as tx:
            app = await tx.get_app(self.app.sdkappid)
            assert app is not None
            settings = app.settings.with_setting(name, value, BY_PATH)
            await tx.save_app(replace(app, settings=settings))

    def query(self, identifier: str | None = None, **override: Any) -> dict[str, Any]:
        who = identifier or self.app.admins[0]
        sig = generate_usersig(self.app.key, self.app.sdkappid, who, 86400, int(self.clock.now()))
        params: dict[str, Any] = {
            "sdkappid": self.app.sdkappid,
            "identifier": who,
            "usersig": sig,
            "random": 12345,
            "contenttype": "json",
        }
        params.update(override)
        return {k: v for k, v in params.items() if v is not None}

    async def call(
        self,
        path: str,
        body: Any = None,
        *,
        identifier: str | None = None,
        raw: bytes | None = None,
    ) -> dict[str, Any]:
        """POST ``body`` (JSON-encoded) or ``raw`` bytes; returns the decoded response body."""
        content = raw if raw is not None else orjson.dumps({} if body is None else body)
        response = await self.http.post(
            f"/v4/{path}", params=self.query(identifier), content=content
        )
        assert response.status_code == 200, response.text
        data: dict[str, Any] = response.json()
        return data

    async def ok(self, path: str, body: Any = None, **kwargs: Any) -> dict[str, Any]:
        """Like :meth:`call`, but asserts the call succeeded."""
        data = await self.call(path, body, **kwargs)
        assert data["ActionStatus"] == "OK" and data["ErrorCode"] == 0, data
        return data

    async def import_accounts(self, *user_ids: str) -> None:
        await self.ok("im_open_login_svc/multiaccount_import", {"Accounts": list(user_ids)})


@asynccontextmanager
async def running_client(store: Store, clock: FrozenClock, app: App) -> AsyncIterator[RestClient]:
    """The ASGI app over ``store``, started (lifespan) and wrapped in a :class:`RestClient`."""
    asgi = create_app(Config(database="unused://", app_cache_seconds=0), store=store, clock=clock)
    async with asgi.router.lifespan_context(asgi):
        transport = httpx.ASGITransport(app=asgi)
        async with httpx.AsyncClient(transport=transport, base_url="http://relchain") as http:
            yield RestClient(http, clock, app, store)


def bad_request(data: dict[str, Any], code: int, field: str) -> None:
    """A whole-request failure: the envelope only, ``ErrorInfo`` naming ``field``."""
    assert data == {
        "ActionStatus": "FAIL",
        "ErrorCode": code,
        "ErrorInfo": data["ErrorInfo"],
        "ErrorDisplay": "",
    }, data
    assert data["ErrorInfo"].startswith(f"{field}:"), data["ErrorInfo"]


async def follow(rest: RestClient, from_id: str, *to_ids: str) -> None:
    """``from_id`` follows every one of ``to_ids``; asserts that no item failed."""
    data = await rest.ok(
        "follow/follow_add",
        {"From_Account": from_id, "FollowItem": [{"To_Account": t} for t in to_ids]},
    )
    assert "Fail_Account" not in data, data


def codes(outcome: Any, key: str = "ResultItem") -> list[int]:
    """The per-item codes of a response body (its ``key`` items) or of a write's outcome
    (``SnsOutcome``, ``FollowPlan``, ``ListsOutcome`` or a list of ``ItemResult``)."""
    if isinstance(outcome, dict):
        return [item["ResultCode"] for item in outcome[key]]
    results = outcome if isinstance(outcome, list) else outcome.results
    return [int(r.code) for r in results]


# -- sns: over HTTP --------------------------------------------------------------------------

SRC = "AddSource_Type_Android"


async def set_settings(store: Store, **changes: Any) -> None:
    """Change app settings directly in the store (seen by the next call)."""
    async with store.write() as tx:
        app = await tx.get_app(SDKAPPID)
        assert app is not None
        await tx.save_app(replace(app, settings=replace(app.settings, **changes)))


async def users(rest: RestClient, *ids: str, allow: str = ALLOW_ANY) -> None:
    """Import accounts and set their AllowType."""
    await rest.import_accounts(*ids)
    for user in ids:
        await rest.ok(
            "profile/portrait_set",
            {
                "From_Account": user,
                "ProfileItem": [{"Tag": "Tag_Profile_IM_AllowType", "Value": allow}],
            },
        )


async def add(
    rest: RestClient,
    me: str,
    *others: str,
    add_type: str = "Add_Type_Both",
    force: int = 0,
    **item: Any,
) -> dict[str, Any]:
    """friend_add over HTTP (asserts the request as a whole succeeded)."""
    return await rest.ok(
        "sns/friend_add",
        {
            "From_Account": me,
            "AddFriendItem": [{"To_Account": o, "AddSource": SRC, **item} for o in others],
            "AddType": add_type,
            "ForceAddFlags": force,
        },
    )


async def check(rest: RestClient, me: str, *others: str, both: bool = True) -> list[str]:
    """friend_check over HTTP: the ``Relation`` of each account."""
    data = await rest.ok(
        "sns/friend_check",
        {
            "From_Account": me,
            "To_Account": list(others),
            "CheckType": "CheckResult_Type_Both" if both else "CheckResult_Type_Single",
        },
    )
    return [item["Relation"] for item in data["InfoItem"]]


# -- sns: on the store directly (the storage contract) ----------------------------------------

LIMITS = SnsLimits()


async def make_accounts(store: Store, *ids: str, allow: str = ALLOW_ANY) -> None:
    """Import accounts with this AllowType straight into the store."""
    async with store.write() as tx:
        await tx.import_accounts(SDKAPPID, [(u, {ALLOW_TYPE: allow}) for u in ids], T0)


async def befriend(
    store: Store,
    me: str,
    *others: str,
    both: bool = True,
    force: bool = False,
    limits: SnsLimits = LIMITS,
    now: int = T0,
) -> list[int]:
    """friend_add on the store; returns the per-item codes."""
    async with store.write() as tx:
        results = await tx.add_friends(
            SDKAPPID,
            me,
            [AddRequest(o, SRC) for o in others],
            both=both,
            force=force,
            limits=limits,
            now=now,
        )
    return codes(results)


async def edges(store: Store, me: str, *others: str) -> dict[str, tuple[bool, bool]]:
    """(me -> o, o -> me) for each existing account of ``others``."""
    async with store.read() as tx:
        return await tx.friend_edges(SDKAPPID, me, list(others))


async def counters(store: Store, user: str) -> tuple[int, int, int]:
    """(friend count, standard sequence, custom sequence) as friend_get reports them."""
    async with store.read() as tx:
        page = await tx.get_friend_page(SDKAPPID, user, 0, 1)
    return page.friend_count, page.standard_sequence, page.custom_sequence
