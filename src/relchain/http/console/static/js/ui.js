// Small building blocks shared by the console's views.
import { h, render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import htm from 'htm';

export const html = htm.bind(h);
export { render };

// The boot data the server put in the page (session, UserSig, API catalogue, error table).
export const boot = JSON.parse(document.getElementById('boot').textContent);

export function formatTime(seconds) {
  if (!seconds) return '';
  return new Date(seconds * 1000).toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'medium' });
}

// The part of location.hash after "#/", split on "/" (each part URI-decoded).
function readHash() {
  const raw = location.hash.replace(/^#\/?/, '');
  return raw ? raw.split('/').map(decodeURIComponent) : [];
}

export function useRoute() {
  const [route, setRoute] = useState(readHash());
  useEffect(() => {
    const onChange = () => setRoute(readHash());
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}

export function go(...parts) {
  location.hash = '#/' + parts.map(encodeURIComponent).join('/');
}

// A message under a form: role=alert for errors (read out at once), role=status otherwise.
export function Note({ note }) {
  if (!note) return null;
  const role = note.kind === 'error' ? 'alert' : 'status';
  return html`<p class=${'note ' + note.kind} role=${role}>${note.text}</p>`;
}

export function CopyButton({ text, label = 'Copy' }) {
  const [done, setDone] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setDone(true);
      setTimeout(() => setDone(false), 1500);
    } catch {
      setDone(false);
    }
  };
  return html`<button type="button" class="small" onClick=${copy}>${done ? 'Copied' : label}</button>`;
}

// A table that scrolls sideways inside itself on narrow screens instead of widening the page.
export function Table({ caption, head, rows, empty = 'Nothing here.' }) {
  if (!rows.length) return html`<p class="muted">${empty}</p>`;
  return html`<div class="table-wrap" role="region" aria-label=${caption + " table"} tabindex="0">
    <table>
      <caption class="visually-hidden">${caption}</caption>
      <thead><tr>${head.map((c) => html`<th scope="col">${c}</th>`)}</tr></thead>
      <tbody>${rows.map((r) => html`<tr>${r.map((c) => html`<td>${c}</td>`)}</tr>`)}</tbody>
    </table>
  </div>`;
}

// A value and a setter for a form field bound with onInput.
export function useField(initial = '') {
  const [value, setValue] = useState(initial);
  return [value, (e) => setValue(e.currentTarget.value), setValue];
}

// Text with `code` spans (as the settings' docs are written), without any HTML from the text.
export function Prose({ text }) {
  return text.split('`').map((part, i) => (i % 2 ? html`<code>${part}</code>` : part));
}
