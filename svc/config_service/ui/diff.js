// A side-by-side, line-aligned diff of two texts: the longest common subsequence of their
// lines; a run of removed lines next to a run of added ones is shown as changed pairs.
// Rows: {kind: 'same' | 'changed' | 'removed' | 'added', left, right, leftNumber, rightNumber}.

export function diffLines(leftText, rightText) {
  const left = leftText === '' ? [] : leftText.split('\n');
  const right = rightText === '' ? [] : rightText.split('\n');
  const n = left.length;
  const m = right.length;
  // lengths[i][j]: LCS length of left[i..] and right[j..]
  const lengths = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i -= 1) {
    for (let j = m - 1; j >= 0; j -= 1) {
      lengths[i][j] = left[i] === right[j] ? lengths[i + 1][j + 1] + 1 : Math.max(lengths[i + 1][j], lengths[i][j + 1]);
    }
  }
  const rows = [];
  let removed = [];
  let added = [];
  const flush = () => {
    for (let k = 0; k < Math.max(removed.length, added.length); k += 1) {
      const l = removed[k];
      const r = added[k];
      const kind = l && r ? 'changed' : l ? 'removed' : 'added';
      rows.push({ kind, left: l ? l.text : null, right: r ? r.text : null, leftNumber: l ? l.number : null, rightNumber: r ? r.number : null });
    }
    removed = [];
    added = [];
  };
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && left[i] === right[j]) {
      flush();
      rows.push({ kind: 'same', left: left[i], right: right[j], leftNumber: i + 1, rightNumber: j + 1 });
      i += 1;
      j += 1;
    } else if (j < m && (i === n || lengths[i][j + 1] >= lengths[i + 1][j])) {
      added.push({ text: right[j], number: j + 1 });
      j += 1;
    } else {
      removed.push({ text: left[i], number: i + 1 });
      i += 1;
    }
  }
  flush();
  return rows;
}

export const hasChanges = (rows) => rows.some((row) => row.kind !== 'same');
