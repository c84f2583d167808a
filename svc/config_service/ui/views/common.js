// Pieces the views share: headings, loading errors, inline confirmations.

import { ApiError } from '../api.js';
import { h, message, replace } from '../dom.js';

export function heading(text, ...extra) {
  return h('h2', { class: 'view-title', tabindex: '-1' }, text, ...extra);
}

export function failure(error) {
  return message('error', error instanceof ApiError ? error.detail : String(error.message || error));
}

// Replaces `place` with a question and Confirm / Cancel buttons; Cancel puts back what was there.
export function confirmInline(place, question, confirmText, onConfirm, extra) {
  const before = [...place.childNodes];
  const status = h('div', { class: 'confirm-status' });
  const confirmButton = h('button', { type: 'button', class: 'danger confirm' }, confirmText);
  const cancelButton = h('button', { type: 'button', class: 'cancel' }, 'Cancel');
  cancelButton.addEventListener('click', () => replace(place, before));
  confirmButton.addEventListener('click', async () => {
    confirmButton.disabled = true;
    try {
      await onConfirm();
    } catch (error) {
      replace(status, failure(error));
      confirmButton.disabled = false;
    }
  });
  replace(place, h('div', { class: 'confirm-box', role: 'group', 'aria-label': question },
    h('p', {}, question), extra || null, h('div', { class: 'actions' }, confirmButton, cancelButton), status));
  confirmButton.focus();
}
