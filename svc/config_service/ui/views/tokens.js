// Tokens (admins): list, create and rotate (the text shown once, with a copy button), revoke.

import { get, post } from '../api.js';
import { field, h, replace, utcAndLocal } from '../dom.js';
import { confirmInline, failure, heading } from './common.js';

const ROLES = ['reader', 'writer', 'auditor', 'admin'];

export function tokensView(main) {
  const list = h('ol', { class: 'cards', id: 'token-list' });
  const status = h('div');
  const secret = h('div', { id: 'token-secret' });

  const showOnce = (created, what) => {
    const text = h('input', { type: 'text', id: 'new-token-text', readonly: true, value: created.token, class: 'code-input', spellcheck: 'false' });
    const copy = h('button', { type: 'button', id: 'copy-token' }, 'Copy');
    const done = h('button', { type: 'button', id: 'token-done' }, 'Done, hide it');
    const copied = h('span', { role: 'status', class: 'muted' });
    copy.addEventListener('click', async () => {
      try {
        await navigator.clipboard.writeText(created.token);
        copied.textContent = 'Copied.';
      } catch (error) {
        // No clipboard access (permissions, plain http): select it for Ctrl+C instead.
        text.focus();
        text.select();
        copied.textContent = 'Selected: press Ctrl+C (⌘C) to copy.';
      }
    });
    done.addEventListener('click', () => secret.replaceChildren());
    replace(secret, h('section', { class: 'panel secret', role: 'alert', 'aria-labelledby': 'secret-title' },
      h('h3', { id: 'secret-title' }, `${what}: “${created.name}” (${created.role})`),
      h('p', {}, 'Copy the token now: this is the only time it is shown.'),
      field('Token text', text), h('div', { class: 'actions' }, copy, done, copied)));
    text.focus();
    text.select();
  };

  const row = (t) => {
    const place = h('div', { class: 'actions' });
    const state = t.revoked_at ? (new Date(t.revoked_at) <= new Date() ? 'revoked' : 'rotating') : (new Date(t.expires_at) <= new Date() ? 'expired' : 'active');
    if (state === 'active') {
      const rotate = h('button', { type: 'button', class: 'rotate', 'data-token': t.id }, `Rotate ${t.name}`);
      const revoke = h('button', { type: 'button', class: 'revoke danger', 'data-token': t.id }, `Revoke ${t.name}`);
      rotate.addEventListener('click', () => {
        const grace = h('input', { type: 'number', id: `grace-${t.id}`, min: 0, max: 86400, value: '0' });
        confirmInline(place, `Rotate “${t.name}”? A new token replaces it; the old one stops after the grace period.`, 'Rotate', async () => {
          const created = await post(`/api/v1/tokens/${t.id}/rotate`, { grace_seconds: Number(grace.value || 0) });
          showOnce(created.data, 'Rotated');
          await load();
        }, field('Grace period (seconds)', grace));
      });
      revoke.addEventListener('click', () => confirmInline(place, `Revoke “${t.name}”? It stops working at once.`, 'Revoke', async () => {
        await post(`/api/v1/tokens/${t.id}/revoke`);
        await load();
      }));
      place.append(rotate, revoke);
    }
    return h('li', { class: `card token token-${state}`, 'data-token': t.id },
      h('div', { class: 'event-head' }, h('strong', { class: 'token-name' }, t.name), ' ', h('span', { class: 'role' }, t.role), ' ', h('span', { class: `badge ${state}` }, state)),
      h('dl', { class: 'facts' },
        h('dt', {}, 'ID'), h('dd', {}, h('code', {}, t.id)),
        h('dt', {}, 'Applications'), h('dd', {}, t.application_ids ? t.application_ids.join(', ') : 'all'),
        h('dt', {}, 'Acts for others'), h('dd', {}, t.acts_for_others ? 'yes' : 'no'),
        h('dt', {}, 'Created'), h('dd', {}, utcAndLocal(t.created_at)),
        h('dt', {}, 'Expires'), h('dd', {}, utcAndLocal(t.expires_at)),
        h('dt', {}, 'Revoked'), h('dd', {}, t.revoked_at ? utcAndLocal(t.revoked_at) : '—'),
        h('dt', {}, 'Last used'), h('dd', {}, t.last_used_at ? utcAndLocal(t.last_used_at) : 'never')),
      place);
  };

  const load = async () => {
    try {
      const tokens = (await get('/api/v1/tokens')).data;
      replace(list, tokens.slice().reverse().map(row));
    } catch (error) {
      replace(status, failure(error));
    }
  };

  main.append(heading('Tokens'), secret, createForm(showOnce, load), h('h3', {}, 'All tokens, newest first'), status, list);
  load();
  return {};
}

function createForm(showOnce, reload) {
  const name = h('input', { type: 'text', id: 'token-name', required: true, maxlength: 256, autocomplete: 'off' });
  const role = h('select', { id: 'token-role' }, ROLES.map((r) => h('option', { value: r }, r)));
  const days = h('input', { type: 'number', id: 'token-days', min: 1, max: 366, value: '90' });
  const scope = h('input', { type: 'text', id: 'token-applications', autocomplete: 'off' });
  const actsForOthers = h('input', { type: 'checkbox', id: 'token-acts-for-others' });
  const status = h('div');
  const form = h('form', { class: 'panel', id: 'create-token' },
    h('h3', {}, 'New token'),
    h('div', { class: 'grid' }, field('Name (a person or a system)', name), field('Role', role), field('Expires in (days)', days),
      field('Limit to applications (ids, comma-separated; empty: all)', scope)),
    h('div', { class: 'field inline' }, actsForOthers, h('label', { for: 'token-acts-for-others' }, 'May act for others (X-Actor)')),
    h('button', { type: 'submit' }, 'Create token'), status);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    status.replaceChildren();
    const ids = scope.value.split(',').map((s) => s.trim()).filter(Boolean);
    const body = { name: name.value, role: role.value, acts_for_others: actsForOthers.checked };
    if (ids.length) body.application_ids = ids;
    if (days.value) body.expires_at = new Date(Date.now() + Number(days.value) * 86400000 - 60000).toISOString();
    try {
      const created = await post('/api/v1/tokens', body);
      form.reset();
      showOnce(created.data, 'Created');
      await reload();
    } catch (error) {
      replace(status, failure(error));
    }
  });
  return form;
}
