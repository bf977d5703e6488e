// Calls of the console's own endpoints (/console/api/...): the session cookie, and the session's
// CSRF token on every change. A lost session sends the page back to the sign-in form.
import { boot } from './ui.js';

async function request(method, path, body) {
  const response = await fetch(`/console/api/${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json', 'x-csrf-token': boot.csrf },
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: 'same-origin',
  });
  if (response.status === 401) {
    location.assign('/console/sign-in');
    throw new Error('The session has ended: sign in again.');
  }
  const data = await response.json();
  if (!response.ok) throw new Error(data.error);
  return data;
}

export const consoleGet = (path) => request('GET', path);
export const consolePost = (path, body) => request('POST', path, body);
