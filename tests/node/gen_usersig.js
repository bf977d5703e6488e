// Prints a UserSig made by the official Node port:
//   node gen_usersig.js SDKAPPID KEY USERID EXPIRE [USERBUF | --room ROOMID]
// USERBUF (text) makes genSig sign a user buffer (the Node form of gen_sig_with_userbuf);
// --room ROOMID makes a TRTC privateMapKey (genPrivateMapKey, a generated user buffer).
const TLSSigAPIv2 = require("tls-sig-api-v2");
const [sdkappid, key, userid, expire, extra, room] = process.argv.slice(2);
const api = new TLSSigAPIv2.Api(Number(sdkappid), key);
if (extra === "--room") {
  process.stdout.write(api.genPrivateMapKey(userid, Number(expire), Number(room), 255));
} else if (extra !== undefined) {
  process.stdout.write(api.genSig(userid, Number(expire), Buffer.from(extra, "utf8")));
} else {
  process.stdout.write(api.genSig(userid, Number(expire)));
}
