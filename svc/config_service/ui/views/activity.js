// Activity: the change feed across everything the token may see, filtered, each row linking
// to its entity; events committed while it is open are added as they arrive.

import { get, query } from '../api.js';
import { field, h, message, replace, utcAndLocal } from '../dom.js';
import { actionLabel, entityLink } from '../events_text.js';
import { failure, heading } from './common.js';

const PAGE = 100;

export function activityView(main, _params, session) {
  const application = h('select', { id: 'activity-application' }, h('option', { value: '' }, 'All applications'));
  const actor = h('input', { type: 'text', id: 'activity-actor', maxlength: 256, autocomplete: 'off' });
  const kinds = [['', 'All'], ['application', 'Applications'], ['configuration', 'Configurations']];
  if (session.canAudit) kinds.push(['token', 'Tokens']);
  const entityType = h('select', { id: 'activity-entity-type' }, kinds.map(([value, text]) => h('option', { value }, text)));
  const form = h('form', { class: 'toolbar', id: 'activity-filters' },
    field('Application', application), field('Actor', actor), field('Entity type', entityType),
    h('button', { type: 'submit' }, 'Apply filters'));
  const list = h('ol', { class: 'feed', id: 'activity-list' });
  const more = h('button', { type: 'button', id: 'activity-more', hidden: true }, 'Load more');
  const status = h('div');
  let filters = {};
  let cursor = null;
  let atEnd = false;
  let generation = 0;

  const row = (event) => h('li', { class: 'event', 'data-seq': event.seq },
    h('div', { class: 'event-head' },
      h('span', { class: 'seq' }, `#${event.seq}`), ' ',
      h('span', { class: 'entity-type' }, event.entity_type), ' ', entityLink(event), ' ',
      h('span', { class: 'version' }, `v${event.version}`), ' ',
      h('span', { class: 'action' }, actionLabel(event)), ' by ',
      h('span', { class: 'actor' }, event.actor ?? '(unknown)')),
    h('div', { class: 'event-facts-inline' }, utcAndLocal(event.occurred_at), ' · request ', h('code', {}, event.request_id),
      event.changed_fields.length ? ` · changed: ${event.changed_fields.join(', ')}` : ''));

  const loadPage = async () => {
    const mine = generation;
    try {
      const page = await get(`/api/v1/events${query({ ...filters, after: cursor, limit: PAGE })}`);
      if (mine !== generation) return;
      list.append(...page.data.items.map(row));
      cursor = page.data.next;
      atEnd = page.data.items.length < PAGE;
      more.hidden = atEnd;
      if (!list.children.length) replace(status, message('info', 'No events match.'));
      else status.replaceChildren();
    } catch (error) {
      if (mine === generation) replace(status, failure(error));
    }
  };

  const restart = () => {
    generation += 1;
    filters = { application_id: application.value, actor: actor.value.trim(), entity_type: entityType.value };
    cursor = null;
    atEnd = false;
    list.replaceChildren();
    return loadPage();
  };

  form.addEventListener('submit', (event) => { event.preventDefault(); restart(); });
  more.addEventListener('click', loadPage);
  main.append(heading('Activity'), form, status, list, more);
  get('/api/v1/applications').then((answer) => {
    application.append(...answer.data.map((app) => h('option', { value: app.id }, app.name)));
  }).catch((error) => status.append(failure(error)));
  restart();

  const matches = (event) => (!filters.application_id || event.application_id === filters.application_id)
    && (!filters.actor || event.actor === filters.actor)
    && (!filters.entity_type || event.entity_type === filters.entity_type);
  return {
    // Only once the list has reached the end of the feed: until then the event comes with a page.
    onEvent(event) { if (atEnd && matches(event)) loadPage(); },
  };
}
