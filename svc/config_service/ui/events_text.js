// How an event of the log is described in the page.

import { h } from './dom.js';

export function actionLabel(event) {
  if (event.action === 'updated' && event.restored_from) return `reverted from v${event.restored_from}`;
  return event.action;
}

export function entityName(event) {
  const snapshot = event.after || event.before || {};
  return snapshot.name ?? event.entity_id;
}

// A link to the entity's view; a token's only for admins (no other role may open Tokens).
export function entityLink(event, session) {
  const name = entityName(event);
  if (event.entity_type === 'configuration') return h('a', { href: `#/configurations/${event.entity_id}` }, name);
  if (event.entity_type === 'application') return h('a', { href: `#/applications/${event.entity_id}` }, name);
  if (session && session.isAdmin) return h('a', { href: '#/tokens' }, name);
  return h('span', { class: 'entity-name' }, name);
}
