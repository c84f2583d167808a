// One configuration: its current state, timeline, diffs between versions, as-of, and for
// writers edit (If-Match, with a 412 shown as what changed meanwhile), revert, delete, restore.

import { ApiError, del, get, post, put, versionOf } from '../api.js';
import { field, h, message, replace, utcAndLocal } from '../dom.js';
import { patchOperations, sideBySide } from '../diff_view.js';
import { member, parse, pretty, without } from '../exact_json.js';
import { checkObject, configurationBody } from '../json_input.js';
import { confirmInline, failure, heading } from './common.js';
import { timeline } from './timeline.js';

const base = (id) => `/api/v1/configurations/${id}`;
// What a person compares: the fields they can change (ids never change).
const snapshotText = (node) => pretty(without(node, ['id', 'application_id']));

export function configurationView(main, [id], session) {
  const state = { current: null, deleted: null, editing: null };
  const versionTexts = new Map();
  const title = heading('Configuration');
  const crumbs = h('p', { class: 'breadcrumbs' }, h('a', { href: '#/applications' }, 'Applications'));
  const summary = h('section', { class: 'panel', id: 'current', 'aria-labelledby': 'current-title' });
  const actions = h('div', { class: 'actions', id: 'write-actions' });
  const editPlace = h('div', { id: 'edit-place' });
  const revertPlace = h('div', { id: 'revert-place' });
  const compare = comparePanel();
  const asOf = asOfPanel();
  const history = timeline(id, (event) => rowActions(event));
  main.append(crumbs, title, summary, actions, editPlace, revertPlace, compare.element, history.element, asOf);

  async function versionText(version) {
    if (!versionTexts.has(version)) {
      const answer = await get(`${base(id)}/versions/${version}`);
      versionTexts.set(version, snapshotText(parse(answer.text)));
    }
    return versionTexts.get(version);
  }

  let loads = 0;
  async function load() {
    const generation = ++loads;
    try {
      const answer = await get(base(id));
      if (generation !== loads) return;
      const node = parse(answer.text);
      state.current = { etag: answer.etag, version: versionOf(answer.etag), data: answer.data, node, text: snapshotText(node) };
      state.deleted = null;
    } catch (error) {
      if (generation !== loads) return;
      if (!(error instanceof ApiError && error.status === 410)) {
        replace(summary, failure(error));
        return;
      }
      state.current = null;
      state.deleted = { etag: error.response.etag, version: versionOf(error.response.etag), detail: error.detail };
    }
    showSummary();
    showActions();
    compare.setLatest(state.current ? state.current.version : state.deleted.version - 1);
    if (state.editing) state.editing.noticeCurrent();
    await history.reload();
  }

  function showSummary() {
    if (state.deleted) {
      title.textContent = 'Deleted configuration';
      replace(summary, h('h3', { id: 'current-title' }, 'Current state'),
        message('info', state.deleted.detail), h('p', {}, 'ETag ', h('code', { id: 'current-etag' }, state.deleted.etag)));
      return;
    }
    const { data, etag, version, node } = state.current;
    title.textContent = data.name;
    replace(crumbs, h('a', { href: '#/applications' }, 'Applications'), ' › ',
      h('a', { href: `#/applications/${data.application_id}` }, 'its application'));
    replace(summary,
      h('h3', { id: 'current-title' }, 'Current state'),
      h('dl', { class: 'facts' },
        h('dt', {}, 'Version'), h('dd', { id: 'current-version' }, `v${version}`),
        h('dt', {}, 'ETag'), h('dd', {}, h('code', { id: 'current-etag' }, etag)),
        h('dt', {}, 'Name'), h('dd', { id: 'current-name' }, data.name),
        h('dt', {}, 'Comments'), h('dd', { id: 'current-comments', class: 'comments' }, data.comments ?? '—'),
        h('dt', {}, 'ID'), h('dd', {}, h('code', {}, data.id))),
      h('h4', {}, 'config'),
      h('pre', { class: 'json', id: 'current-config', tabindex: '0', 'aria-label': 'config as JSON' }, pretty(member(node, 'config'))));
  }

  function showActions() {
    actions.replaceChildren();
    if (!session.canWrite) return;
    if (state.deleted) {
      const restore = h('button', { type: 'button', id: 'restore' }, 'Restore configuration');
      restore.addEventListener('click', async () => {
        try {
          await post(`${base(id)}/restore`, undefined, { headers: { 'If-Match': state.deleted.etag } });
          await load();
        } catch (error) { actions.append(failure(error)); }
      });
      actions.append(restore);
      return;
    }
    const edit = h('button', { type: 'button', id: 'edit' }, 'Edit');
    edit.addEventListener('click', () => openEditor());
    const remove = h('button', { type: 'button', id: 'delete', class: 'danger' }, 'Delete configuration');
    remove.addEventListener('click', () => {
      const etag = state.current.etag;
      confirmInline(actions, `Delete “${state.current.data.name}”? Its history stays readable and it can be restored.`, 'Delete', async () => {
        await del(base(id), { headers: { 'If-Match': etag } });
        await load();
      });
    });
    actions.append(edit, remove);
  }

  function rowActions(event) {
    const buttons = [];
    if (event.version > 1 && event.action !== 'deleted' && event.action !== 'restored') {
      const diff = h('button', { type: 'button', class: 'diff-previous', 'data-version': event.version }, `Diff v${event.version - 1} → v${event.version}`);
      diff.addEventListener('click', () => {
        compare.show(event.version - 1, event.version);
        compare.element.scrollIntoView({ block: 'start' });
      });
      buttons.push(diff);
    }
    const isCurrent = state.current && event.version === state.current.version;
    if (session.canWrite && event.action !== 'deleted' && !isCurrent) {
      const revert = h('button', { type: 'button', class: 'revert', 'data-version': event.version }, `Revert to v${event.version}`);
      revert.addEventListener('click', () => confirmRevert(event.version));
      buttons.push(revert);
    }
    return buttons;
  }

  async function confirmRevert(version) {
    if (!state.current) return;
    const { etag, version: now, text } = state.current;
    try {
      const [target, ops] = await Promise.all([versionText(version), get(`${base(id)}/diff?from=${now}&to=${version}`)]);
      confirmInline(revertPlace, `Revert to v${version}? This is what it will change (current v${now} → v${version}):`, `Revert to v${version}`, async () => {
        await post(`${base(id)}/revert`, { version }, { headers: { 'If-Match': etag } });
        revertPlace.replaceChildren();
        await load();
      }, h('div', { class: 'revert-preview' }, sideBySide(`current (v${now})`, text, `v${version}`, target), patchOperations(parse(ops.text))));
      revertPlace.scrollIntoView({ block: 'nearest' });
    } catch (error) {
      replace(revertPlace, failure(error));
    }
  }

  function openEditor() {
    const start = state.current;
    const name = h('input', { type: 'text', id: 'edit-name', required: true, maxlength: 256, value: start.data.name });
    const comments = h('textarea', { id: 'edit-comments', rows: 2, maxlength: 1024, value: start.data.comments ?? '' });
    const config = h('textarea', { id: 'edit-config', rows: 14, class: 'code-input', spellcheck: 'false', value: pretty(member(start.node, 'config')) });
    const notice = h('div', { id: 'edit-notice' });
    const status = h('div', { id: 'edit-status' });
    const conflict = h('div', { id: 'conflict' });
    const save = h('button', { type: 'submit', id: 'save' }, 'Save');
    const cancel = h('button', { type: 'button', id: 'cancel-edit' }, 'Cancel');
    const baseTag = h('code', { id: 'edit-base' }, start.etag);
    const form = h('form', { class: 'panel editor', id: 'editor' },
      h('h3', {}, 'Edit ', h('span', { class: 'muted' }, 'based on '), baseTag),
      field('Name', name), field('Comments', comments), field('Config (a JSON object)', config, 'Checked as JSON before it is sent; numbers are sent exactly as typed.'),
      notice, h('div', { class: 'actions' }, save, cancel), status, conflict);
    const editing = { base: start, noticeCurrent };
    state.editing = editing;

    function noticeCurrent() {
      if (state.current && state.current.etag !== editing.base.etag) {
        replace(notice, message('info', `${state.current.etag} was saved since you started editing; saving will show what changed.`));
      } else notice.replaceChildren();
    }

    function startAgain(current, draft) {
      editing.base = current;
      baseTag.textContent = current.etag;
      name.value = current.data.name;
      comments.value = current.data.comments ?? '';
      config.value = pretty(member(current.node, 'config'));
      const kept = h('textarea', { id: 'your-edit', rows: 8, readonly: true, class: 'code-input', value: draft });
      replace(conflict, h('div', { class: 'panel kept' }, h('h4', {}, 'Your edit (not saved)'),
        h('p', {}, 'The editor now holds the current version. Re-apply your change from here:'),
        field('Your edit', kept)));
      noticeCurrent();
      config.focus();
    }

    async function showConflict(draft) {
      let current;
      try {
        const answer = await get(base(id));
        const node = parse(answer.text);
        current = { etag: answer.etag, version: versionOf(answer.etag), data: answer.data, node, text: snapshotText(node) };
      } catch (error) {
        replace(conflict, failure(error));
        return;
      }
      const again = h('button', { type: 'button', id: 'start-again' }, 'Start again from the current version');
      again.addEventListener('click', () => startAgain(current, draft));
      replace(conflict, h('section', { class: 'panel conflict', role: 'alert', 'aria-labelledby': 'conflict-title' },
        h('h4', { id: 'conflict-title' }, `Not saved: the configuration changed meanwhile (412). You started from ${editing.base.etag}; it is now ${current.etag}.`),
        h('p', {}, 'What changed meanwhile:'),
        sideBySide(`your base (${editing.base.etag})`, editing.base.text, `current (${current.etag})`, current.text),
        h('p', {}, 'Your edit is still in the editor above; nothing was written.'),
        again));
    }

    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      status.replaceChildren();
      const problem = checkObject(config.value);
      if (problem) { replace(status, message('error', problem)); config.focus(); return; }
      const keepEmpty = comments.value === '' && editing.base.data.comments === '';
      const body = configurationBody({ name: name.value, comments: comments.value || (keepEmpty ? '' : null), configText: config.value });
      save.disabled = true;
      try {
        await put(base(id), body, { headers: { 'If-Match': editing.base.etag } });
        state.editing = null;
        editPlace.replaceChildren();
        await load();
      } catch (error) {
        if (error instanceof ApiError && error.status === 412) await showConflict(config.value);
        else replace(status, failure(error));
      } finally {
        save.disabled = false;
      }
    });
    cancel.addEventListener('click', () => { state.editing = null; editPlace.replaceChildren(); });
    replace(editPlace, form);
    config.focus();
  }

  function comparePanel() {
    const from = h('select', { id: 'compare-from' });
    const to = h('select', { id: 'compare-to' });
    const result = h('div', { id: 'compare-result' });
    const button = h('button', { type: 'submit' }, 'Show diff');
    const form = h('form', { class: 'toolbar' }, field('From version', from), field('To version', to), button);
    let latest = 0;
    const show = async (a, b) => {
      from.value = String(a);
      to.value = String(b);
      replace(result, message('info', `Loading v${a} → v${b}…`));
      try {
        const [left, right, ops] = await Promise.all([versionText(a), versionText(b), get(`${base(id)}/diff?from=${a}&to=${b}`)]);
        replace(result, sideBySide(`v${a}`, left, `v${b}`, right), patchOperations(parse(ops.text)));
      } catch (error) {
        replace(result, failure(error));
      }
    };
    form.addEventListener('submit', (event) => { event.preventDefault(); show(Number(from.value), Number(to.value)); });
    return {
      element: h('section', { class: 'panel', id: 'compare', 'aria-labelledby': 'compare-title' },
        h('h3', { id: 'compare-title' }, 'Compare versions'), form, result),
      show,
      setLatest(version) {
        if (version === latest) return;
        // By default a version against the one before it: the newest change, followed as it moves
        // unless the person picked another pair.
        const followsNewest = latest === 0 || (Number(from.value) === latest - 1 && Number(to.value) === latest);
        const picked = [from.value, to.value];
        latest = version;
        const options = () => Array.from({ length: version }, (_, i) => h('option', { value: i + 1 }, `v${i + 1}`)).reverse();
        replace(from, options());
        replace(to, options());
        if (!followsNewest) [from.value, to.value] = picked;
        else if (version >= 2) show(version - 1, version);
        else replace(result, message('info', 'Only one version so far.'));
      },
    };
  }

  function asOfPanel() {
    const instant = h('input', { type: 'datetime-local', id: 'as-of-input', step: '0.001', required: true });
    const result = h('div', { id: 'as-of-result' });
    const form = h('form', { class: 'toolbar' }, field('Instant (your local time)', instant), h('button', { type: 'submit' }, 'Show as of'));
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const when = new Date(instant.value);
      if (Number.isNaN(when.getTime())) { replace(result, message('error', 'Pick a date and time.')); return; }
      const iso = when.toISOString();
      try {
        const answer = await get(`${base(id)}?as_of=${encodeURIComponent(iso)}`);
        replace(result, h('p', {}, 'As of ', utcAndLocal(iso), ':'),
          h('pre', { class: 'json', id: 'as-of-config', tabindex: '0', 'aria-label': 'the configuration at that instant' }, snapshotText(parse(answer.text))));
      } catch (error) {
        replace(result, failure(error));
      }
    });
    return h('section', { class: 'panel', id: 'as-of', 'aria-labelledby': 'as-of-title' }, h('h3', { id: 'as-of-title' }, 'As of'), form, result);
  }

  load();
  return {
    onEvent(event) { if (event.entity_type === 'configuration' && event.entity_id === id) load(); },
  };
}
