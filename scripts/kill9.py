"""kill -9 under write load: no acknowledged write may be lost.

Starts ``relchain serve`` on DATABASE, runs concurrent writers (``account_import`` of a new
account, then ``follow_add`` of that account to a hub), kills the server with SIGKILL at a random
moment, starts it again, and repeats. At the end it checks that every write the server had
acknowledged (ErrorCode 0) is there: each account imported, each follow edge present, and the
hub's follower count equal to its follower list. Prints a table and, with ``--json``, writes the
figures. Exit status 1 when anything acknowledged was lost.

    python scripts/kill9.py --database sqlite:///tmp/k9.db --kills 20
    python scripts/kill9.py --database postgresql://postgres@127.0.0.1/k9 --kills 20

A short version runs in the test suite (tests/e2e/test_kill9.py).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import secrets
import signal
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import httpx
import orjson

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the repository: tests/

from tests.processes import ServeProcess, relchain

from relchain.auth.usersig import generate_usersig

HUB = "hub"


@dataclass
class Figures:
    database: str
    kills: int = 0
    acknowledged_accounts: int = 0
    acknowledged_follows: int = 0
    failed_calls: int = 0  # calls cut by the kill (unknown outcome: allowed either way)
    lost_accounts: list[str] = field(default_factory=list)
    lost_follows: list[str] = field(default_factory=list)
    hub_count: int = 0
    hub_listed: int = 0
    seconds: float = 0.0

    @property
    def lost(self) -> int:
        return (
            len(self.lost_accounts) + len(self.lost_follows) + abs(self.hub_count - self.hub_listed)
        )


def start(database: str) -> ServeProcess:
    return ServeProcess(database, "--no-access-log", "--no-metrics").wait_ready()


def kill(server: ServeProcess) -> None:
    server.proc.send_signal(signal.SIGKILL)
    server.proc.wait(timeout=30)


class Writers:
    """Concurrent writers; what the server acknowledged."""

    def __init__(self, url: str, query: str, round_: int, figures: Figures) -> None:
        self.url = url
        self.query = query
        self.round = round_
        self.figures = figures
        self.accounts: list[str] = []
        self.follows: list[str] = []
        self.first_ack = asyncio.Event()  # the kill is timed from the first acknowledged write

    async def call(
        self, http: httpx.AsyncClient, path: str, body: bytes
    ) -> dict[str, object] | None:
        try:
            response = await http.post(f"{self.url}/v4/{path}?{self.query}", content=body)
            data: dict[str, object] = response.json()
            return data
        except (httpx.HTTPError, ValueError):
            self.figures.failed_calls += 1
            return None

    async def writer(self, number: int) -> None:
        async with httpx.AsyncClient(timeout=10) as http:
            for n in range(1_000_000):
                user = f"k{self.round}-{number}-{n}"
                data = await self.call(
                    http, "im_open_login_svc/account_import", orjson.dumps({"UserID": user})
                )
                if data is None:
                    return
                if data["ErrorCode"] == 0:
                    self.accounts.append(user)
                    self.first_ack.set()
                body = {"From_Account": user, "FollowItem": [{"To_Account": HUB}]}
                data = await self.call(http, "follow/follow_add", orjson.dumps(body))
                if data is None:
                    return
                items = data.get("ResultItem") or [{}]
                if data["ErrorCode"] == 0 and items[0].get("ResultCode") == 0:  # type: ignore[union-attr,index]
                    self.follows.append(user)


async def check(
    url: str, query: str, figures: Figures, accounts: list[str], follows: list[str]
) -> None:
    async with httpx.AsyncClient(timeout=30) as http:

        async def post(path: str, body: object) -> dict[str, object]:
            response = await http.post(f"{url}/v4/{path}?{query}", content=orjson.dumps(body))
            data: dict[str, object] = response.json()
            assert data["ErrorCode"] == 0, data
            return data

        for start in range(0, len(accounts), 100):
            batch = accounts[start : start + 100]
            data = await post(
                "im_open_login_svc/account_check", {"CheckItem": [{"UserID": u} for u in batch]}
            )
            figures.lost_accounts += [
                i["UserID"]
                for i in data["ResultItem"]
                if i["AccountStatus"] != "Imported"  # type: ignore[attr-defined,index]
            ]
        for start in range(0, len(follows), 100):
            batch = follows[start : start + 100]
            data = await post("follow/follow_check", {"From_Account": HUB, "To_Account": batch})
            figures.lost_follows += [
                i["To_Account"]
                for i in data["ResultItem"]  # type: ignore[attr-defined]
                if i["FollowType"] not in (1, 3)  # the hub's fan, or mutual  # type: ignore[index]
            ]
        info = await post("follow/follow_get_info", {"From_Account": HUB, "To_Account": [HUB]})
        figures.hub_count = int(info["FollowInfo"][0]["FollowerCount"])  # type: ignore[index]
        cursor, listed = "", 0
        while True:
            page = await post(
                "follow/follow_get",
                {"From_Account": HUB, "FollowType": 1, "StartCursor": cursor, "WantNum": 1000},
            )
            listed += len(page["FollowItem"])  # type: ignore[arg-type]
            cursor = str(page["NextCursor"])
            if not cursor:
                break
        figures.hub_listed = listed


async def run(database: str, kills: int, writers: int, seed: int) -> Figures:
    rng = random.Random(seed)
    figures = Figures(database=database)
    started = time.monotonic()
    sdkappid = 1600000000 + secrets.randbelow(99_999_999)
    key = secrets.token_hex(32)
    relchain("app", "create", "--sdkappid", str(sdkappid), "--key", key, "--database", database)
    for name, value in (("rate_limit", "0"), ("rate_limits", ""), ("max_followers", "0")):
        relchain("app", "set", str(sdkappid), name, value, "--database", database)
    sig = generate_usersig(key, sdkappid, "administrator", 86400, int(time.time()))
    query = f"sdkappid={sdkappid}&identifier=administrator&usersig={sig}&random=1&contenttype=json"
    accounts: list[str] = []
    follows: list[str] = []
    for round_ in range(kills):
        server = start(database)
        try:
            if round_ == 0:
                async with httpx.AsyncClient(timeout=10) as http:
                    await http.post(
                        f"{server.url}/v4/im_open_login_svc/account_import?{query}",
                        content=orjson.dumps({"UserID": HUB}),
                    )
            load = Writers(server.url, query, round_, figures)
            tasks = [asyncio.create_task(load.writer(i)) for i in range(writers)]
            await asyncio.wait_for(load.first_ack.wait(), 30)
            await asyncio.sleep(rng.uniform(0.1, 0.6))
            kill(server)
            figures.kills += 1
            await asyncio.gather(*tasks)
            accounts += load.accounts
            follows += load.follows
        finally:
            server.stop()
    server = start(database)
    try:
        await check(server.url, query, figures, accounts, follows)
    finally:
        server.stop()
    figures.acknowledged_accounts = len(accounts)
    figures.acknowledged_follows = len(follows)
    figures.seconds = round(time.monotonic() - started, 1)
    return figures


def table(all_figures: list[Figures]) -> str:
    rows = [
        "| database | kills | acknowledged imports | acknowledged follows | cut calls | lost "
        "| hub count = list | seconds |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for f in all_figures:
        scheme = f.database.split(":", 1)[0]
        rows.append(
            f"| {scheme} | {f.kills} | {f.acknowledged_accounts} | {f.acknowledged_follows} | "
            f"{f.failed_calls} | {f.lost} | {f.hub_count} = {f.hub_listed} | {f.seconds} |"
        )
    return "\n".join(rows)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", action="append", required=True, help="repeatable")
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--writers", type=int, default=16)
    parser.add_argument("--seed", type=int, default=int(os.environ.get("KILL9_SEED", "13")))
    parser.add_argument("--json", type=Path, help="write the figures here")
    args = parser.parse_args()
    results = [asyncio.run(run(url, args.kills, args.writers, args.seed)) for url in args.database]
    print(table(results))
    if args.json:
        args.json.write_text(
            orjson.dumps([asdict(f) for f in results], option=orjson.OPT_INDENT_2).decode()
        )
    return 1 if any(f.lost for f in results) else 0


if __name__ == "__main__":
    sys.exit(main())
