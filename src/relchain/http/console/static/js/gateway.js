// Acting as one user on relchain's user gateway (the Web SDK's WebSocket protocol, JSON frames
// on /info), for what the REST API has no call for: pending friend requests. The console asks
// the server for a short UserSig of that user, logs in, runs the commands, and closes.
import { boot } from './ui.js';
import { consolePost } from './server.js';

class Socket {
  constructor(url) {
    this.ws = new WebSocket(url);
    this.seq = 0;
    this.waiting = new Map();
    this.opened = new Promise((resolve, reject) => {
      this.ws.onopen = resolve;
      this.ws.onerror = () => reject(new Error('the user gateway did not answer'));
    });
    this.ws.onmessage = (message) => {
      const frame = JSON.parse(message.data);
      const done = this.waiting.get(frame.head?.seq);
      if (done) {
        this.waiting.delete(frame.head.seq);
        done(frame.body);
      }
    };
  }

  // One request frame; the reply's body (the REST envelope), or an Error when ErrorCode != 0.
  async send(servcmd, head, body) {
    await this.opened;
    const seq = ++this.seq;
    const reply = new Promise((resolve) => this.waiting.set(seq, resolve));
    this.ws.send(JSON.stringify({ head: { ver: 'v4', platform: 7, sdkappid: String(boot.sdkappid), contenttype: 'json', servcmd, seq, ...head }, body }));
    const data = await reply;
    if (data.ErrorCode !== 0) throw new Error(`${servcmd}: ${data.ErrorCode} ${data.ErrorInfo}`);
    return data;
  }
}

// Runs `work(call)` logged in as `user`, where `call(servcmd, body)` sends one command.
export async function asUser(user, work) {
  const { usersig } = await consolePost('usersig', { user });
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const socket = new Socket(`${scheme}//${location.host}/info?sdkappid=${boot.sdkappid}&platform=7`);
  try {
    const login = await socket.send('im_open_status.wslogin', { identifier: user, usersig }, {});
    const head = { a2: login.A2Key, tinyid: login.TinyId };
    return await work((servcmd, body) => socket.send(servcmd, head, { ...body, From_Account: user }));
  } finally {
    socket.ws.close();
  }
}
