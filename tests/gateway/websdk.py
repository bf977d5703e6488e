"""Tencent's own Web SDK, unmodified, driven from a test: one SDK instance per Node process
(``node --experimental-websocket tests/websdk/node_runner.js``), calls and events as JSON lines.

Node and the npm packages are required: a test that cannot start them fails (never skips)."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson

__all__ = ["CHAT", "TIM_FRIENDSHIP", "WEBSDK_DIR", "NodeSdk", "SdkBase", "SdkError"]

WEBSDK_DIR = Path(__file__).resolve().parents[1] / "websdk"
CHAT = "@tencentcloud/chat"
TIM_FRIENDSHIP = "tim-js-sdk/tim-js-friendship.js"


# the events of a login's initial loads (the friend-list load emits only when there are lists)
SETTLED = (
    "SDK_READY",
    "BLACKLIST_UPDATED",
    "FRIEND_LIST_UPDATED",
    "FRIEND_APPLICATION_LIST_UPDATED",
)


class SdkError(AssertionError):
    """An SDK call failed (``code`` is the SDK's or the server's ErrorCode)."""

    def __init__(self, method: str, result: dict[str, Any]) -> None:
        super().__init__(f"{method} failed: {result}")
        self.code = result.get("code")
        self.result = result


class SdkBase:
    """What a test does with one SDK instance, wherever it runs (Node or a browser page)."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.events: list[tuple[str, Any]] = []
        self._mark = 0
        self._event_added = asyncio.Event()

    def add_event(self, name: str, data: Any) -> None:
        self.events.append((name, data))
        self._event_added.set()

    async def run(self, method: str, *args: Any, wait: float = 30) -> dict[str, Any]:
        raise NotImplementedError

    async def close(self) -> None:
        raise NotImplementedError

    async def call(self, method: str, *args: Any, wait: float = 30) -> Any:
        """``chat[method](*args)``'s ``data``; :class:`SdkError` when the call failed."""
        result = await self.run(method, *args, wait=wait)
        if not result["ok"]:
            raise SdkError(method, result)
        return result["data"]

    async def fails(self, method: str, *args: Any) -> dict[str, Any]:
        """Asserts that the call fails; returns ``{"code", "message", "data"}``."""
        result = await self.run(method, *args)
        assert not result["ok"], f"{method} should have failed: {result}"
        return result

    async def until(
        self, method: str, check: Callable[[Any], bool], *args: Any, wait: float = 10
    ) -> Any:
        """Call ``method`` (a cached list, typically) until ``check`` holds of its data."""
        deadline = asyncio.get_running_loop().time() + wait
        while True:
            data = await self.call(method, *args)
            if check(data):
                return data
            if asyncio.get_running_loop().time() > deadline:
                raise AssertionError(f"{self.name}: {method} never matched; last: {data}")
            await asyncio.sleep(0.05)

    def seen(self, name: str, where: Callable[[Any], bool] | None = None) -> list[Any]:
        return [d for e, d in self.events if e == name and (where is None or where(d))]

    async def wait_event(
        self, name: str, where: Callable[[Any], bool] | None = None, *, wait: float = 10
    ) -> Any:
        """The first event ``name`` (matching ``where``) seen since :meth:`mark`, waiting for it."""
        deadline = asyncio.get_running_loop().time() + wait
        start = self._mark
        while True:
            for event, data in self.events[start:]:
                if event == name and (where is None or where(data)):
                    return data
            remaining = deadline - asyncio.get_running_loop().time()
            if remaining <= 0:
                names = [event for event, _ in self.events[start:]]
                raise AssertionError(f"{self.name}: no {name} event in {wait} s; saw {names}")
            self._event_added.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._event_added.wait(), remaining)

    def mark(self) -> None:
        """Later :meth:`wait_event` calls look only at events after this point."""
        self._mark = len(self.events)

    async def login(self, user: str, usersig: str) -> None:
        """Log in and wait until the SDK has loaded its caches (blocklist, friends, requests),
        so that later events are the test's own."""
        self.mark()
        await self.call("login", {"userID": user, "userSig": usersig})
        for event in SETTLED:
            await self.wait_event(event)
        self.mark()


class NodeSdk(SdkBase):
    """One SDK instance in a Node process, pointed at ``proxy`` (``ws://127.0.0.1:PORT``)."""

    def __init__(self, proc: asyncio.subprocess.Process, name: str) -> None:
        super().__init__(name)
        self.proc = proc
        self.log: list[str] = []
        self._ids = itertools.count(1)
        self._waiting: dict[int, asyncio.Future[dict[str, Any]]] = {}
        self._reader = asyncio.create_task(self._read())

    @classmethod
    async def start(
        cls, sdkappid: int, proxy: str, *, module: str = CHAT, name: str = ""
    ) -> NodeSdk:
        node = shutil.which("node")
        assert node, "node is required for the Web SDK tests (Node 20, --experimental-websocket)"
        package = module.split("/", 1)[0] if not module.startswith("@") else module
        assert (WEBSDK_DIR / "node_modules" / package).exists(), (
            f"{module} is not installed in tests/websdk: run scripts/install-dev.sh"
        )
        proc = await asyncio.create_subprocess_exec(
            node,
            "--experimental-websocket",
            "--no-warnings",
            str(WEBSDK_DIR / "node_runner.js"),
            module,
            str(sdkappid),
            proxy,
            cwd=WEBSDK_DIR,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
            limit=16 * 1024 * 1024,
        )
        sdk = cls(proc, name or module)
        await sdk.wait_event("__started", wait=20)
        return sdk

    async def _read(self) -> None:
        assert self.proc.stdout is not None
        while True:
            line = await self.proc.stdout.readline()
            if not line:
                break
            try:
                message = orjson.loads(line)
            except orjson.JSONDecodeError:
                self.log.append(line.decode(errors="replace").rstrip())
                continue
            if not isinstance(message, dict):
                self.log.append(line.decode(errors="replace").rstrip())
            elif "id" in message:
                future = self._waiting.pop(message["id"], None)
                if future is not None and not future.done():
                    future.set_result(message["result"])
            else:
                self.add_event(message["event"], message.get("data"))
        for future in self._waiting.values():
            if not future.done():
                future.set_exception(AssertionError(f"{self.name}: node exited: {self.log[-20:]}"))

    async def run(self, method: str, *args: Any, wait: float = 30) -> dict[str, Any]:
        """``chat[method](*args)``: ``{"ok": true, "data"}`` or ``{"ok": false, "code", ...}``."""
        assert self.proc.stdin is not None
        call_id = next(self._ids)
        future: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self._waiting[call_id] = future
        self.proc.stdin.write(orjson.dumps({"id": call_id, "method": method, "args": args}) + b"\n")
        await self.proc.stdin.drain()
        try:
            return await asyncio.wait_for(future, wait)
        except TimeoutError:
            raise AssertionError(f"{self.name}: {method} did not answer in {wait} s") from None

    async def close(self) -> None:
        if self.proc.returncode is None:
            if self.proc.stdin is not None:
                self.proc.stdin.close()
            try:
                await asyncio.wait_for(self.proc.wait(), 5)
            except TimeoutError:
                self.proc.kill()
                await self.proc.wait()
        await self._reader
