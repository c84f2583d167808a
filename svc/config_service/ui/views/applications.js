// Applications: the list with a name filter, and one application with its configurations.

import { ApiError, del, get, post } from '../api.js';
import { checkObject, configurationBody } from '../json_input.js';
import { field, h, message, replace } from '../dom.js';
import { confirmInline, failure, heading } from './common.js';

export function applicationsView(main, _params, session) {
  const filter = h('input', { type: 'search', id: 'application-filter', autocomplete: 'off' });
  const list = h('ul', { class: 'cards', id: 'application-list' });
  const status = h('div', { role: 'status' });
  let applications = [];

  const show = () => {
    const needle = filter.value.trim().toLowerCase();
    const shown = applications.filter((app) => app.name.toLowerCase().includes(needle));
    replace(list, shown.map((app) => h('li', { class: 'card' },
      h('a', { href: `#/applications/${app.id}`, class: 'application-link' }, app.name),
      app.comments ? h('p', { class: 'comments' }, app.comments) : null)));
    replace(status, shown.length ? '' : message('info', applications.length ? 'No application matches the filter.' : 'No applications yet.'));
  };
  filter.addEventListener('input', show);

  const load = async () => {
    try {
      applications = (await get('/api/v1/applications')).data;
      show();
    } catch (error) {
      replace(status, failure(error));
    }
  };

  main.append(heading('Applications'), h('div', { class: 'toolbar' }, field('Filter by name', filter)), status, list);
  if (session.canWrite) main.append(newApplicationForm());
  load();
  return {
    onEvent(event) { if (event.entity_type === 'application') load(); },
  };
}

function newApplicationForm() {
  const name = h('input', { type: 'text', id: 'new-application-name', required: true, maxlength: 256 });
  const comments = h('textarea', { id: 'new-application-comments', rows: 2, maxlength: 1024 });
  const status = h('div');
  const form = h('form', { class: 'panel', id: 'new-application' },
    h('h3', {}, 'New application'), field('Name', name), field('Comments', comments),
    h('button', { type: 'submit' }, 'Create application'), status);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      const created = await post('/api/v1/applications', { name: name.value, comments: comments.value || null });
      location.hash = `#/applications/${created.data.id}`;
    } catch (error) {
      replace(status, failure(error));
    }
  });
  return form;
}

export function applicationView(main, [id], session) {
  const body = h('div');
  main.append(h('p', { class: 'breadcrumbs' }, h('a', { href: '#/applications' }, 'Applications')), body);

  const load = async () => {
    let answer;
    try {
      answer = await get(`/api/v1/applications/${id}`);
    } catch (error) {
      if (error instanceof ApiError && error.status === 410) { showDeleted(error); return; }
      replace(body, heading('Application'), failure(error));
      return;
    }
    const app = answer.data;
    const configurations = h('ul', { class: 'cards', id: 'configuration-list' });
    replace(body,
      heading(app.name),
      h('dl', { class: 'facts' },
        h('dt', {}, 'ID'), h('dd', {}, h('code', {}, app.id)),
        h('dt', {}, 'Comments'), h('dd', { class: 'comments' }, app.comments ?? '—'),
        h('dt', {}, 'ETag'), h('dd', {}, h('code', {}, answer.etag))),
      h('h3', {}, 'Configurations'), configurations,
      session.canWrite ? newConfigurationForm(app.id) : null,
      session.canWrite ? deleteApplication(app, answer.etag) : null);
    if (!app.configuration_ids.length) configurations.append(h('li', {}, 'None yet.'));
    const named = await Promise.all(app.configuration_ids.map((configId) => get(`/api/v1/configurations/${configId}`)
      .then((r) => r.data).catch(() => ({ id: configId, name: configId }))));
    for (const config of named) {
      configurations.append(h('li', { class: 'card' }, h('a', { href: `#/configurations/${config.id}`, class: 'configuration-link' }, config.name),
        config.comments ? h('p', { class: 'comments' }, config.comments) : null));
    }
  };

  const showDeleted = (error) => {
    const actions = h('div', { class: 'actions' });
    if (session.canWrite) {
      const restore = h('button', { type: 'button', id: 'restore' }, 'Restore application');
      restore.addEventListener('click', async () => {
        try {
          await post(`/api/v1/applications/${id}/restore`, undefined, { headers: { 'If-Match': error.response.etag } });
          load();
        } catch (problem) { actions.append(failure(problem)); }
      });
      actions.append(restore);
    }
    replace(body, heading('Deleted application'), message('info', error.detail), actions);
  };

  const deleteApplication = (app, etag) => {
    const place = h('div', { class: 'actions' });
    const button = h('button', { type: 'button', class: 'danger', id: 'delete-application' }, 'Delete application');
    button.addEventListener('click', () => {
      const cascade = h('input', { type: 'checkbox', id: 'delete-cascade' });
      confirmInline(place, `Delete the application “${app.name}”?`, 'Delete', async () => {
        await del(`/api/v1/applications/${id}${cascade.checked ? '?cascade=true' : ''}`, { headers: { 'If-Match': etag } });
        load();
      }, h('div', { class: 'field inline' }, cascade, h('label', { for: 'delete-cascade' }, 'Also delete its configurations')));
    });
    place.append(button);
    return place;
  };

  load();
  return {
    onEvent(event) { if (event.application_id === id) load(); },
  };
}

function newConfigurationForm(applicationId) {
  const name = h('input', { type: 'text', id: 'new-configuration-name', required: true, maxlength: 256 });
  const comments = h('textarea', { id: 'new-configuration-comments', rows: 2, maxlength: 1024 });
  const config = h('textarea', { id: 'new-configuration-config', rows: 6, class: 'code-input', spellcheck: 'false', value: '{}' });
  const status = h('div');
  const form = h('form', { class: 'panel', id: 'new-configuration' },
    h('h3', {}, 'New configuration'), field('Name', name), field('Comments', comments), field('Config (a JSON object)', config),
    h('button', { type: 'submit' }, 'Create configuration'), status);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const problem = checkObject(config.value);
    if (problem) { replace(status, message('error', problem)); return; }
    const text = configurationBody({ applicationId, name: name.value, comments: comments.value || null, configText: config.value });
    try {
      const created = await post('/api/v1/configurations', text);
      location.hash = `#/configurations/${created.data.id}`;
    } catch (error) {
      replace(status, failure(error));
    }
  });
  return form;
}
