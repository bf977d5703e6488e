// Webhook deliveries of the app: how many are pending, delivered, failed and dead per
// CallbackCommand, the last answer of the failed ones, and retrying them (as
// `relchain webhooks status` and `relchain webhooks retry [--dead]` do).
import { useEffect, useState } from 'preact/hooks';
import { html, Note, Table } from './ui.js';
import { adminUrl } from './rest.js';

const STATES = ['pending', 'delivered', 'failed', 'dead'];

async function admin(method, path, query = {}) {
  const response = await fetch(adminUrl(path, query), { method, credentials: 'omit' });
  const data = await response.json();
  if (data.ErrorCode !== 0) throw new Error(`${data.ErrorCode}: ${data.ErrorInfo}`);
  return data;
}

export function Webhooks() {
  const [status, setStatus] = useState(null);
  const [note, setNote] = useState(null);
  const [busy, setBusy] = useState(false);

  const load = () => admin('GET', 'admin/webhooks/status')
    .then(setStatus)
    .catch((err) => setNote({ kind: 'error', text: err.message }));

  useEffect(() => {
    load();
    const timer = setInterval(load, 5000);
    return () => clearInterval(timer);
  }, []);

  const retry = async (dead) => {
    setBusy(true);
    try {
      const data = await admin('POST', 'admin/webhooks/retry', dead ? { dead: '1' } : {});
      setNote({ kind: 'ok', text: `${data.retried} deliveries queued again.` });
      await load();
    } catch (err) {
      setNote({ kind: 'error', text: err.message });
    } finally {
      setBusy(false);
    }
  };

  if (!status) return html`<section class="panel" aria-labelledby="hooks-title"><h2 id="hooks-title">Webhook deliveries</h2>
    <${Note} note=${note} /><p class="muted">Loading…</p></section>`;
  const rows = Object.entries(status.commands).map(([command, counts]) => [html`<span class="mono">${command}</span>`, ...STATES.map((s) => counts[s] ?? 0)]);
  const failures = status.failures.map((f) => [
    html`<span class="mono">${f.event_id}</span>`, html`<span class="mono">${f.command}</span>`,
    f.state, f.attempts, html`<span class="mono small">${f.last_answer}</span>`,
  ]);
  return html`<section class="panel" aria-labelledby="hooks-title" data-webhooks>
    <h2 id="hooks-title">Webhook deliveries</h2>
    <p class="muted small">${status.callback_url ? html`To <span class="mono">${status.callback_url}</span>` : 'No callback_url set: webhooks are off (Settings).'}</p>
    <${Table} caption="Deliveries per command" head=${['Command', ...STATES]} rows=${rows} empty="No deliveries yet." />
    <h3>Failed and dead</h3>
    <${Table} caption="Failed deliveries" head=${['Event', 'Command', 'State', 'Attempts', 'Last answer']} rows=${failures} empty="None." />
    <div class="row">
      <button type="button" disabled=${busy} onClick=${() => retry(false)}>Retry failed</button>
      <button type="button" class="secondary" disabled=${busy} onClick=${() => retry(true)}>Retry dead too</button>
    </div>
    <${Note} note=${note} />
  </section>`;
}
