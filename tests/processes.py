"""Real `relchain` processes for end-to-end tests: the CLI, and `relchain serve` on a free port."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
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


class ServeProcess:
    """``relchain serve --database DATABASE EXTRA...`` on a free port; :meth:`stop` ends it and
    returns everything it printed."""

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
        self.output = ""

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
        if self.proc.stdout is None or self.proc.stdout.closed:
            return self.output
        if self.proc.poll() is None:
            self.proc.terminate()
        try:
            out, _ = self.proc.communicate(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            out, _ = self.proc.communicate()
        self.output += out or ""
        return self.output
