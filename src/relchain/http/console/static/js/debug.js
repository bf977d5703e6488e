// The REST API debugging tool: pick an API, edit its body (pre-filled with the documented
// sample), send it with a UserSig made for you, read the answer with its codes explained, copy
// the curl line. Past requests stay in this tab (sessionStorage).
import { useRef, useState } from 'preact/hooks';
import { boot, CopyButton, formatTime, html, Note } from './ui.js';
import { curlLine, explain, send } from './rest.js';

const HISTORY_KEY = `relchain-console-history-${boot.sdkappid}`;
const HISTORY_SIZE = 30;
const KEEP_TEXT = 20000;

function loadHistory() {
  try {
    return JSON.parse(sessionStorage.getItem(HISTORY_KEY)) || [];
  } catch {
    return [];
  }
}

function saveHistory(items) {
  try {
    sessionStorage.setItem(HISTORY_KEY, JSON.stringify(items));
  } catch {
    // storage full or off: the history lives in the page only
  }
}

const SERVICES = [...new Set(boot.apis.map((a) => a.path.split('/')[0]))];
const SAMPLES = Object.fromEntries(boot.apis.map((a) => [a.path, a.sample]));

export function DebugView({ path: wanted }) {
  const [path, setPath] = useState(SAMPLES[wanted] ? wanted : boot.apis[0].path);
  const [body, setBody] = useState(SAMPLES[path]);
  const [result, setResult] = useState(null);
  const [busy, setBusy] = useState(false);
  const [note, setNote] = useState(null);
  const [history, setHistory] = useState(loadHistory);
  const heading = useRef(null);

  const choose = (next) => {
    setPath(next);
    setBody(SAMPLES[next]);
    setResult(null);
    setNote(null);
  };

  const run = async (event) => {
    event?.preventDefault();
    setBusy(true);
    setResult(null);
    setNote(null);
    try {
      const done = await send(path, body);
      setResult(done);
      const entry = {
        at: Date.now() / 1000,
        path,
        body,
        code: done.data ? done.data.ErrorCode : null,
        ms: done.ms,
        text: done.text.slice(0, KEEP_TEXT),
      };
      const items = [entry, ...history].slice(0, HISTORY_SIZE);
      setHistory(items);
      saveHistory(items);
    } catch (err) {
      setNote({ kind: 'error', text: `The request did not reach relchain: ${err.message}` });
    } finally {
      setBusy(false);
    }
  };

  const restore = (entry) => {
    setPath(entry.path);
    setBody(entry.body);
    setResult(null);
    setNote({ kind: 'info', text: `Restored the request of ${formatTime(entry.at)}: send it again.` });
    heading.current?.focus();
  };

  const clear = () => {
    setHistory([]);
    saveHistory([]);
  };

  const onKey = (e) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) run(e);
  };

  let formatted = null;
  try {
    formatted = JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    formatted = null; // lenient JSON (trailing commas): relchain accepts it, JSON.parse does not
  }

  return html`<section aria-labelledby="debug-title">
    <h1 id="debug-title" tabindex="-1" ref=${heading}>REST API debugging tool</h1>
    <p class="muted">Every request is a real call of the public API, signed as <strong>${boot.admin}</strong> with a UserSig made for this session.</p>
    <div class="split">
      <form class="panel" onSubmit=${run}>
        <label for="api">API</label>
        <select id="api" value=${path} onChange=${(e) => choose(e.currentTarget.value)}>
          ${SERVICES.map((service) => html`<optgroup label=${service}>
            ${boot.apis.filter((a) => a.path.startsWith(service + '/')).map((a) => html`<option value=${a.path}>${a.path}</option>`)}
          </optgroup>`)}
        </select>
        <p class="mono small break">POST /v4/${path}?sdkappid=${boot.sdkappid}&identifier=${boot.admin}&usersig=…&random=…&contenttype=json</p>
        <p class="small muted">UserSig of ${boot.admin}, valid until ${formatTime(boot.expiresAt)} ${' '}
          <${CopyButton} text=${boot.usersig} label="Copy UserSig" /></p>
        <label for="body">Request body <span class="muted small">(Ctrl+Enter sends)</span></label>
        <textarea id="body" class="mono" rows="10" spellcheck="false" value=${body}
          onInput=${(e) => setBody(e.currentTarget.value)} onKeyDown=${onKey}></textarea>
        <div class="buttons">
          <button type="submit" disabled=${busy}>${busy ? 'Sending…' : 'Send'}</button>
          <button type="button" class="secondary" onClick=${() => setBody(SAMPLES[path])}>Reset to the documented sample</button>
          <button type="button" class="secondary" disabled=${formatted === null} onClick=${() => setBody(formatted)}>Format</button>
        </div>
        <${Note} note=${note} />
      </form>
      <${Answer} result=${result} />
    </div>
    <${History} items=${history} onRestore=${restore} onClear=${clear} />
  </section>`;
}

function Answer({ result }) {
  if (!result) {
    return html`<section class="panel" aria-label="Response"><h2>Response</h2><p class="muted">Send a request to see its answer here.</p></section>`;
  }
  const curl = curlLine(result.url, result.bodyText);
  const codes = result.data ? explain(result.data) : [];
  const ok = result.data && result.data.ErrorCode === 0;
  return html`<section class="panel" aria-labelledby="response-title" aria-live="polite">
    <h2 id="response-title">Response</h2>
    <p class="response-line">
      <span class=${'badge ' + (ok ? 'ok' : 'fail')} data-testid="error-code">ErrorCode ${result.data ? result.data.ErrorCode : '-'}</span>
      <span class="muted">HTTP ${result.status} · ${result.ms} ms</span>
    </p>
    <dl class="codes">
      ${codes.map((c) => html`<div>
        <dt><code>${c.where}</code> <strong>${c.code}</strong></dt>
        <dd><span data-testid="meaning">${c.meaning}</span>
          ${c.info ? html`<br /><span class="muted">ErrorInfo: ${c.info}</span>` : null}
          ${c.accounts ? html`<br /><span class="muted">items: ${c.accounts.join(', ')}</span>` : null}</dd>
      </div>`)}
    </dl>
    <pre class="json" tabindex="0" aria-label="Response body">${result.data ? JSON.stringify(result.data, null, 2) : result.text}</pre>
    <h3>Repeat it with curl</h3>
    <pre class="curl" tabindex="0" aria-label="curl command" data-testid="curl">${curl}</pre>
    <${CopyButton} text=${curl} label="Copy curl" />
  </section>`;
}

function History({ items, onRestore, onClear }) {
  return html`<section class="panel" aria-labelledby="history-title">
    <h2><span id="history-title">History</span> <span class="muted small">(this tab)</span></h2>
    ${items.length
      ? html`<ol class="history">
          ${items.map((e) => html`<li>
            <button type="button" class="link" onClick=${() => onRestore(e)}>
              <span class="mono">${e.path}</span>
              <span class=${'badge ' + (e.code === 0 ? 'ok' : 'fail')}>${e.code ?? '?'}</span>
              <span class="muted small">${formatTime(e.at)} · ${e.ms} ms</span>
            </button>
          </li>`)}
        </ol>
        <button type="button" class="secondary small" onClick=${onClear}>Clear history</button>`
      : html`<p class="muted">No request sent yet.</p>`}
  </section>`;
}
