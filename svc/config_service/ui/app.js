// The page: sign-in, the header (who, live indicator, sign out), hash routing to the views,
// and the change feed handed to whichever view is showing.

import { ApiError, get, token } from './api.js';
import { field, h, message, replace } from './dom.js';
import { sessionFor } from './session.js';
import { followEvents } from './stream.js';
import { applicationsView, applicationView } from './views/applications.js';
import { configurationView } from './views/configuration.js';
import { activityView } from './views/activity.js';
import { integrityView } from './views/integrity.js';
import { tokensView } from './views/tokens.js';

const main = document.getElementById('main');
const nav = document.getElementById('nav');
const live = document.getElementById('live');
const who = document.getElementById('who');
const signOutButton = document.getElementById('sign-out');
const LIVE_TEXT = { live: 'live', reconnecting: 'reconnecting…', offline: 'offline' };
const NO_LONGER_ACCEPTED = 'Your token is no longer accepted (expired or revoked): you are signed out; sign in again.';
const ID = '([0-9A-Za-z]{26})';

const ROUTES = [
  { pattern: new RegExp('^#/applications$'), view: applicationsView },
  { pattern: new RegExp(`^#/applications/${ID}$`), view: applicationView },
  { pattern: new RegExp(`^#/configurations/${ID}$`), view: configurationView },
  { pattern: /^#\/activity$/, view: activityView },
  { pattern: /^#\/integrity$/, view: integrityView, allowed: (s) => s.canAudit },
  { pattern: /^#\/tokens$/, view: tokensView, allowed: (s) => s.isAdmin },
];

let session = null;
let stream = null;
let current = null;

function setLive(state) {
  live.hidden = false;
  live.dataset.state = state;
  live.textContent = LIVE_TEXT[state] || state;
}

function showNavigation() {
  const links = [['#/applications', 'Applications'], ['#/activity', 'Activity']];
  if (session.canAudit) links.push(['#/integrity', 'Integrity']);
  if (session.isAdmin) links.push(['#/tokens', 'Tokens']);
  replace(nav, h('ul', {}, links.map(([href, text]) => h('li', {}, h('a', { href, 'data-route': href }, text)))));
  nav.hidden = false;
}

function markCurrentLink() {
  for (const link of nav.querySelectorAll('a')) {
    const here = location.hash.startsWith(link.getAttribute('href'));
    if (here) link.setAttribute('aria-current', 'page'); else link.removeAttribute('aria-current');
  }
}

function route() {
  if (!session) return;
  // Only "#/..." addresses are views; any other fragment (an in-page anchor) leaves the view
  // showing, or opens the default one when none is yet.
  if (!location.hash.startsWith('#/')) {
    if (!current) location.replace('#/applications');
    return;
  }
  if (current && current.dispose) current.dispose();
  current = null;
  const hash = location.hash;
  markCurrentLink();
  main.replaceChildren();
  for (const candidate of ROUTES) {
    const match = candidate.pattern.exec(hash);
    if (!match) continue;
    if (candidate.allowed && !candidate.allowed(session)) {
      main.append(message('error', 'Your role may not open this view.'));
      return;
    }
    current = candidate.view(main, match.slice(1), session) || null;
    return;
  }
  main.append(h('h2', {}, 'Not found'), h('p', {}, h('a', { href: '#/applications' }, 'Back to the applications')));
}

function follow() {
  stream = followEvents({
    onEvent: (event) => { if (current && current.onEvent) current.onEvent(event); },
    onState: setLive,
    onUnauthorized: () => signOut(NO_LONGER_ACCEPTED),
  });
}

function start(self) {
  session = sessionFor(self);
  replace(who, 'Signed in as ', h('strong', { id: 'who-name' }, self.name), ' ', h('span', { id: 'who-role', class: 'role' }, `(${self.role})`));
  signOutButton.hidden = false;
  showNavigation();
  follow();
  route();
}

function signOut(problem) {
  token.clear();
  if (stream) stream.stop();
  if (current && current.dispose) current.dispose();
  session = stream = current = null;
  nav.hidden = true;
  nav.replaceChildren();
  live.hidden = true;
  who.replaceChildren();
  signOutButton.hidden = true;
  showSignIn(problem);
}

// `retry`: the stored token was not refused, the service could not answer: try it again.
function showSignIn(problem, retry) {
  const input = h('input', { type: 'password', id: 'token-input', name: 'token', autocomplete: 'off', spellcheck: 'false', required: true });
  const form = h('form', { class: 'sign-in', id: 'sign-in' },
    h('h2', {}, 'Sign in'),
    h('p', {}, 'Paste your token (it starts with cfgs_). It is kept in this tab only and sent only as an Authorization header.'),
    field('Token', input),
    h('button', { type: 'submit' }, 'Sign in'),
    problem ? message('error', problem) : null,
    retry ? h('div', { class: 'actions' }, h('button', { type: 'button', id: 'retry', onclick: boot }, 'Try again')) : null);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    token.set(text);
    try {
      start((await get('/api/v1/tokens/self')).data);
    } catch (error) {
      token.clear();
      showSignIn(error instanceof ApiError && error.status === 401 ? 'That token was not accepted (unknown, expired or revoked).' : `Could not sign in: ${error.message}`);
      if (!(error instanceof ApiError && error.status === 401)) document.getElementById('token-input').value = text;
    }
  });
  replace(main, form);
  (retry ? form.querySelector('#retry') : input).focus();
}

signOutButton.addEventListener('click', () => signOut());
// The skip link moves the focus to the content without changing the address (which names the view).
document.querySelector('.skip-link').addEventListener('click', (event) => {
  event.preventDefault();
  main.focus();
});
window.addEventListener('hashchange', route);
// A page left behind (another page, the back-forward cache) holds no stream open on the server.
window.addEventListener('pagehide', () => { if (stream) stream.stop(); });
window.addEventListener('pageshow', (event) => { if (event.persisted && session) { follow(); route(); } });

async function boot() {
  if (!token.get()) { showSignIn(); return; }
  try {
    start((await get('/api/v1/tokens/self')).data);
  } catch (error) {
    // Only a refusal ends the session; an unreachable or busy service (503, network) keeps the token.
    if (error instanceof ApiError && error.status === 401) {
      token.clear();
      showSignIn(NO_LONGER_ACCEPTED);
    } else {
      showSignIn(`Could not reach the service: ${error.message}. Your token is kept: try again, or sign in with another one.`, true);
    }
  }
}

boot();
