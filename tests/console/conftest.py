"""Fixtures of the console tests: a real ``relchain serve`` with a known app, a REST client to
seed data, and Debian's Chromium driven by Playwright (a test fails, never skips, when the
browser cannot run)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from relchain.auth.usersig import generate_usersig
from tests.processes import ServeProcess, relchain

SDKAPPID = 1400000777
KEY = "console-test-key-0123456789abcdef"
ADMIN = "administrator"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "build" / "console-screenshots"


class Console:
    """A running ``relchain serve`` whose database holds the test app."""

    def __init__(self, tmp: Path) -> None:
        self.database = f"sqlite:///{tmp / 'console.db'}"
        relchain(
            "app", "create", "--sdkappid", str(SDKAPPID), "--key", KEY, "--admin", ADMIN,
            "--database", self.database,
        )  # fmt: skip
        self.server = ServeProcess(self.database)
        self.server.wait_ready()
        self.url = self.server.url

    def rest(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        """One signed REST call (to seed and check data); asserts it succeeded."""
        sig = generate_usersig(KEY, SDKAPPID, ADMIN, 3600, int(time.time()))
        query = {"sdkappid": SDKAPPID, "identifier": ADMIN, "usersig": sig, "random": 1}
        data: dict[str, Any] = httpx.post(
            f"{self.url}/v4/{path}", params=query, json=body, timeout=10
        ).json()
        assert data["ErrorCode"] == 0, data
        return data


@pytest.fixture(scope="module")
def console(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Console]:
    running = Console(tmp_path_factory.mktemp("console"))
    yield running
    running.server.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Chromium for one test module: Playwright's sync API keeps an event loop running in this
    thread while it is open, which the async tests of other modules must not meet."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield launched
        launched.close()


@pytest.fixture
def screenshots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
