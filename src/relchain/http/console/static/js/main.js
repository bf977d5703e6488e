// The console's page: header, navigation and the view the location's hash names.
import { useEffect, useRef, useState } from 'preact/hooks';
import { boot, formatTime, html, render, useRoute } from './ui.js';
import { DebugView } from './debug.js';
import { ExplorerView } from './explorer.js';
import { LiveView } from './live.js';
import { SettingsView } from './settings.js';

const VIEWS = [
  ['api', 'API tool'],
  ['users', 'Users'],
  ['live', 'Live events'],
  ['settings', 'Settings'],
];

function useExpired() {
  const [expired, setExpired] = useState(false);
  useEffect(() => {
    const check = () => setExpired(Date.now() / 1000 >= boot.expiresAt);
    const timer = setInterval(check, 15000);
    check();
    return () => clearInterval(timer);
  }, []);
  return expired;
}

function Header() {
  return html`<header class="top">
    <p class="brand">relchain console</p>
    <p class="who">app <strong>${boot.sdkappid}</strong> · <strong>${boot.admin}</strong>
      <span class="muted small"> · until ${formatTime(boot.expiresAt)}</span></p>
    <form method="post" action="/console/sign-out" class="sign-out">
      <input type="hidden" name="csrf" value=${boot.csrf} />
      <button type="submit" class="secondary">Sign out</button>
    </form>
  </header>`;
}

function Nav({ current }) {
  return html`<nav aria-label="Console">
    <ul>${VIEWS.map(([id, label]) => html`<li>
      <a href=${'#/' + id} aria-current=${current === id ? 'page' : undefined}>${label}</a>
    </li>`)}</ul>
  </nav>`;
}

function App() {
  const [view = 'api', ...rest] = useRoute();
  const expired = useExpired();
  const main = useRef(null);
  const first = useRef(true);

  useEffect(() => {
    const label = (VIEWS.find(([id]) => id === view) || VIEWS[0])[1];
    document.title = `${label} - relchain console`;
    // after a navigation, move focus to the new view's heading (screen readers announce it)
    if (first.current) first.current = false;
    else main.current?.querySelector('h1')?.focus();
  }, [view]);

  useEffect(() => performance.mark('console-ready'), []);

  let content;
  if (view === 'users') content = html`<${ExplorerView} user=${rest[0]} />`;
  else if (view === 'live') content = html`<${LiveView} />`;
  else if (view === 'settings') content = html`<${SettingsView} />`;
  else content = html`<${DebugView} path=${rest.join('/')} />`;

  return html`<${Header} />
    <${Nav} current=${view} />
    ${expired ? html`<p class="alert" role="alert">Your session has expired. <a href="/console/sign-in">Sign in again</a>.</p>` : null}
    <main id="main" ref=${main}>${content}</main>`;
}

const root = document.getElementById('app');
root.textContent = '';
render(html`<${App} />`, root);
