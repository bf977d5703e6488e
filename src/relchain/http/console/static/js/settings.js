// The app's per-app settings: each one shown with its meaning and changed on its own, checked by
// the server with the same function as `relchain app set` (its message is shown as is).
import { useState } from 'preact/hooks';
import { boot, html, Note, Prose } from './ui.js';
import { consolePost } from './server.js';

// A setting's value as the text `relchain app set` reads.
export function settingText(value) {
  if (Array.isArray(value)) return value.join(',');
  if (typeof value === 'boolean') return value ? 'on' : 'off';
  if (value && typeof value === 'object') return Object.entries(value).map(([k, v]) => `${k}=${v}`).join(',');
  return String(value);
}

export function SettingsView() {
  const [settings, setSettings] = useState(boot.settings);
  return html`<section aria-labelledby="settings-title">
    <h1 id="settings-title" tabindex="-1">App settings</h1>
    <p class="muted">Settings of app ${boot.sdkappid}, checked as <code>relchain app set ${boot.sdkappid} NAME VALUE</code> checks them.
      Running servers use a change within a few seconds (<code>app_cache_seconds</code>).</p>
    <div class="settings">
      ${Object.entries(boot.docs).map(([name, doc]) => html`<${Setting} key=${name} name=${name} doc=${doc}
        value=${settings[name]} onSaved=${(all) => { boot.settings = all; setSettings(all); }} />`)}
    </div>
  </section>`;
}

function Setting({ name, doc, value, onSaved }) {
  const [text, setText] = useState(settingText(value));
  const [note, setNote] = useState(null);
  const [busy, setBusy] = useState(false);
  const id = `setting-${name}`;
  const save = async (e) => {
    e.preventDefault();
    setBusy(true);
    try {
      const data = await consolePost('settings', { name, value: text });
      setText(settingText(data.settings[name]));
      setNote({ kind: 'ok', text: 'Saved.' });
      onSaved(data.settings);
    } catch (err) {
      setNote({ kind: 'error', text: err.message });
    } finally {
      setBusy(false);
    }
  };
  return html`<form class="setting panel" onSubmit=${save} data-setting=${name}>
    <label for=${id} class="mono">${name}</label>
    <p class="muted small" id=${id + '-doc'}><${Prose} text=${doc} /></p>
    <div class="row">
      <input id=${id} value=${text} aria-describedby=${id + '-doc'} spellcheck="false"
        aria-invalid=${note?.kind === 'error' ? 'true' : undefined}
        onInput=${(e) => setText(e.currentTarget.value)} />
      <button type="submit" disabled=${busy}>Save</button>
    </div>
    <${Note} note=${note} />
  </form>`;
}
