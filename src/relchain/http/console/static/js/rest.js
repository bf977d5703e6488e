// The console's client of relchain's public REST API: every call is a plain
// POST /v4/{service}/{command} signed with the session's admin UserSig, exactly as any SDK sends it.
import { boot } from './ui.js';

export class RestError extends Error {
  constructor(path, data) {
    super(`${path}: ${data.ErrorCode} ${data.ErrorInfo}`);
    this.data = data;
  }
}

function randomU32() {
  return crypto.getRandomValues(new Uint32Array(1))[0];
}

// The full URL of an API call, with the query Tencent's REST API expects.
export function apiUrl(path) {
  const query = new URLSearchParams({
    sdkappid: String(boot.sdkappid),
    identifier: boot.admin,
    usersig: boot.usersig,
    random: String(randomU32()),
    contenttype: 'json',
  });
  return `${location.origin}/v4/${path}?${query}`;
}

// The URL of one of relchain's admin endpoints beside the REST API (the event log's stream,
// webhook deliveries), with the session's admin UserSig and the given query (empty values left out).
export function adminUrl(path, extra = {}) {
  const query = new URLSearchParams({ sdkappid: String(boot.sdkappid), identifier: boot.admin, usersig: boot.usersig });
  for (const [name, value] of Object.entries(extra)) if (value !== undefined && value !== '') query.set(name, String(value));
  return `${location.origin}/${path}?${query}`;
}

// GET /events (Server-Sent Events) with filters (account, kind, since, backlog).
export const eventsUrl = (filter) => adminUrl('events', filter);

// Sends the body text as is; returns what happened, parsed when the answer is JSON.
export async function send(path, bodyText) {
  const url = apiUrl(path);
  const started = performance.now();
  const response = await fetch(url, { method: 'POST', body: bodyText, credentials: 'omit' });
  const text = await response.text();
  const ms = Math.round(performance.now() - started);
  let data = null;
  try {
    data = JSON.parse(text);
  } catch {
    data = null;
  }
  return { path, url, bodyText, status: response.status, ms, text, data };
}

// A call that must succeed: the decoded answer, or a RestError carrying it.
export async function call(path, body) {
  const result = await send(path, JSON.stringify(body));
  if (!result.data) throw new Error(`${path}: HTTP ${result.status}, not JSON`);
  if (result.data.ErrorCode !== 0) throw new RestError(path, result.data);
  return result.data;
}

function shellQuote(text) {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

// The curl command that repeats a call byte for byte.
export function curlLine(url, bodyText) {
  return `curl -s -X POST ${shellQuote(url)} -d ${shellQuote(bodyText)}`;
}

export function meaning(code) {
  return boot.errors[String(code)] || 'Not a code relchain sends.';
}

// Every code in an answer with its meaning: the whole request's ErrorCode, then each distinct
// per-item ResultCode other than 0 (with the accounts it applies to).
export function explain(data) {
  const out = [{ where: 'ErrorCode', code: data.ErrorCode, info: data.ErrorInfo, meaning: meaning(data.ErrorCode) }];
  const perItem = new Map();
  for (const [key, value] of Object.entries(data)) {
    if (!Array.isArray(value)) continue;
    for (const item of value) {
      if (!item || typeof item !== 'object' || !('ResultCode' in item) || item.ResultCode === 0) continue;
      const who = item.To_Account ?? item.UserID ?? item.GroupName ?? '';
      const entry = perItem.get(item.ResultCode) || { where: `${key}[].ResultCode`, code: item.ResultCode, info: item.ResultInfo, accounts: [] };
      entry.accounts.push(who);
      perItem.set(item.ResultCode, entry);
    }
  }
  for (const entry of perItem.values()) out.push({ ...entry, meaning: meaning(entry.code) });
  return out;
}

// One line saying how a call went, for the explorer's actions: "OK" or the first failure.
export function outcome(data) {
  const failures = explain(data).filter((e) => e.code !== 0);
  if (!failures.length) return { kind: 'ok', text: 'Done.' };
  const f = failures[0];
  const who = f.accounts ? ` (${f.accounts.join(', ')})` : '';
  return { kind: f.code === 30539 ? 'info' : 'error', text: `${f.code}${who}: ${f.info || f.meaning} ${f.info ? '- ' + f.meaning : ''}`.trim() };
}
