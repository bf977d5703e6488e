// Prints TencentCloudChat.EVENT of the real Web SDK as one JSON line (the last line of output;
// the SDK logs its version first): node --experimental-websocket websdk_events.js
const chat = require("@tencentcloud/chat");
const TencentCloudChat = chat.default || chat;
process.stdout.write("\n" + JSON.stringify({ version: TencentCloudChat.VERSION, events: TencentCloudChat.EVENT }) + "\n");
