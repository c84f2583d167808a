// Activity: the change feed across everything the token may see, filtered, newest first,
// each row linking to its entity; events committed while it is open are added on top.
//
// The feed is read oldest first with cursors, so the view reads it through to its end (1000
// events a request) keeping only the most recent KEEP, shows the newest SHOW of those, and
// from the last cursor goes on reading what commits. One read at a time: an event announced
// while one runs makes it read once more afterwards; rows are keyed by seq, never repeated.

import { get, query } from '../api.js';
import { field, h, message, replace, utcAndLocal } from '../dom.js';
import { actionLabel, entityLink } from '../events_text.js';
import { failure, heading } from './common.js';

const PAGE = 1000; // events a request while reading to the end
const KEEP = 1000; // the most recent matching events kept from that reading
const SHOW = 100; // rows shown at first, and added by each "Show older events"

export function activityView(main, _params, session) {
  const application = h('select', { id: 'activity-application' }, h('option', { value: '' }, 'All applications'));
  const actor = h('input', { type: 'text', id: 'activity-actor', maxlength: 256, autocomplete: 'off' });
  const kinds = [['', 'All'], ['application', 'Applications'], ['configuration', 'Configurations']];
  if (session.canAudit) kinds.push(['token', 'Tokens']);
  const entityType = h('select', { id: 'activity-entity-type' }, kinds.map(([value, text]) => h('option', { value }, text)));
  const form = h('form', { class: 'toolbar', id: 'activity-filters' },
    field('Application', application), field('Actor', actor), field('Entity type', entityType),
    h('button', { type: 'submit' }, 'Apply filters'));
  const list = h('ol', { class: 'feed', id: 'activity-list', 'aria-label': 'events, newest first' });
  const more = h('button', { type: 'button', id: 'activity-more', hidden: true }, 'Show older events');
  const status = h('div', { id: 'activity-status' });
  const end = h('p', { class: 'muted', id: 'activity-end', hidden: true });
  let filters = {};
  let cursor = null;
  let kept = []; // matching events in feed order (oldest first); the last `shown` are in the list
  let shown = 0;
  let seen = new Set(); // the seqs in `kept`
  let dropped = false; // older matching events were read and not kept
  let caughtUp = false;
  let generation = 0;
  let busy = false;
  let again = false;

  const row = (event) => h('li', { class: 'event', 'data-seq': event.seq },
    h('div', { class: 'event-head' },
      h('span', { class: 'seq' }, `#${event.seq}`), ' ',
      h('span', { class: 'entity-type' }, event.entity_type), ' ', entityLink(event, session), ' ',
      h('span', { class: 'version' }, `v${event.version}`), ' ',
      h('span', { class: 'action' }, actionLabel(event)), ' by ',
      h('span', { class: 'actor' }, event.actor ?? '(unknown)')),
    h('div', { class: 'event-facts-inline' }, utcAndLocal(event.occurred_at), ' · request ', h('code', {}, event.request_id),
      event.changed_fields.length ? ` · changed: ${event.changed_fields.join(', ')}` : ''));

  const showFooter = () => {
    more.hidden = shown >= kept.length;
    end.hidden = !(shown >= kept.length && dropped);
    end.textContent = `Only the ${KEEP} most recent matching events are kept here: narrow the filters to see older ones.`;
    if (!kept.length) replace(status, message('info', 'No events match.'));
    else status.replaceChildren();
  };

  // Older kept events below the shown ones, SHOW more at a time.
  const showOlder = () => {
    const upTo = kept.length - shown;
    const older = kept.slice(Math.max(0, upTo - SHOW), upTo).reverse();
    list.append(...older.map(row));
    shown += older.length;
    showFooter();
  };

  // Reads from the cursor to the end of the feed (for now).
  const readToEnd = async () => {
    const mine = generation;
    let read = 0;
    for (;;) {
      const page = (await get(`/api/v1/events${query({ ...filters, after: cursor, limit: PAGE })}`)).data;
      if (mine !== generation) return;
      cursor = page.next;
      const fresh = page.items.filter((event) => !seen.has(event.seq));
      for (const event of fresh) seen.add(event.seq);
      kept.push(...fresh);
      read += page.items.length;
      if (caughtUp) {
        list.prepend(...fresh.slice().reverse().map(row));
        shown += fresh.length;
      } else {
        if (kept.length > KEEP) {
          for (const event of kept.splice(0, kept.length - KEEP)) seen.delete(event.seq);
          dropped = true;
        }
        if (page.items.length === PAGE) replace(status, message('info', `Reading the feed… ${read} events so far.`));
      }
      if (page.items.length < PAGE) break;
    }
    if (!caughtUp) {
      caughtUp = true;
      showOlder();
    } else showFooter();
  };

  // One read at a time; asked for during one, it runs once more afterwards.
  const pump = async () => {
    if (busy) { again = true; return; }
    busy = true;
    try {
      do {
        again = false;
        const mine = generation;
        try {
          await readToEnd();
        } catch (error) {
          if (mine === generation) replace(status, failure(error));
        }
      } while (again);
    } finally {
      busy = false;
    }
  };

  const restart = () => {
    generation += 1;
    filters = { application_id: application.value, actor: actor.value.trim(), entity_type: entityType.value };
    cursor = null;
    kept = [];
    shown = 0;
    seen = new Set();
    dropped = false;
    caughtUp = false;
    list.replaceChildren();
    more.hidden = true;
    end.hidden = true;
    replace(status, message('info', 'Reading the feed…'));
    return pump();
  };

  form.addEventListener('submit', (event) => { event.preventDefault(); restart(); });
  more.addEventListener('click', showOlder);
  main.append(heading('Activity'), form, status, list, more, end);
  get('/api/v1/applications').then((answer) => {
    application.append(...answer.data.map((app) => h('option', { value: app.id }, app.name)));
  }).catch((error) => status.append(failure(error)));
  restart();

  return {
    // The feed itself says what matches the filters: read from the cursor.
    onEvent() { pump(); },
  };
}
