// The user explorer: find an account, then see and change its relationship chain, all through
// the public REST API.
import { useEffect, useRef, useState } from 'preact/hooks';
import { go, html, Note, useField } from './ui.js';
import { call, outcome, RestError } from './rest.js';
import { Profile } from './profile.js';
import { BlockList, FollowLists, FriendGroups, Friends } from './lists.js';
import { FriendRequests } from './requests.js';
import { useEvents } from './live.js';

export function ExplorerView({ user }) {
  const heading = useRef(null);
  return html`<section aria-labelledby="explorer-title">
    <h1 id="explorer-title" tabindex="-1" ref=${heading}>User explorer</h1>
    <${FindAccount} current=${user} />
    ${user ? html`<${UserPage} key=${user} user=${user} />` : html`<p class="muted">Type a UserID to see its profile, follows, friends and blocklist.</p>`}
  </section>`;
}

function FindAccount({ current }) {
  const [value, onInput] = useField(current || '');
  const submit = (e) => {
    e.preventDefault();
    const id = value.trim();
    if (id) go('users', id);
  };
  return html`<form class="find" role="search" onSubmit=${submit}>
    <label for="find-user">UserID</label>
    <input id="find-user" value=${value} onInput=${onInput} required autocomplete="off" spellcheck="false" />
    <button type="submit">Open</button>
  </form>`;
}

function UserPage({ user }) {
  const [state, setState] = useState({ loading: true });
  const [version, setVersion] = useState(0);
  const changed = () => setVersion((v) => v + 1);
  // changes made elsewhere (other users, the REST API, the gateway) reload the page's data
  const pending = useRef(null);
  const stream = useEvents({ account: user }, () => {
    clearTimeout(pending.current);
    pending.current = setTimeout(changed, 250);
  });
  useEffect(() => () => clearTimeout(pending.current), []);

  useEffect(() => {
    let live = true;
    call('im_open_login_svc/account_check', { CheckItem: [{ UserID: user }] })
      .then((data) => live && setState({ exists: data.ResultItem[0].AccountStatus === 'Imported' }))
      .catch((err) => live && setState({ error: err.message }));
    return () => { live = false; };
  }, [user, version]);

  if (state.loading) return html`<p class="muted">Looking up ${user}…</p>`;
  if (state.error) return html`<p class="note error" role="alert">${state.error}</p>`;
  if (!state.exists) return html`<${MissingAccount} user=${user} onImported=${changed} />`;
  return html`<div class="user" data-user=${user} data-stream=${stream}>
    <h2 class="user-title">${user}</h2>
    <${Counts} user=${user} version=${version} />
    <div class="grid">
      <${Actions} user=${user} onChanged=${changed} />
      <${Profile} user=${user} version=${version} onChanged=${changed} />
      <${FollowLists} user=${user} version=${version} onChanged=${changed} />
      <${Friends} user=${user} version=${version} onChanged=${changed} />
      <${FriendRequests} user=${user} version=${version} onChanged=${changed} />
      <${BlockList} user=${user} version=${version} onChanged=${changed} />
      <${FriendGroups} user=${user} version=${version} onChanged=${changed} />
    </div>
  </div>`;
}

function MissingAccount({ user, onImported }) {
  const [note, setNote] = useState(null);
  const importIt = async () => {
    try {
      await call('im_open_login_svc/account_import', { UserID: user });
      onImported();
    } catch (err) {
      setNote({ kind: 'error', text: err.message });
    }
  };
  return html`<div class="panel">
    <p role="status">No account <strong>${user}</strong> in this app.</p>
    <button type="button" onClick=${importIt}>Import ${user}</button>
    <${Note} note=${note} />
  </div>`;
}

function Counts({ user, version }) {
  const [counts, setCounts] = useState(null);
  const [error, setError] = useState(null);
  useEffect(() => {
    call('follow/follow_get_info', { From_Account: user, To_Account: [user] })
      .then((data) => setCounts(data.FollowInfo[0]))
      .catch((err) => setError(err instanceof RestError ? err.message : String(err)));
  }, [user, version]);
  if (error) return html`<p class="note error" role="alert">${error}</p>`;
  if (!counts) return html`<p class="muted">Counting…</p>`;
  return html`<dl class="counts" aria-label="Follow counts" data-testid="counts">
    <div><dt>Followers</dt><dd data-testid="followers-count">${counts.FollowerCount}</dd></div>
    <div><dt>Following</dt><dd data-testid="following-count">${counts.FollowingCount}</dd></div>
    <div><dt>Mutual</dt><dd data-testid="mutual-count">${counts.MutualFollowingCount}</dd></div>
  </dl>`;
}

// What the explorer can do to the account: each button is one REST call.
const ACTIONS = [
  ['follow', 'Follow', (u, o) => ['follow/follow_add', { From_Account: u, FollowItem: [{ To_Account: o }] }]],
  ['unfollow', 'Unfollow', (u, o) => ['follow/follow_delete', { From_Account: u, To_Account: [o] }]],
  ['followed-by', 'Be followed by', (u, o) => ['follow/follow_add', { From_Account: o, FollowItem: [{ To_Account: u }] }]],
  ['block', 'Block', (u, o) => ['sns/black_list_add', { From_Account: u, To_Account: [o] }]],
  ['unblock', 'Unblock', (u, o) => ['sns/black_list_delete', { From_Account: u, To_Account: [o] }]],
  ['request', 'Send friend request', (u, o) => ['sns/friend_add', { From_Account: u, AddFriendItem: [{ To_Account: o, AddSource: 'AddSource_Type_Console' }] }]],
  ['befriend', 'Add as friend', (u, o) => ['sns/friend_add', { From_Account: u, AddFriendItem: [{ To_Account: o, AddSource: 'AddSource_Type_Console' }], ForceAddFlags: 1 }]],
  ['unfriend', 'Delete friend', (u, o) => ['sns/friend_delete', { From_Account: u, To_Account: [o], DeleteType: 'Delete_Type_Both' }]],
];

function Actions({ user, onChanged }) {
  const [other, onInput] = useField('');
  const [note, setNote] = useState(null);
  const act = async (label, make) => {
    const target = other.trim();
    if (!target) {
      setNote({ kind: 'error', text: 'Type the other account first.' });
      return;
    }
    const [path, body] = make(user, target);
    try {
      const data = await call(path, body);
      const result = outcome(data);
      setNote({ ...result, text: `${label} ${target}: ${result.text}` });
      onChanged();
    } catch (err) {
      setNote({ kind: 'error', text: err.message });
    }
  };
  return html`<form class="panel actions" onSubmit=${(e) => e.preventDefault()} aria-labelledby="actions-title">
    <h3 id="actions-title">Act as ${user}</h3>
    <label for="other">Other account</label>
    <input id="other" value=${other} onInput=${onInput} autocomplete="off" spellcheck="false" />
    <div class="buttons">
      ${ACTIONS.map(([id, label, make]) => html`<button type="button" class="secondary" data-action=${id} onClick=${() => act(label, make)}>${label}</button>`)}
    </div>
    <${Note} note=${note} />
  </form>`;
}
