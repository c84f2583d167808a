// A side-by-side, line-aligned diff of two texts: the longest common subsequence of their
// lines; a run of removed lines next to a run of added ones is shown as changed pairs.
// The common first and last lines are set aside first, so a small change in a large
// document costs little; when what is left is still too large for the quadratic table
// (MAX_CELLS), its lines are paired by position instead and the diff says it is approximate.
// Answer: {rows, approximate}; a row is
// {kind: 'same' | 'changed' | 'removed' | 'added', left, right, leftNumber, rightNumber}.

export const MAX_CELLS = 4e6; // at most 16 MB of table (and a fraction of a second)

export function diffLines(leftText, rightText) {
  const left = leftText === '' ? [] : leftText.split('\n');
  const right = rightText === '' ? [] : rightText.split('\n');
  let head = 0;
  while (head < left.length && head < right.length && left[head] === right[head]) head += 1;
  let tail = 0;
  while (tail < left.length - head && tail < right.length - head
    && left[left.length - 1 - tail] === right[right.length - 1 - tail]) tail += 1;
  const rows = [];
  const same = (i, j) => rows.push({ kind: 'same', left: left[i], right: right[j], leftNumber: i + 1, rightNumber: j + 1 });
  for (let k = 0; k < head; k += 1) same(k, k);
  const middle = { leftFrom: head, leftTo: left.length - tail, rightFrom: head, rightTo: right.length - tail };
  const n = middle.leftTo - middle.leftFrom;
  const m = middle.rightTo - middle.rightFrom;
  const approximate = n * m > MAX_CELLS;
  if (approximate) byPosition(left, right, middle, rows);
  else exact(left, right, middle, rows);
  for (let k = tail; k > 0; k -= 1) same(left.length - k, right.length - k);
  return { rows, approximate };
}

// Collects runs of removed and added lines and shows them as pairs (changed), then the rest.
function runs(rows) {
  let removed = [];
  let added = [];
  return {
    removed: (text, number) => removed.push({ text, number }),
    added: (text, number) => added.push({ text, number }),
    flush() {
      for (let k = 0; k < Math.max(removed.length, added.length); k += 1) {
        const l = removed[k];
        const r = added[k];
        const kind = l && r ? 'changed' : l ? 'removed' : 'added';
        rows.push({ kind, left: l ? l.text : null, right: r ? r.text : null, leftNumber: l ? l.number : null, rightNumber: r ? r.number : null });
      }
      removed = [];
      added = [];
    },
  };
}

function exact(left, right, { leftFrom, leftTo, rightFrom, rightTo }, rows) {
  const n = leftTo - leftFrom;
  const m = rightTo - rightFrom;
  // lengths[i][j]: LCS length of the middle's left[i..] and right[j..]
  const lengths = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i -= 1) {
    for (let j = m - 1; j >= 0; j -= 1) {
      lengths[i][j] = left[leftFrom + i] === right[rightFrom + j] ? lengths[i + 1][j + 1] + 1 : Math.max(lengths[i + 1][j], lengths[i][j + 1]);
    }
  }
  const pending = runs(rows);
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    const l = leftFrom + i;
    const r = rightFrom + j;
    if (i < n && j < m && left[l] === right[r]) {
      pending.flush();
      rows.push({ kind: 'same', left: left[l], right: right[r], leftNumber: l + 1, rightNumber: r + 1 });
      i += 1;
      j += 1;
    } else if (j < m && (i === n || lengths[i][j + 1] >= lengths[i + 1][j])) {
      pending.added(right[r], r + 1);
      j += 1;
    } else {
      pending.removed(left[l], l + 1);
      i += 1;
    }
  }
  pending.flush();
}

// Too large for the table: the k-th line of each side side by side (equal ones as the same).
function byPosition(left, right, { leftFrom, leftTo, rightFrom, rightTo }, rows) {
  const pending = runs(rows);
  for (let k = 0; k < Math.max(leftTo - leftFrom, rightTo - rightFrom); k += 1) {
    const l = leftFrom + k;
    const r = rightFrom + k;
    if (l < leftTo && r < rightTo && left[l] === right[r]) {
      pending.flush();
      rows.push({ kind: 'same', left: left[l], right: right[r], leftNumber: l + 1, rightNumber: r + 1 });
    } else {
      if (l < leftTo) pending.removed(left[l], l + 1);
      if (r < rightTo) pending.added(right[r], r + 1);
    }
  }
  pending.flush();
}
