// An account's lists, each read page by page with the API's own paging: follow_get cursors,
// friend_get and black_list_get start indexes, group_get.
import { useEffect, useState } from 'preact/hooks';
import { formatTime, go, html, Note, Table } from './ui.js';
import { call, outcome } from './rest.js';

const FOLLOW_TYPES = [
  [1, 'Followers'],
  [2, 'Following'],
  [3, 'Mutual'],
];
const PAGE_SIZES = [10, 20, 50, 100];

function Account({ id }) {
  return html`<button type="button" class="link" onClick=${() => go('users', id)}>${id}</button>`;
}

// Runs one REST call for a row and reports the outcome; `onChanged` refreshes the user page.
function useRowAction(onChanged) {
  const [note, setNote] = useState(null);
  const run = async (label, path, body) => {
    try {
      const result = outcome(await call(path, body));
      setNote({ ...result, text: `${label}: ${result.text}` });
      onChanged();
    } catch (err) {
      setNote({ kind: 'error', text: err.message });
    }
  };
  return [note, run];
}

// The pages of a list that the API reads from a start value (a cursor or an index), each page
// naming the start of the next one. `load(start)` reads one page; `deps` re-read the current one.
function usePages(first, load, deps) {
  const [starts, setStarts] = useState([first]);
  const [index, setIndex] = useState(0);
  const [page, setPage] = useState(null);
  const [error, setError] = useState(null);
  useEffect(() => {
    let live = true;
    load(starts[index])
      .then((data) => live && (setPage({ ...data, index }), setError(null)))
      .catch((err) => live && setError(err.message));
    return () => { live = false; };
  }, [index, ...deps]);
  return {
    page,
    error,
    previous: () => setIndex(index - 1),
    next: (start) => {
      setStarts([...starts.slice(0, index + 1), start]);
      setIndex(index + 1);
    },
    restart: () => {
      setStarts([first]);
      setIndex(0);
    },
  };
}

// Previous / next buttons and the number of the page shown (once it is loaded).
function Pager({ pages, nextStart, children }) {
  const { page } = pages;
  return html`<div class="pager">
    <button type="button" class="secondary" disabled=${!page || page.index === 0} onClick=${pages.previous}>Previous page</button>
    <span aria-live="polite" data-testid="page-number">${page ? `Page ${page.index + 1}` : ''}</span>
    <button type="button" class="secondary" disabled=${!page || !nextStart} onClick=${() => pages.next(nextStart)}>Next page</button>
    ${children}
  </div>`;
}

export function FollowLists({ user, version, onChanged }) {
  const [type, setType] = useState(1);
  return html`<section class="panel wide" aria-labelledby="follows-title">
    <h3 id="follows-title">Follows</h3>
    <div class="toggle" role="group" aria-label="Which list">
      ${FOLLOW_TYPES.map(([t, label]) => html`<button type="button" aria-pressed=${type === t ? 'true' : 'false'}
        onClick=${() => setType(t)}>${label}</button>`)}
    </div>
    <${FollowPages} key=${type} user=${user} type=${type} version=${version} onChanged=${onChanged} />
  </section>`;
}

function FollowPages({ user, type, version, onChanged }) {
  const [size, setSize] = useState(20);
  const [note, run] = useRowAction(onChanged);
  const label = FOLLOW_TYPES[type - 1][1];
  const pages = usePages(
    '',
    (cursor) => call('follow/follow_get', { From_Account: user, FollowType: type, StartCursor: cursor, WantNum: size }),
    [user, type, size, version],
  );
  const { page, error } = pages;
  const resize = (e) => {
    setSize(Number(e.currentTarget.value));
    pages.restart();
  };
  const rowAction = (id) => {
    if (type === 2) return html`<button type="button" class="small secondary" onClick=${() => run(`${user} unfollows ${id}`, 'follow/follow_delete', { From_Account: user, To_Account: [id] })}>Unfollow</button>`;
    if (type === 1) return html`<button type="button" class="small secondary" onClick=${() => run(`${id} unfollows ${user}`, 'follow/follow_delete', { From_Account: id, To_Account: [user] })}>Remove follower</button>`;
    return '';
  };

  return html`<div data-testid=${'follow-list-' + type}>
    ${error ? html`<p class="note error" role="alert">${error}</p>` : null}
    ${page ? html`<${Table} caption=${label} head=${['account', 'since', '']}
      rows=${page.FollowItem.map((i) => [html`<${Account} id=${i.To_Account} />`, formatTime(i.FollowTime), rowAction(i.To_Account)])}
      empty=${`No ${label.toLowerCase()}.`} />` : html`<p class="muted">Loading…</p>`}
    <${Pager} pages=${pages} nextStart=${page?.NextCursor}>
      <label class="inline small">per page
        <select value=${size} onChange=${resize}>${PAGE_SIZES.map((n) => html`<option value=${n}>${n}</option>`)}</select>
      </label>
    <//>
    <${Note} note=${note} />
  </div>`;
}

function groupsOf(values) {
  return values.Tag_SNS_IM_Group || [];
}

