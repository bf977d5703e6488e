// Pending friend requests of an account, both ways, read and answered as that user on the user
// gateway (Tencent's REST API has no call for them): sns.pendency_get and sns.friend_response.
import { useEffect, useState } from 'preact/hooks';
import { formatTime, go, html, Note, Table } from './ui.js';
import { asUser } from './gateway.js';

const COME_IN = 'Pendency_Type_ComeIn';

export function FriendRequests({ user, version, onChanged }) {
  const [items, setItems] = useState(null);
  const [error, setError] = useState(null);
  const [note, setNote] = useState(null);
  useEffect(() => {
    asUser(user, (call) => call('sns.pendency_get', { PendencyType: 'Pendency_Type_Both', StartTime: 0, MaxLimited: 100, LastSequence: 0 }))
      .then((data) => (setItems(data.PendencyItem || []), setError(null)))
      .catch((err) => setError(err.message));
  }, [user, version]);
  const answer = async (from, action, label) => {
    try {
      await asUser(user, (call) => call('sns.friend_response', { ResponseFriendItem: [{ To_Account: from, ResponseAction: action }] }));
      setNote({ kind: 'ok', text: `${label} the request of ${from}.` });
      onChanged();
    } catch (err) {
      setNote({ kind: 'error', text: err.message });
    }
  };
  const rows = (items || []).map((p) => {
    const incoming = p.PendencyType === COME_IN;
    return [
      html`<button type="button" class="link" onClick=${() => go('users', p.To_Account)}>${p.To_Account}</button>`,
      incoming ? 'to this account' : 'from this account',
      p.AddWording || '',
      formatTime(p.AddTime),
      incoming
        ? html`<button type="button" class="small secondary" onClick=${() => answer(p.To_Account, 'Response_Action_AgreeAndAdd', 'Accepted')}>Accept</button>
            <button type="button" class="small secondary" onClick=${() => answer(p.To_Account, 'Response_Action_Reject', 'Refused')}>Refuse</button>`
        : '',
    ];
  });
  return html`<section class="panel wide" aria-labelledby="requests-title">
    <h3 id="requests-title">Friend requests</h3>
    ${error ? html`<p class="note error" role="alert">${error}</p>` : null}
    ${items ? html`<${Table} caption="Friend requests" head=${['account', 'request', 'wording', 'sent', '']} rows=${rows} empty="No pending friend request." />` : html`<p class="muted">Loading…</p>`}
    <p class="muted small">Read and answered as ${user} on the user gateway: the REST API has no call for pending requests.</p>
    <${Note} note=${note} />
  </section>`;
}
