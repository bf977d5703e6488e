"""The cost of the event log on follow_add(20): requests/s of this tree vs a base tree.

Two ``relchain serve`` processes run side by side, one on this tree's code and one on
``--base-src`` (for instance main before the log: ``git archive 9db9773 src | tar -x -C
/tmp/relchain-base``), each on a fresh database of its own (SQLite file, or a fresh PostgreSQL
database on ``--postgres URL``). Both get the same follow_add requests (each from its own
account, to 20 distinct random accounts, so every item creates an edge), in alternating slices
so that drift on a busy machine hits both alike. Prints requests/s, p50/p99 and the ratio, and
writes a JSON file to ``benchmarks/results/``.

    .venv/bin/python benchmarks/events_cost.py --base-src /tmp/relchain-base/src
    .venv/bin/python benchmarks/events_cost.py --base-src /tmp/relchain-base/src \\
        --postgres postgresql://postgres@127.0.0.1:5432/test
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import secrets
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx
import orjson

sys.path.insert(0, str(Path(__file__).parent))
from loadgen import (  # type: ignore[import-not-found]
    RawConnection,
    Scenario,
    all_items_ok,
    merge,
    run,
)
from relchain.auth.usersig import generate_usersig

SDKAPPID = 1400054321
KEY = secrets.token_hex(32)
ADMIN = "administrator"
HERE = Path(__file__).resolve().parent
THIS_SRC = HERE.parent / "src"


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def cli(src: Path, *args: str) -> None:
    env = {**os.environ, "PYTHONPATH": str(src)}
    subprocess.run(
        [sys.executable, "-m", "relchain", *args], check=True, env=env, capture_output=True
    )


async def fresh_postgres(base: str) -> str:
    import asyncpg

    name = f"relchain_bench_{int(time.time())}_{secrets.token_hex(3)}"
    conn = await asyncpg.connect(base)
    try:
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    parts = urlsplit(base)
    return urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, ""))


class Side:
    """One server: its code, its database, its port."""

    def __init__(self, name: str, src: Path, database: str) -> None:
        self.name, self.src, self.database = name, src, database
        self.port = free_port()
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        cli(self.src, "app", "create", "--sdkappid", str(SDKAPPID), "--key", KEY, "--admin",
            ADMIN, "--database", self.database)  # fmt: skip
        for name, value in (("rate_limit", "0"), ("rate_limits", "")):
            cli(self.src, "app", "set", str(SDKAPPID), name, value, "--database", self.database)
        env = {**os.environ, "PYTHONPATH": str(self.src)}
        command = [sys.executable, "-m", "relchain", "serve", "--port", str(self.port),
                   "--database", self.database, "--no-access-log"]  # fmt: skip
        self.proc = subprocess.Popen(
            command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                if httpx.get(f"http://127.0.0.1:{self.port}/healthz", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.1)
        raise SystemExit(f"{self.name}: the server did not start")

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.terminate()
            self.proc.wait(timeout=30)


def target(path: str) -> str:
    sig = generate_usersig(KEY, SDKAPPID, ADMIN, 86400, int(time.time()))
    return (
        f"/v4/{path}?sdkappid={SDKAPPID}&identifier={ADMIN}&usersig={sig}&random=1&contenttype=json"
    )


async def seed(side: Side, users: int) -> None:
    conn = RawConnection("127.0.0.1", side.port)
    path = target("im_open_login_svc/multiaccount_import")
    for start in range(0, users, 100):
        ids = [f"u{i:07d}" for i in range(start, min(users, start + 100))]
        all_items_ok(await conn.request("POST", path, orjson.dumps({"Accounts": ids})))
    await conn.close()


def bodies(users: int, requests: int, seed_: int) -> list[bytes]:
    rng = random.Random(seed_)
    out = []
    for k in range(requests):
        me = f"u{k % users:07d}"
        others = [o for o in rng.sample(range(users), 21) if o != k % users][:20]
        items = [{"To_Account": f"u{o:07d}"} for o in others]
        out.append(orjson.dumps({"From_Account": me, "FollowItem": items}))
    return out


async def measure(sides: list[Side], args: argparse.Namespace) -> dict[str, Any]:
    for side in sides:
        await seed(side, args.users)
    load = bodies(args.users, args.requests, 7)
    # the warm-up comes from accounts of its own (w...), so the measured pairs are all new
    warm = bodies(args.users, 200, 8)
    warm = [w.replace(b'"From_Account":"u', b'"From_Account":"w') for w in warm]
    for side in sides:
        conn = RawConnection("127.0.0.1", side.port)
        for start in (0, 100):
            ids = [f"w{i:07d}" for i in range(start, start + 100)]
            body = orjson.dumps({"Accounts": ids})
            path = target("im_open_login_svc/multiaccount_import")
            all_items_ok(await conn.request("POST", path, body))
        await conn.close()
    path = target("follow/follow_add")
    results: dict[str, list[Any]] = {side.name: [] for side in sides}

    async def slice_of(side: Side, part: list[bytes], name: str) -> Any:
        # connections of their own per slice: the other side's idle ones would time out
        conns = [RawConnection("127.0.0.1", side.port) for _ in range(args.concurrency)]
        try:
            return await run(conns, Scenario(name, "POST", path, part, all_items_ok))
        finally:
            for conn in conns:
                await conn.close()

    for side in sides:
        await slice_of(side, warm, "warm")
    step = len(load) // args.slices
    for index in range(args.slices):
        part = load[index * step : (index + 1) * step]
        order = sides if index % 2 == 0 else list(reversed(sides))
        for side in order:
            results[side.name].append(await slice_of(side, part, "follow_add(20)"))
    rows: dict[str, Any] = {
        name: merge(f"follow_add(20) {name}", parts).row() for name, parts in results.items()
    }
    # each slice's pair ran back to back: the median of their ratios shrugs off the bursts of
    # other work on a shared machine that a total over the run does not
    ratios = sorted(e.rps / b.rps for b, e in zip(results["base"], results["events"], strict=True))
    rows["slice_cost_median"] = 1 - ratios[len(ratios) // 2]
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base-src", type=Path, required=True, help="the base tree's src/")
    parser.add_argument("--postgres", default="", help="a PostgreSQL URL (else SQLite)")
    parser.add_argument("--users", type=int, default=3000)
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--slices", type=int, default=6)
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="relchain-events-cost-"))
    sides = []
    for name, src in (("base", args.base_src.resolve()), ("events", THIS_SRC)):
        if args.postgres:
            database = asyncio.run(fresh_postgres(args.postgres))
        else:
            database = f"sqlite:///{workdir / (name + '.db')}"
        sides.append(Side(name, src, database))
    try:
        for side in sides:
            side.start()
        rows = asyncio.run(measure(sides, args))
    finally:
        for side in sides:
            side.stop()
    base, events = rows["base"], rows["events"]
    cost = 1 - events["rps"] / base["rps"]
    print(f"backend: {'postgresql' if args.postgres else 'sqlite'}")
    for row in (base, events):
        print(f"  {row['name']:<28} {row['rps']:>9.1f} req/s  p50 {row['p50_ms']:.2f} ms"
              f"  p99 {row['p99_ms']:.2f} ms")  # fmt: skip
    median = rows["slice_cost_median"]
    print(f"  cost of the log: {cost * 100:.1f}% over the run, {median * 100:.1f}% median of the"
          f" {args.slices} slice pairs ({'MET' if median <= 0.15 else 'MISS'} <= 15%)")  # fmt: skip
    out = HERE / "results"
    out.mkdir(exist_ok=True)
    record = {
        "args": {k: str(v) for k, v in vars(args).items()},
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count()},
        "rows": rows,
        "cost": cost,
        "slice_cost_median": median,
    }
    name = f"events_cost_{'pg' if args.postgres else 'sqlite'}_{int(time.time())}.json"
    (out / name).write_text(json.dumps(record, indent=2))


if __name__ == "__main__":
    main()
