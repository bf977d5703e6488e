"""Tencent's Web SDK in a real browser: Debian's chromium, headless, driven by Playwright. The
page, the SDK's own ``index.js`` and the driver are served by the test (a small HTTP server on
127.0.0.1: Chromium's Private Network Access rules let only a page of a local origin open a
socket to 127.0.0.1); the SDK connects to the relchain server given as ``proxyServer``.

Chromium is required: a test that cannot start it fails (never skips)."""

from __future__ import annotations

import shutil
import threading
from collections.abc import AsyncIterator, Iterator
from contextlib import ExitStack, asynccontextmanager, contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar

from playwright.async_api import Browser, Page, async_playwright

from tests.gateway.websdk import WEBSDK_DIR, SdkBase

__all__ = ["CHROMIUM", "BrowserSdk", "chromium"]

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]

PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><title>relchain Web SDK test</title>
<script src="/sdk.js"></script><script src="/driver.js"></script></head>
<body><p id="status">loaded</p></body></html>
"""

FILES = {
    "/index.html": ("text/html", PAGE.encode()),
    "/driver.js": ("text/javascript", (WEBSDK_DIR / "driver.js").read_bytes()),
}
SDK_FILES = {
    "@tencentcloud/chat": WEBSDK_DIR / "node_modules/@tencentcloud/chat/index.js",
    "tim-js-sdk/tim-js-friendship.js": WEBSDK_DIR / "node_modules/tim-js-sdk/tim-js-friendship.js",
}
GLOBALS = {"@tencentcloud/chat": "TencentCloudChat", "tim-js-sdk/tim-js-friendship.js": "TIM"}


class _Pages(BaseHTTPRequestHandler):
    files: ClassVar[dict[str, tuple[str, bytes]]] = {}

    def do_GET(self) -> None:
        found = self.files.get(self.path.split("?", 1)[0])
        if found is None:
            self.send_error(404)
            return
        content_type, body = found
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def page_server(module: str) -> Iterator[str]:
    """The test page, the SDK and the driver on http://127.0.0.1:PORT (a thread)."""
    handler = type(
        "Pages",
        (_Pages,),
        {"files": {**FILES, "/sdk.js": ("text/javascript", SDK_FILES[module].read_bytes())}},
    )
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@asynccontextmanager
async def chromium() -> AsyncIterator[Browser]:
    assert shutil.which(CHROMIUM), f"{CHROMIUM} is required: run scripts/install-dev.sh"
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            yield browser
        finally:
            await browser.close()


class BrowserSdk(SdkBase):
    """One SDK instance in a page of ``browser``."""

    def __init__(self, page: Page, name: str) -> None:
        super().__init__(name)
        self.page = page
        self.console: list[str] = []
        self._stack = ExitStack()  # the page server

    @classmethod
    async def start(
        cls,
        browser: Browser,
        sdkappid: int,
        proxy: str,
        *,
        module: str = "@tencentcloud/chat",
        name: str = "",
    ) -> BrowserSdk:
        page = await browser.new_page()
        sdk = cls(page, name or module)
        origin = sdk._stack.enter_context(page_server(module))
        page.on("console", lambda message: sdk.console.append(message.text))
        page.on("pageerror", lambda error: sdk.add_event("__unhandled", {"message": str(error)}))
        await page.expose_function("relchainEmit", lambda m: sdk.add_event(m["event"], m["data"]))
        await page.goto(f"{origin}/index.html")
        await page.evaluate(
            """([global, sdkAppID, proxy]) => {
                window.addEventListener("unhandledrejection", (e) => relchainEmit({
                    event: "__unhandled",
                    data: {code: e.reason && e.reason.code, message: String(e.reason)},
                }));
                const options = {SDKAppID: sdkAppID, proxyServer: proxy};
                window.driver = createDriver(window[global], options, relchainEmit);
                relchainEmit({event: "__started", data: {version: window[global].VERSION || null}});
            }""",
            [GLOBALS[module], sdkappid, proxy],
        )
        await sdk.wait_event("__started")
        return sdk

    async def run(self, method: str, *args: Any, wait: float = 30) -> dict[str, Any]:
        result: dict[str, Any] = await self.page.evaluate(
            "([method, args]) => window.driver.run(method, args)", [method, list(args)]
        )
        return result

    async def close(self) -> None:
        await self.page.close()
        self._stack.close()
