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
// The current state from a GET of the configuration, as the view keeps it.
function snapshotOf(answer) {
  const node = parse(answer.text);
  return { etag: answer.etag, version: versionOf(answer.etag), data: answer.data, node, text: snapshotText(node) };
}
// What the editor's three fields hold for a state.
const editorValues = (snapshot) => ({
  name: snapshot.data.name, comments: snapshot.data.comments ?? '', config: pretty(member(snapshot.node, 'config')),
});
const FIELDS = ['name', 'comments', 'config'];

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
  const history = timeline(id, (event) => rowActions(event), (events) => compare.follow(events));
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
      state.current = snapshotOf(answer);
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
    // Not while deleted (a deleted configuration is restored first), not to the current version.
    if (session.canWrite && !state.deleted && event.action !== 'deleted' && !isCurrent) {
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

    const inputs = { name, comments, config };

    // The editor on the current version, field by field: a field only you changed keeps your
    // value; one changed meanwhile takes the current value. All you typed stays beside it.
    function startAgain(current, draft) {
      const was = editorValues(editing.base);
      const now = editorValues(current);
      const kept = [];
      const both = [];
      for (const key of FIELDS) {
        const yours = draft[key] !== was[key];
        const theirs = now[key] !== was[key];
        inputs[key].value = yours && !theirs ? draft[key] : now[key];
        if (yours && !theirs) kept.push(key);
        if (yours && theirs) both.push(key);
      }
      editing.base = current;
      baseTag.textContent = current.etag;
      const copy = {
        name: h('input', { type: 'text', id: 'your-name', readonly: true, value: draft.name }),
        comments: h('textarea', { id: 'your-comments', rows: 2, readonly: true, value: draft.comments }),
        config: h('textarea', { id: 'your-edit', rows: 8, readonly: true, class: 'code-input', spellcheck: 'false', value: draft.config }),
      };
      replace(conflict, h('div', { class: 'panel kept', id: 'kept' }, h('h4', {}, 'Your edit (not saved)'),
        h('p', {}, `The editor is now based on ${current.etag}.`,
          kept.length ? ` Kept in the editor, as only you changed it: ${kept.join(', ')}.` : '',
          both.length ? ` Changed meanwhile by someone else too, so the editor holds the current value: ${both.join(', ')}; re-apply yours from the copy below.` : ''),
        field('Your name', copy.name), field('Your comments', copy.comments), field('Your config', copy.config)));
      noticeCurrent();
      (both.length ? inputs[both[0]] : config).focus();
    }

    async function showConflict(draft) {
      let current;
      try {
        current = snapshotOf(await get(base(id)));
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
        h('p', {}, 'Your edit (name, comments and config) is still in the editor above; nothing was written.'),
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
        if (error instanceof ApiError && error.status === 412) await showConflict({ name: name.value, comments: comments.value, config: config.value });
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
    let latest = 0; // the newest version the selects offer
    let defaultPair = null; // [from, to]: the last two versions that have a state
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
      // `events`: the timeline's, newest first. By default the last two versions that have a
      // state (a deleted version has none), followed as they move unless the person picked
      // another pair.
      follow(events) {
        if (!events.length) return;
        const deleted = new Set(events.filter((event) => event.action === 'deleted').map((event) => event.version));
        const newest = events[0].version;
        if (newest !== latest) {
          const stated = events.map((event) => event.version).filter((version) => !deleted.has(version));
          const pair = stated.length >= 2 ? [stated[1], stated[0]] : null;
          const followsDefault = latest === 0 || !defaultPair
            || (Number(from.value) === defaultPair[0] && Number(to.value) === defaultPair[1]);
          const picked = [from.value, to.value];
          latest = newest;
          defaultPair = pair;
          const options = () => Array.from({ length: newest }, (_, i) => h('option', { value: i + 1 }, `v${i + 1}`)).reverse();
          replace(from, options());
          replace(to, options());
          if (!followsDefault) [from.value, to.value] = picked;
          else if (pair) show(pair[0], pair[1]);
          else {
            from.value = to.value = String(stated[0] ?? newest);
            replace(result, message('info', 'Only one version so far.'));
          }
        }
        for (const option of [...from.options, ...to.options]) {
          const version = Number(option.value);
          option.disabled = deleted.has(version);
          option.textContent = deleted.has(version) ? `v${version} (deleted)` : `v${version}`;
        }
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
