"""What the operational features cost on the API path, and that lenient bodies do not stall it.

1. ``follow_check`` of one account (the cheapest API call, so the largest relative cost) under
   ``wrk`` against a real ``relchain serve`` on SQLite, with metrics and the access log off,
   each alone, and both on (the defaults). The access log goes to a file, as in production.
   Besides requests/s, the server's own CPU time per request (from /proc): on a busy machine
   throughput swings with the neighbours, CPU per request much less. Configurations alternate
   over ``--rounds`` and the median is shown.
2. ``parse_body`` of lenient (JSON5) bodies of 64 KiB and 1 MiB with a comment: the pure-Python
   json5 took 2.5 s for the 64 KiB one.
3. The worst ``/healthz`` latency while 4 clients post 1 MiB lenient bodies at once.

    .venv/bin/python benchmarks/operations_cost.py [--seconds 10] [--connections 16]

Prints a table and writes ``benchmarks/results/operations_cost.json``. Needs ``wrk``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from relchain.auth.usersig import generate_usersig
from relchain.domain.errors import SNS
from relchain.http.body import parse_body

SDKAPPID = 1400054321
KEY = "ops-cost-key"
RESULTS = Path(__file__).parent / "results"
CONFIGS = {
    "metrics off, access log off": ["--no-metrics", "--no-access-log"],
    "metrics on, access log off": ["--metrics", "--no-access-log"],
    "metrics off, access log on": ["--no-metrics", "--access-log"],
    "both on (default)": ["--metrics", "--access-log"],
}
LUA = """
wrk.method = "POST"
wrk.body = '{"From_Account":"a","To_Account":["b"]}'
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def relchain(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "relchain", *args], check=True, capture_output=True)


def start(database: str, flags: list[str], log: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    with log.open("ab") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "relchain", "serve", "--port", str(port),
             "--database", database, *flags],
            stdout=out,
            stderr=out,
        )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            httpx.get(f"{url}/healthz", timeout=1)
            return proc, url
        except httpx.TransportError:
            time.sleep(0.05)
    raise RuntimeError("server did not start")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of process ``pid`` so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def wrk(url: str, seconds: int, connections: int, script: Path) -> dict[str, float]:
    out = subprocess.run(
        ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", str(script), url],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]

    def ms(label: str) -> float:
        found = re.search(rf"{label}\s+([\d.]+)(us|ms|s)", out)
        assert found, out
        value, unit = float(found.group(1)), found.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    total = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    return {"requests_per_s": rate, "p50_ms": ms("50%"), "p99_ms": ms("99%"), "requests": total}


def api_costs(
    seconds: int, connections: int, rounds: int, work: Path
) -> dict[str, dict[str, float]]:
    database = f"sqlite:///{work / 'cost.db'}"
    relchain("app", "create", "--sdkappid", str(SDKAPPID), "--key", KEY, "--database", database)
    relchain("app", "set", str(SDKAPPID), "rate_limit", "0", "--database", database)
    script = work / "post.lua"
    script.write_text(LUA)
    sig = generate_usersig(KEY, SDKAPPID, "administrator", 86400, int(time.time()))
    query = f"sdkappid={SDKAPPID}&identifier=administrator&usersig={sig}&random=1&contenttype=json"
    runs: dict[str, list[dict[str, float]]] = {name: [] for name in CONFIGS}
    for _ in range(rounds):
        for name, flags in CONFIGS.items():
            proc, url = start(database, flags, work / "server.log")
            try:
                httpx.post(
                    f"{url}/v4/im_open_login_svc/multiaccount_import?{query}",
                    json={"Accounts": ["a", "b"]},
                )
                target = f"{url}/v4/follow/follow_check?{query}"
                wrk(target, 2, connections, script)  # warm up
                before = cpu_seconds(proc.pid)
                figures = wrk(target, seconds, connections, script)
                used = cpu_seconds(proc.pid) - before
                figures["cpu_us_per_request"] = used / figures["requests"] * 1e6
            finally:
                proc.terminate()
                proc.wait(timeout=30)
            runs[name].append(figures)
            print(f"{name}: {figures}", file=sys.stderr)
    return {
        name: {key: statistics.median(r[key] for r in found) for key in found[0]}
        for name, found in runs.items()
    }


def lenient(size: int) -> bytes:
    ones = b"1," * (size // 2)
    return b"{'UserID': 'x', /* c */ 'X': [" + ones + b"],}"


def parse_costs() -> dict[str, float]:
    out = {}
    for label, size in (("64 KiB", 64 * 1024), ("1 MiB", 1024 * 1024)):
        body = lenient(size)
        started = time.perf_counter()
        for _ in range(5):
            parse_body(body, SNS)
        out[label] = round((time.perf_counter() - started) / 5 * 1000, 2)
    return out


async def healthz_under_lenient_load(work: Path) -> dict[str, float]:
    database = f"sqlite:///{work / 'cost.db'}"
    proc, url = start(database, ["--no-access-log"], work / "server.log")
    sig = generate_usersig(KEY, SDKAPPID, "administrator", 86400, int(time.time()))
    query = f"sdkappid={SDKAPPID}&identifier=administrator&usersig={sig}&random=1&contenttype=json"
    body = lenient(1000 * 1024)
    worst = 0.0
    try:
        async with httpx.AsyncClient(timeout=60) as http:
            stop = asyncio.Event()

            async def poster() -> None:
                while not stop.is_set():
                    await http.post(
                        f"{url}/v4/im_open_login_svc/account_import?{query}", content=body
                    )

            posters = [asyncio.create_task(poster()) for _ in range(4)]
            for _ in range(100):
                started = time.perf_counter()
                await http.get(f"{url}/healthz")
                worst = max(worst, time.perf_counter() - started)
                await asyncio.sleep(0.02)
            stop.set()
            await asyncio.gather(*posters)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    return {"worst_healthz_ms": round(worst * 1000, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        api = api_costs(args.seconds, args.connections, args.rounds, work)
        parsing = parse_costs()
        stall = asyncio.run(healthz_under_lenient_load(work))
    base = api["metrics off, access log off"]
    print("| configuration | requests/s | CPU us/request | vs off (CPU) | p50 ms | p99 ms |")
    print("| --- | --- | --- | --- | --- | --- |")
    for name, figures in api.items():
        share = figures["cpu_us_per_request"] / base["cpu_us_per_request"] - 1
        print(
            f"| {name} | {figures['requests_per_s']:.0f} | {figures['cpu_us_per_request']:.1f} | "
            f"{share:+.1%} | {figures['p50_ms']:.2f} | {figures['p99_ms']:.2f} |"
        )
    print(f"\nlenient body parse (ms): {parsing}; /healthz under 4 x 1 MiB lenient posts: {stall}")
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "operations_cost.json").write_text(
        json.dumps({"api": api, "lenient_parse_ms": parsing, "healthz": stall}, indent=2)
    )


if __name__ == "__main__":
    main()