export function Friends({ user, version, onChanged }) {
  const [editing, setEditing] = useState(null);
  const [note, run] = useRowAction(onChanged);
  const pages = usePages(
    0,
    (start) => call('sns/friend_get', { From_Account: user, StartIndex: start, StandardSequence: 0, CustomSequence: 0 }),
    [user, version],
  );
  const { page, error } = pages;

  const rows = (page?.UserDataItem || []).map((item) => {
    const values = Object.fromEntries(item.ValueItem.map((v) => [v.Tag, v.Value]));
    const id = item.To_Account;
    return [
      html`<${Account} id=${id} />`,
      values.Tag_SNS_IM_Remark || '',
      groupsOf(values).join(', '),
      formatTime(values.Tag_SNS_IM_AddTime),
      html`<button type="button" class="small secondary" onClick=${() => setEditing({ id, remark: values.Tag_SNS_IM_Remark || '', groups: groupsOf(values).join(', ') })}>Edit</button>
        <button type="button" class="small secondary" onClick=${() => run(`${user} deletes friend ${id}`, 'sns/friend_delete', { From_Account: user, To_Account: [id], DeleteType: 'Delete_Type_Both' })}>Delete</button>`,
    ];
  });

  return html`<section class="panel wide" aria-labelledby="friends-title">
    <h3><span id="friends-title">Friends</span> ${page ? html`<span class="muted small">(${page.FriendNum})</span>` : null}</h3>
    ${error ? html`<p class="note error" role="alert">${error}</p>` : null}
    <${Table} caption="Friends" head=${['friend', 'remark', 'lists', 'added', '']} rows=${rows} empty="No friends." />
    ${editing ? html`<${FriendEditor} user=${user} friend=${editing} onDone=${(changed) => { setEditing(null); if (changed) onChanged(); }} />` : null}
    <${Pager} pages=${pages} nextStart=${page && page.CompleteFlag !== 1 ? page.NextStartIndex : 0} />
    <${Note} note=${note} />
  </section>`;
}

function FriendEditor({ user, friend, onDone }) {
  const [remark, setRemark] = useState(friend.remark);
  const [groups, setGroups] = useState(friend.groups);
  const [note, setNote] = useState(null);
  const save = async (e) => {
    e.preventDefault();
    const lists = groups.split(',').map((g) => g.trim()).filter(Boolean);
    try {
      const result = outcome(await call('sns/friend_update', {
        From_Account: user,
        UpdateItem: [{ To_Account: friend.id, SnsItem: [
          { Tag: 'Tag_SNS_IM_Remark', Value: remark },
          { Tag: 'Tag_SNS_IM_Group', Value: lists },
        ] }],
      }));
      if (result.kind === 'error') setNote(result);
      else onDone(true);
    } catch (err) {
      setNote({ kind: 'error', text: err.message });
    }
  };
  return html`<form onSubmit=${save} aria-label=${`Edit friend ${friend.id}`}>
    <label for="friend-remark">Remark for ${friend.id}</label>
    <input id="friend-remark" value=${remark} onInput=${(e) => setRemark(e.currentTarget.value)} />
    <label for="friend-groups">Friend lists (comma-separated)</label>
    <input id="friend-groups" value=${groups} onInput=${(e) => setGroups(e.currentTarget.value)} />
    <div class="buttons">
      <button type="submit">Save friend</button>
      <button type="button" class="secondary" onClick=${() => onDone(false)}>Cancel</button>
    </div>
    <${Note} note=${note} />
  </form>`;
}

export function BlockList({ user, version, onChanged }) {
  const [note, run] = useRowAction(onChanged);
  const pages = usePages(
    0,
    (start) => call('sns/black_list_get', { From_Account: user, StartIndex: start, MaxLimited: 50, LastSequence: 0 }),
    [user, version],
  );
  const { page, error } = pages;
  const rows = (page?.BlackListItem || []).map((item) => [
    html`<${Account} id=${item.To_Account} />`,
    formatTime(item.AddBlackTimeStamp),
    html`<button type="button" class="small secondary" onClick=${() => run(`${user} unblocks ${item.To_Account}`, 'sns/black_list_delete', { From_Account: user, To_Account: [item.To_Account] })}>Unblock</button>`,
  ]);
  return html`<section class="panel" aria-labelledby="blocklist-title">
    <h3 id="blocklist-title">Blocklist</h3>
    ${error ? html`<p class="note error" role="alert">${error}</p>` : null}
    <${Table} caption="Blocklist" head=${['account', 'blocked', '']} rows=${rows} empty="Nobody blocked." />
    <${Pager} pages=${pages} nextStart=${page?.StartIndex} />
    <${Note} note=${note} />
  </section>`;
}

export function FriendGroups({ user, version, onChanged }) {
  const [lists, setLists] = useState(null);
  const [error, setError] = useState(null);
  const [name, setName] = useState('');
  const [note, run] = useRowAction(onChanged);
  useEffect(() => {
    call('sns/group_get', { From_Account: user, NeedFriend: 'Need_Friend_Type_Yes' })
      .then((data) => (setLists(data.ResultItem || []), setError(null)))
      .catch((err) => setError(err.message));
  }, [user, version]);
  const create = (e) => {
    e.preventDefault();
    if (!name.trim()) return;
    run(`new list ${name.trim()}`, 'sns/group_add', { From_Account: user, GroupName: [name.trim()] });
    setName('');
  };
  const remove = (list) => run(`delete list ${list}`, 'sns/group_delete', { From_Account: user, GroupName: [list] });
  return html`<section class="panel" aria-labelledby="groups-title">
    <h3 id="groups-title">Friend lists</h3>
    ${error ? html`<p class="note error" role="alert">${error}</p>` : null}
    ${lists ? html`<${Table} caption="Friend lists" head=${['list', 'friends', 'members', '']}
      rows=${lists.map((l) => [l.GroupName, l.FriendNumber, (l.To_Account || []).join(', '),
        html`<button type="button" class="small secondary" aria-label=${`Delete list ${l.GroupName}`} onClick=${() => remove(l.GroupName)}>Delete</button>`])}
      empty="No friend lists." />` : null}
    <form class="row" onSubmit=${create}>
      <label class="visually-hidden" for="new-list">New friend list</label>
      <input id="new-list" placeholder="New list" value=${name} onInput=${(e) => setName(e.currentTarget.value)} />
      <button type="submit" class="secondary">Add list</button>
    </form>
    <${Note} note=${note} />
  </section>`;
}
