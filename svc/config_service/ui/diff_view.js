// Shows two versions side by side, line by line, and the RFC 6902 operations between them.

import { diffLines } from './diff.js';
import { h } from './dom.js';
import { compact, member } from './exact_json.js';

const SIGNS = { same: ' ', changed: '~', removed: '−', added: '+' };

export function sideBySide(leftTitle, leftText, rightTitle, rightText) {
  const { rows, approximate } = diffLines(leftText, rightText);
  const cell = (number, text, kind) => [
    h('td', { class: 'line-number' }, number ?? ''),
    h('td', { class: `code ${text === null ? 'empty' : kind}` }, text === null ? '' : text),
  ];
  const body = rows.map((row) => h('tr', { class: `row-${row.kind}` },
    cell(row.leftNumber, row.left, row.kind === 'added' ? 'same' : row.kind),
    h('td', { class: 'sign', 'aria-label': row.kind }, SIGNS[row.kind]),
    cell(row.rightNumber, row.right, row.kind === 'removed' ? 'same' : row.kind)));
  const changes = rows.filter((row) => row.kind !== 'same').length;
  return h('div', { class: 'diff' },
    h('p', { class: 'diff-summary' }, changes ? `${changes} line${changes === 1 ? '' : 's'} differ` : 'No differences'),
    approximate ? h('p', { class: 'message info diff-approximate', role: 'note' },
      'Approximate: these documents are too large for an exact line-by-line diff, so lines are paired by position; the JSON Patch operations, where shown, are exact.') : null,
    h('div', { class: 'scroll' },
      h('table', { class: 'side-by-side' },
        h('colgroup', {}, h('col', { class: 'number-column' }), h('col', {}), h('col', { class: 'sign-column' }), h('col', { class: 'number-column' }), h('col', {})),
        h('thead', {}, h('tr', {}, h('th', { colspan: 2, scope: 'col' }, leftTitle), h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, 'change')), h('th', { colspan: 2, scope: 'col' }, rightTitle))),
        h('tbody', {}, body))));
}

// `patch`: the diff endpoint's answer as an exact_json node, so values keep their digits.
export function patchOperations(patch) {
  if (!patch.items.length) return h('p', { class: 'ops-empty' }, 'JSON Patch: [] (no operations)');
  const text = (op, key) => JSON.parse(member(op, key).text);
  return h('div', { class: 'ops' },
    h('h4', {}, 'JSON Patch (RFC 6902)'),
    h('ol', { class: 'ops-list' }, patch.items.map((op) => h('li', {},
      h('code', { class: `op op-${text(op, 'op')}` }, text(op, 'op')), ' ', h('code', { class: 'op-path' }, text(op, 'path')),
      member(op, 'value') ? [' ', h('code', { class: 'op-value' }, compact(member(op, 'value')))] : null))));
}
