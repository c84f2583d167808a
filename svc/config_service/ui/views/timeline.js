// A configuration's timeline: every version newest first, a page at a time.
// Loads run one after another (never two at once): a reload asked for while one runs is run
// once more afterwards (events may have committed since it read), a click on "Older versions"
// while older ones are loading is ignored; each version is shown once, in one contiguous run.

import { get } from '../api.js';
import { h, replace, utcAndLocal } from '../dom.js';
import { actionLabel } from '../events_text.js';
import { failure } from './common.js';

const PAGE = 20;

// `actions(event)`: the buttons a row offers (diff, revert), decided by the configuration view
// and asked again after every load (they depend on its current state); `onChange(events)`:
// told the events shown, newest first, after every load.
export function timeline(id, actions, onChange = () => {}) {
  const list = h('ol', { class: 'timeline', id: 'timeline' });
  const more = h('button', { type: 'button', id: 'timeline-older', hidden: true }, 'Older versions');
  const status = h('div');
  const shown = new Map(); // version -> {event, element, place}
  let older = null; // the next page past the oldest version shown, or null at version 1
  let queue = Promise.resolve();
  let reloadWaiting = null; // a reload queued and not started yet
  let olderBusy = false; // older versions asked for and not shown yet

  const row = (event) => {
    const place = h('div', { class: 'actions' });
    const element = h('li', { class: `event action-${event.action}`, 'data-version': event.version },
      h('div', { class: 'event-head' },
        h('span', { class: 'version' }, `v${event.version}`), ' ',
        h('span', { class: 'action' }, actionLabel(event)), ' by ',
        h('span', { class: 'actor' }, event.actor ?? '(unknown)')),
      h('dl', { class: 'event-facts' },
        h('dt', {}, 'Time'), h('dd', {}, utcAndLocal(event.occurred_at)),
        h('dt', {}, 'Request'), h('dd', {}, h('code', { class: 'request-id' }, event.request_id)),
        h('dt', {}, 'Changed'), h('dd', { class: 'changed-fields' }, event.changed_fields.length ? event.changed_fields.join(', ') : '(nothing)')),
      place);
    return { event, element, place };
  };

  const versions = () => [...shown.keys()].sort((a, b) => b - a);
  const events = () => versions().map((version) => shown.get(version).event);

  // Newer versions go on top, older ones below: rows already shown stay where they are.
  const add = (items, where) => {
    const fresh = items.filter((event) => !shown.has(event.version)).sort((a, b) => b.version - a.version);
    const rows = fresh.map((event) => { const r = row(event); shown.set(event.version, r); return r.element; });
    if (where === 'top') list.prepend(...rows); else list.append(...rows);
  };

  const finish = () => {
    for (const { event, place } of shown.values()) replace(place, actions(event));
    more.hidden = !older;
    status.replaceChildren();
    onChange(events());
  };

  const run = (step) => {
    queue = queue.then(step).catch((error) => replace(status, failure(error)));
    return queue;
  };

  const loadNewest = async () => {
    reloadWaiting = null;
    const page = (await get(`/api/v1/configurations/${id}/history?limit=${PAGE}`)).data;
    const top = shown.size ? versions()[0] : null;
    const lowest = page.items.length ? Math.min(...page.items.map((event) => event.version)) : null;
    if (top === null || (lowest !== null && lowest > top + 1)) {
      // Nothing shown yet, or more versions came than a page holds: start from this page.
      shown.clear();
      list.replaceChildren();
      add(page.items, 'bottom');
      older = page.next;
    } else {
      add(page.items.filter((event) => event.version > top), 'top');
    }
    finish();
  };

  const loadOlder = async () => {
    if (!older) return;
    const bottom = versions().at(-1);
    const page = (await get(older)).data;
    add(page.items.filter((event) => event.version < bottom), 'bottom');
    older = page.next;
    finish();
  };

  more.addEventListener('click', () => {
    if (olderBusy || !older) return;
    olderBusy = true;
    run(() => loadOlder().finally(() => { olderBusy = false; }));
  });

  return {
    element: h('section', { class: 'panel', 'aria-labelledby': 'timeline-title' },
      h('h3', { id: 'timeline-title' }, 'Timeline'), list, more, status),
    events,
    // Shows what is new since the last load (and refreshes every row's buttons).
    reload() {
      if (!reloadWaiting) reloadWaiting = run(loadNewest);
      return reloadWaiting;
    },
  };
}
