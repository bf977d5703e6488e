// One instance of Tencent's Web SDK, driven by a test. Shared by the Node runner (node_runner.js)
// and the browser page (browser.html): `createDriver(SDK, options, emit)` creates the SDK with
// `proxyServer` set and reports every SDK event through `emit({event, data})`; `run(method, args)`
// calls `chat[method](...args)` and resolves {ok, data} or {ok: false, code, message, data}.
(function (root) {
  function plain(value) {
    // SDK objects are plain data with class prototypes; JSON keeps what a test compares.
    try {
      return JSON.parse(JSON.stringify(value === undefined ? null : value));
    } catch (e) {
      return String(value);
    }
  }

  function createDriver(SDK, options, emit) {
    const chat = SDK.create(options);
    chat.setLogLevel(options.logLevel === undefined ? 4 : options.logLevel);
    Object.keys(SDK.EVENT).forEach(function (name) {
      chat.on(SDK.EVENT[name], function (event) {
        emit({ event: name, data: plain(event && event.data) });
      });
    });
    return {
      chat: chat,
      run: async function (method, args) {
        if (method === "__eval") {
          // a small expression over `chat` and `SDK` (e.g. constants); tests only
          return { ok: true, data: plain(new Function("chat", "SDK", "return (" + args[0] + ")")(chat, SDK)) };
        }
        if (typeof chat[method] !== "function") {
          return { ok: false, code: -1, message: "no SDK method " + method };
        }
        try {
          const result = await chat[method].apply(chat, args || []);
          return { ok: true, data: plain(result && result.data !== undefined ? result.data : result) };
        } catch (error) {
          return {
            ok: false,
            code: error && error.code,
            message: error && error.message,
            data: plain(error && error.data),
          };
        }
      },
    };
  }

  if (typeof module !== "undefined" && module.exports) {
    module.exports = { createDriver: createDriver };
  } else {
    root.createDriver = createDriver;
  }
})(typeof globalThis !== "undefined" ? globalThis : this);
