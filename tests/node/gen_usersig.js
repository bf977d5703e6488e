// Prints a UserSig made by the official Node port: node gen_usersig.js SDKAPPID KEY USERID EXPIRE
const TLSSigAPIv2 = require("tls-sig-api-v2");
const [sdkappid, key, userid, expire] = process.argv.slice(2);
const api = new TLSSigAPIv2.Api(Number(sdkappid), key);
process.stdout.write(api.genSig(userid, Number(expire)));
