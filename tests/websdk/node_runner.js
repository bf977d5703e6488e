// Runs one Web SDK instance in Node for a Python test: JSON lines on stdin are calls
// ({"id", "method", "args"}), JSON lines on stdout are results ({"id", "result"}) and SDK events
// ({"event", "data"}). Run with `node --experimental-websocket` (Node 20 has no global WebSocket).
// argv: SDK module ("@tencentcloud/chat" or "tim-js-sdk/tim-js-friendship.js"), SDKAppID, proxyServer.
"use strict";
const readline = require("readline");
const { createDriver } = require("./driver.js");

const [moduleName, sdkAppID, proxyServer] = process.argv.slice(2);
if (typeof WebSocket === "undefined") {
  process.stderr.write("no global WebSocket: run node with --experimental-websocket\n");
  process.exit(2);
}
const SDK = require(moduleName);

function out(message) {
  process.stdout.write(JSON.stringify(message) + "\n");
}

process.on("unhandledRejection", (reason) => {
  out({ event: "__unhandled", data: { code: reason && reason.code, message: String(reason && reason.message) } });
});

const driver = createDriver(SDK, { SDKAppID: Number(sdkAppID), proxyServer: proxyServer }, out);
out({ event: "__started", data: { version: SDK.VERSION || null } });

const lines = readline.createInterface({ input: process.stdin });
lines.on("line", async (line) => {
  if (!line.trim()) return;
  const call = JSON.parse(line);
  const result = await driver.run(call.method, call.args);
  out({ id: call.id, result: result });
});
lines.on("close", () => process.exit(0));
