"""Real `relchain` processes for end-to-end tests: the CLI, and `relchain serve` on a free port."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable

import httpx


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def relchain(*args: str) -> str:
    """Run ``relchain ARGS`` (``python -m relchain``), assert it succeeded, return its stdout."""
    done = subprocess.run(
        [sys.executable, "-m", "relchain", *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def create_app(database: str, sdkappid: int, key: str, admin: str, **settings: str) -> None:
    """``relchain app create`` of that app on ``database``, then ``relchain app set`` of each
    setting given."""
    relchain(
        "app", "create", "--sdkappid", str(sdkappid), "--key", key, "--admin", admin,
        "--database", database,
    )  # fmt: skip
    for name, value in settings.items():
        relchain("app", "set", str(sdkappid), name, value, "--database", database)


class ServeProcess:
    """``relchain serve --database DATABASE EXTRA...`` on a free port; :meth:`stop` ends it and
    returns everything it printed.

    A thread reads the server's output as it comes: a server whose log pipe nobody reads blocks
    on its next write once the pipe is full (64 KiB: a few hundred access lines) and stops
    answering, which is what a test would then measure."""

    def __init__(
        self,
        database: str,
        *extra: str,
        preexec_fn: Callable[[], None] | None = None,
        env: dict[str, str] | None = None,
    ) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "relchain",
                "serve",
                "--port",
                str(self.port),
                "--database",
                database,
                *extra,
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            preexec_fn=preexec_fn,  # noqa: PLW1509  (sets a resource limit, nothing else)
            env=None if env is None else {**os.environ, **env},
        )
        self._lines: list[str] = []
        self._printed = threading.Condition()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            with self._printed:
                self._lines.append(line)
                self._printed.notify_all()

    @property
    def output(self) -> str:
        """Everything printed so far."""
        with self._printed:
            return "".join(self._lines)

    def wait_for(self, text: str, timeout: float = 10) -> str:
        """Everything printed once ``text`` was (``AssertionError`` after ``timeout`` s)."""
        deadline = time.monotonic() + timeout
        with self._printed:
            while text not in "".join(self._lines):
                left = deadline - time.monotonic()
                if left <= 0 or not self._reader.is_alive():
                    raise AssertionError(f"{text!r} not printed: {''.join(self._lines)}")
                self._printed.wait(left)
            return "".join(self._lines)

    def wait_ready(self, deadline: float | None = None) -> ServeProcess:
        """Wait until ``/healthz`` answers (by ``deadline``, a ``time.monotonic()``; 30 s)."""
        deadline = deadline if deadline is not None else time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                httpx.get(f"{self.url}/healthz", timeout=1)
                return self
            except httpx.TransportError:
                assert self.proc.poll() is None, self.stop()
                time.sleep(0.1)
        raise AssertionError(f"server did not start: {self.stop()}")

    def stop(self) -> str:
        """End the process (if it still runs) and return everything it printed."""
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._reader.join(timeout=10)
        if self.proc.stdout is not None:
            self.proc.stdout.close()
        return self.output

    def report(self, access_tail: int = 40) -> str:
        """End the process and return what a failing test should show: every line but the
        access lines (warnings, errors and their tracebacks, however early they came), then
        the last ``access_tail`` access lines. A test that keeps only the tail of the output
        loses the traceback of an early error behind thousands of access lines."""
        lines = self.stop().splitlines()
        access = [line for line in lines if " relchain.access " in line]
        other = [line for line in lines if " relchain.access " not in line]
        skipped = f"... {len(access)} access lines, the last {access_tail}:"
        return "\n".join([*other, skipped, *access[-access_tail:]])
