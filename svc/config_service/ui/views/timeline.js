// A configuration's timeline: every version newest first, a page at a time.

import { get } from '../api.js';
import { h, replace, utcAndLocal } from '../dom.js';
import { actionLabel } from '../events_text.js';
import { failure } from './common.js';

const PAGE = 20;

// `actions(event)`: the buttons a row offers (diff, revert), decided by the configuration view.
export function timeline(id, actions) {
  const list = h('ol', { class: 'timeline', id: 'timeline' });
  const more = h('button', { type: 'button', id: 'timeline-older', hidden: true }, 'Older versions');
  const status = h('div');
  let next = null;
  let generation = 0;

  const row = (event) => h('li', { class: `event action-${event.action}`, 'data-version': event.version },
    h('div', { class: 'event-head' },
      h('span', { class: 'version' }, `v${event.version}`), ' ',
      h('span', { class: 'action' }, actionLabel(event)), ' by ',
      h('span', { class: 'actor' }, event.actor ?? '(unknown)')),
    h('dl', { class: 'event-facts' },
      h('dt', {}, 'Time'), h('dd', {}, utcAndLocal(event.occurred_at)),
      h('dt', {}, 'Request'), h('dd', {}, h('code', { class: 'request-id' }, event.request_id)),
      h('dt', {}, 'Changed'), h('dd', { class: 'changed-fields' }, event.changed_fields.length ? event.changed_fields.join(', ') : '(nothing)')),
    h('div', { class: 'actions' }, actions(event)));

  const load = async (path) => {
    const mine = generation;
    try {
      const page = await get(path);
      if (mine !== generation) return; // a newer reload replaced this list
      list.append(...page.data.items.map(row));
      next = page.data.next;
      more.hidden = !next;
    } catch (error) {
      if (mine === generation) replace(status, failure(error));
    }
  };

  more.addEventListener('click', () => { if (next) load(next); });

  return {
    element: h('section', { class: 'panel', 'aria-labelledby': 'timeline-title' },
      h('h3', { id: 'timeline-title' }, 'Timeline'), list, more, status),
    reload() {
      generation += 1;
      list.replaceChildren();
      status.replaceChildren();
      return load(`/api/v1/configurations/${id}/history?limit=${PAGE}`);
    },
  };
}
