// The live view: the app's event log streaming in as changes commit (GET /events, the same
// Server-Sent Events stream any admin client reads), filtered by account and kind; and the
// webhook deliveries of the app, with a retry button for failed and dead ones.
import { useEffect, useState } from 'preact/hooks';
import { boot, html, Table, useField } from './ui.js';
import { eventsUrl } from './rest.js';
import { Webhooks } from './webhooks.js';

const KEEP = 200; // events kept on the page, newest first
const BACKLOG = 50; // events of the log shown when the view opens

export const KINDS = [
  'follow.added', 'follow.deleted',
  'friend.added', 'friend.deleted', 'friend.updated',
  'request.created', 'request.accepted', 'request.refused', 'request.deleted', 'request.read',
  'block.added', 'block.deleted',
  'list.created', 'list.deleted', 'list.updated',
  'profile.set', 'account.imported', 'account.deleted',
];

// Subscribes to the event log while mounted: onEvent(event) for each event (oldest first).
// Returns the stream's state: 'connecting', 'live' or 'reconnecting'.
export function useEvents(filter, onEvent, backlog = 0) {
  const [state, setState] = useState('connecting');
  const key = JSON.stringify(filter);
  useEffect(() => {
    setState('connecting');
    const source = new EventSource(eventsUrl({ ...filter, backlog }));
    source.onopen = () => setState('live');
    source.onerror = () => setState(source.readyState === EventSource.CLOSED ? 'closed' : 'reconnecting');
    // each event comes as an SSE event named after its kind
    const handle = (message) => {
      try {
        onEvent(JSON.parse(message.data));
      } catch {
        /* not an event */
      }
    };
    for (const kind of KINDS) source.addEventListener(kind, handle);
    return () => source.close();
  }, [key]);
  return state;
}

function describe(event) {
  const data = event.data || {};
  const parts = [];
  if (data.mutual?.length) parts.push(`mutual: ${data.mutual.join(', ')}`);
  if (data.client_cmd) parts.push(data.client_cmd);
  if (data.names?.length) parts.push(`lists: ${data.names.join(', ')}`);
  if (data.fields?.length) parts.push(data.fields.join(', '));
  if (data.items?.length) parts.push(data.items.map((i) => `${i.Tag}=${JSON.stringify(i.Value)}`).join(', '));
  if (data.direction) parts.push(data.direction);
  return parts.join(' · ');
}

function when(ms) {
  return new Date(ms).toLocaleTimeString(undefined, { hour12: false }) + '.' + String(ms % 1000).padStart(3, '0');
}

export function LiveView() {
  const [account, onAccount] = useField('');
  const [kind, onKind] = useField('');
  const [filter, setFilter] = useState({});
  const [paused, setPaused] = useState(false);
  const [events, setEvents] = useState([]);
  const state = useEvents(
    filter,
    (event) => !paused && setEvents((old) => [event, ...old.filter((e) => e.id !== event.id)].slice(0, KEEP)),
    BACKLOG,
  );

  const apply = (e) => {
    e.preventDefault();
    const next = {};
    if (account.trim()) next.account = account.trim();
    if (kind) next.kind = kind;
    setEvents([]);
    setFilter(next);
  };

  const rows = events.map((e) => [
    html`<span class="mono">${e.id}</span>`,
    when(e.time_ms),
    html`<span class="mono">${e.kind}</span>`,
    html`<a href=${'#/users/' + encodeURIComponent(e.account)}>${e.account}</a>`,
    e.peers.map((p, i) => html`${i ? ', ' : ''}<a href=${'#/users/' + encodeURIComponent(p)}>${p}</a>`),
    describe(e),
    e.origin?.platform || '',
  ]);

  return html`<section aria-labelledby="live-title">
    <h1 id="live-title" tabindex="-1">Live events</h1>
    <p class="muted">App ${boot.sdkappid}'s event log as changes commit (<code>GET /events</code>; also <code>relchain events tail --follow</code>).</p>
    <form class="filters panel" role="search" aria-label="Filter events" onSubmit=${apply}>
      <div class="field">
        <label for="live-account">Account</label>
        <input id="live-account" value=${account} onInput=${onAccount} autocomplete="off" spellcheck="false" placeholder="any" />
      </div>
      <div class="field">
        <label for="live-kind">Kind</label>
        <select id="live-kind" value=${kind} onChange=${onKind}>
          <option value="">any</option>
          ${KINDS.map((k) => html`<option value=${k}>${k}</option>`)}
        </select>
      </div>
      <div class="buttons">
        <button type="submit">Apply</button>
        <button type="button" class="secondary" aria-pressed=${paused ? 'true' : 'false'} onClick=${() => setPaused(!paused)}>${paused ? 'Resume' : 'Pause'}</button>
        <button type="button" class="secondary" onClick=${() => setEvents([])}>Clear</button>
      </div>
    </form>
    <p class="muted small" role="status" data-stream=${state}>Stream: ${state}${paused ? ' (paused)' : ''} · ${events.length} shown</p>
    <div data-live-events>
      <${Table} caption="Events" head=${['Id', 'Time', 'Kind', 'Account', 'Peers', 'Details', 'From']} rows=${rows}
        empty="No events yet: changes appear here as they happen." />
    </div>
    <${Webhooks} />
  </section>`;
}
