"""An unexpected failure answers the service's internal code: no 500, no traceback, no secret."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import pytest

from relchain.domain.apps import App
from relchain.domain.errors import Code
from relchain.ports import Store, Tx
from tests.support import KEY, FrozenClock, running_client


class BrokenWrites:
    """A store whose reads work and whose write transactions fail after doing their work."""

    url_scheme = "broken"

    def __init__(self, inner: Store) -> None:
        self.inner = inner

    def read(self) -> Any:
        return self.inner.read()

    @asynccontextmanager
    async def write(self) -> AsyncIterator[Tx]:
        async with self.inner.write() as tx:
            yield tx
            raise RuntimeError("disk on fire")

    async def close(self) -> None:
        await self.inner.close()

    def __getattr__(self, name: str) -> Any:  # pool_usage, observe_commits...: the inner's
        return getattr(self.inner, name)


@pytest.mark.parametrize(
    ("path", "body", "code"),
    [
        ("im_open_login_svc/account_import", {"UserID": "u1"}, Code.ACCOUNT_INTERNAL),
        (
            "profile/portrait_set",
            {"From_Account": "u0", "ProfileItem": [{"Tag": "Tag_Profile_IM_Nick", "Value": "n"}]},
            Code.PROFILE_INTERNAL,
        ),
    ],
)
async def test_failed_write_answers_internal_code_and_leaves_nothing(
    store: Store,
    clock: FrozenClock,
    app: App,
    caplog: pytest.LogCaptureFixture,
    path: str,
    body: dict[str, Any],
    code: int,
) -> None:
    async with store.write() as tx:
        await tx.import_accounts(app.sdkappid, [("u0", {})], int(clock.now()))
    caplog.set_level(logging.ERROR, logger="relchain")
    async with running_client(BrokenWrites(store), clock, app) as rest:  # type: ignore[arg-type]
        response = await rest.http.post(
            f"/v4/{path}", params=rest.query(), json=body, headers={"X-Request-ID": "find-me"}
        )
        assert response.status_code == 200
        data = response.json()
        assert data == {
            "ActionStatus": "FAIL",
            "ErrorCode": code,
            "ErrorInfo": "internal error; see server log",
            "ErrorDisplay": "",
        }
    assert "disk on fire" in caplog.text  # the log has the traceback ...
    assert "(request_id find-me)" in caplog.text  # ... with the id the client got back ...
    assert KEY not in caplog.text  # ... and never the app's secret key
    async with store.read() as tx:
        assert await tx.existing_accounts(app.sdkappid, ["u1"]) == set()
        assert (await tx.get_profiles(app.sdkappid, ["u0"]))["u0"].sequence == 0
