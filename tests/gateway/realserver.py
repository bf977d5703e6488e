"""A real ``relchain serve`` process with a known app, and an admin REST client for it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

from relchain.auth.usersig import generate_usersig
from tests.processes import ServeProcess, create_app
from tests.support import ADMIN, KEY, SDKAPPID

__all__ = ["RealServer", "real_server"]


class RealServer:
    def __init__(self, proc: ServeProcess, sdkappid: int = SDKAPPID, key: str = KEY) -> None:
        self.proc = proc
        self.sdkappid = sdkappid
        self.key = key
        self.proxy = f"ws://127.0.0.1:{proc.port}"
        self.http = httpx.AsyncClient(base_url=proc.url, timeout=30)

    def usersig(self, user: str, expire: int = 86400) -> str:
        import time

        return generate_usersig(self.key, self.sdkappid, user, expire, int(time.time()))

    async def rest(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        """One REST call as the app admin; asserts HTTP 200, returns the body."""
        params = {
            "sdkappid": self.sdkappid,
            "identifier": ADMIN,
            "usersig": self.usersig(ADMIN),
            "random": 1,
            "contenttype": "json",
        }
        response = await self.http.post(f"/v4/{path}", params=params, json=body)
        assert response.status_code == 200, response.text
        data: dict[str, Any] = response.json()
        return data

    async def ok(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        data = await self.rest(path, body)
        assert data["ErrorCode"] == 0, data
        return data

    async def import_accounts(self, *users: str) -> None:
        await self.ok("im_open_login_svc/multiaccount_import", {"Accounts": list(users)})

    async def import_friends(self, owner: str, *friends: str, remark: str = "") -> None:
        """``friends`` in ``owner``'s friend list (one way, friend_import)."""
        items = [{"To_Account": f, "AddSource": "AddSource_Type_Web"} for f in friends]
        for item in items:
            if remark:
                item["Remark"] = remark
        await self.ok("sns/friend_import", {"From_Account": owner, "AddFriendItem": items})


@contextmanager
def real_server(tmp: Path, *extra: str) -> Iterator[ServeProcess]:
    """``relchain serve`` on an SQLite file of ``tmp`` with the test app (tests.support)."""
    database = f"sqlite:///{tmp / 'gateway.db'}"
    # the tests poll the REST API to compare the SDKs' caches with the server: the app's
    # 200 calls/s per API (tested on its own in tests/http) must not refuse those reads
    create_app(database, SDKAPPID, KEY, ADMIN, rate_limit="0")
    proc = ServeProcess(database, *extra).wait_ready()
    try:
        yield proc
    finally:
        output = proc.stop()
        assert "Traceback" not in output, output
