// An account's profile (portrait_get with every standard and registered tag) and its editor
// (portrait_set with the fields that changed).
import { useEffect, useState } from 'preact/hooks';
import { boot, html, Note, Table } from './ui.js';
import { call, outcome } from './rest.js';

const ALLOW_TYPES = ['AllowType_Type_NeedConfirm', 'AllowType_Type_AllowAny', 'AllowType_Type_DenyAny'];
const GENDERS = ['Gender_Type_Unknown', 'Gender_Type_Female', 'Gender_Type_Male'];
const CHOICES = { Tag_Profile_IM_AllowType: ALLOW_TYPES, Tag_Profile_IM_Gender: GENDERS };
const EDITABLE = [
  'Tag_Profile_IM_Nick',
  'Tag_Profile_IM_Image',
  'Tag_Profile_IM_SelfSignature',
  'Tag_Profile_IM_AllowType',
  'Tag_Profile_IM_Gender',
  'Tag_Profile_IM_Location',
];
const NUMERIC = new Set(['Tag_Profile_IM_BirthDay', 'Tag_Profile_IM_Language', 'Tag_Profile_IM_MsgSettings', 'Tag_Profile_IM_Level', 'Tag_Profile_IM_Role']);

function short(tag) {
  return tag.replace(/^Tag_Profile_(IM_|Custom_)/, '');
}

export function Profile({ user, version, onChanged }) {
  const tags = [...boot.profileTags, ...boot.settings.custom_profile_tags];
  const [profile, setProfile] = useState(null);
  const [error, setError] = useState(null);
  const [editing, setEditing] = useState(false);
  useEffect(() => {
    call('profile/portrait_get', { To_Account: [user], TagList: tags })
      .then((data) => {
        const item = data.UserProfileItem[0];
        setProfile(Object.fromEntries((item.ProfileItem || []).map((p) => [p.Tag, p.Value])));
      })
      .catch((err) => setError(err.message));
  }, [user, version]);

  return html`<section class="panel" aria-labelledby="profile-title">
    <h3 id="profile-title">Profile</h3>
    ${error ? html`<p class="note error" role="alert">${error}</p>` : null}
    ${profile && !editing ? html`
      <${Table} caption="Profile" head=${['tag', 'value']}
        rows=${tags.filter((t) => t in profile).map((t) => [short(t), String(profile[t])])} />
      <button type="button" class="secondary" onClick=${() => setEditing(true)}>Edit profile</button>` : null}
    ${profile && editing ? html`<${ProfileForm} user=${user} profile=${profile}
      onDone=${(changed) => { setEditing(false); if (changed) onChanged(); }} />` : null}
  </section>`;
}

function ProfileForm({ user, profile, onDone }) {
  const fields = [...EDITABLE, ...boot.settings.custom_profile_tags];
  const [values, setValues] = useState(Object.fromEntries(fields.map((t) => [t, profile[t] ?? ''])));
  const [note, setNote] = useState(null);
  const save = async (e) => {
    e.preventDefault();
    const items = fields
      .filter((t) => String(values[t]) !== String(profile[t] ?? ''))
      .map((t) => ({ Tag: t, Value: NUMERIC.has(t) || (typeof profile[t] === 'number') ? Number(values[t]) : values[t] }));
    if (!items.length) {
      onDone(false);
      return;
    }
    try {
      const data = await call('profile/portrait_set', { From_Account: user, ProfileItem: items });
      const result = outcome(data);
      if (result.kind === 'error') setNote(result);
      else onDone(true);
    } catch (err) {
      setNote({ kind: 'error', text: err.message });
    }
  };
  return html`<form onSubmit=${save} aria-label="Edit profile">
    ${fields.map((t) => {
      const id = `profile-${short(t)}`;
      const set = (e) => setValues({ ...values, [t]: e.currentTarget.value });
      return html`<label for=${id}>${short(t)}</label>
        ${CHOICES[t]
          ? html`<select id=${id} value=${values[t]} onChange=${set}>${CHOICES[t].map((c) => html`<option value=${c}>${c}</option>`)}</select>`
          : html`<input id=${id} value=${values[t]} onInput=${set} />`}`;
    })}
    <div class="buttons">
      <button type="submit">Save profile</button>
      <button type="button" class="secondary" onClick=${() => onDone(false)}>Cancel</button>
    </div>
    <${Note} note=${note} />
  </form>`;
}
