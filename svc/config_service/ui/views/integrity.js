// Integrity (auditors, admins): the log verified from the page, a batch at a time with a
// progress bar, ending in "intact up to seq N" or the first problem; the latest checkpoint,
// and a check against a checkpoint string the auditor kept.

import { ApiError, get, query } from '../api.js';
import { field, h, message, replace, utcAndLocal } from '../dom.js';
import { failure, heading } from './common.js';

// The first step is small (it tells how long the log is); then about 20 steps for the
// progress bar, each small enough to stay well inside the server's statement timeout.
const FIRST_STEP = 100;
const MAX_STEP = 5000;
const stepFor = (lastSeq) => Math.min(MAX_STEP, Math.max(FIRST_STEP, Math.ceil(lastSeq / 20)));

export function integrityView(main) {
  const latest = h('div', { id: 'latest-checkpoint' }, message('info', 'Loading the latest checkpoint…'));
  const checkpoint = h('input', { type: 'text', id: 'checkpoint-input', autocomplete: 'off', spellcheck: 'false', placeholder: '1234.ab12…' });
  const run = h('button', { type: 'submit', id: 'verify' }, 'Check the log');
  const progress = h('progress', { id: 'verify-progress', max: 1, value: 0, 'aria-label': 'verification progress', hidden: true });
  const progressText = h('span', { id: 'verify-progress-text', class: 'muted' });
  const result = h('div', { id: 'verify-result', 'aria-live': 'polite' });
  const form = h('form', { class: 'panel', id: 'verify-form' },
    h('h3', {}, 'Verify the log'),
    h('p', {}, 'Recomputes every event’s hash chain on the server and compares the rows with their events.'),
    field('Checkpoint you kept (optional)', checkpoint, 'A string like "seq.digest" from an earlier checkpoint: the log must still contain exactly what it covered.'),
    h('div', { class: 'actions' }, run), h('div', { class: 'progress' }, progress, ' ', progressText), result);

  const showLatest = async () => {
    try {
      const answer = await get('/api/v1/audit/checkpoints/latest');
      const copy = h('button', { type: 'button', id: 'use-latest' }, 'Check against this checkpoint');
      copy.addEventListener('click', () => { checkpoint.value = answer.data.checkpoint; checkpoint.focus(); });
      replace(latest, h('dl', { class: 'facts' },
        h('dt', {}, 'Checkpoint'), h('dd', {}, h('code', { id: 'latest-checkpoint-text', class: 'wrap' }, answer.data.checkpoint)),
        h('dt', {}, 'Seq'), h('dd', {}, String(answer.data.seq)),
        h('dt', {}, 'Taken'), h('dd', {}, utcAndLocal(answer.data.taken_at))), copy);
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) replace(latest, message('info', 'No checkpoint has been taken yet (pipenv run audit checkpoint).'));
      else replace(latest, failure(error));
    }
  };

  const problemText = (problem) => [
    problem.seq === null || problem.seq === undefined ? 'The log' : `Event seq ${problem.seq}`,
    problem.entity_type ? ` (${problem.entity_type} ${problem.entity_id ?? ''})` : '',
    `: ${problem.problem}`].join('');

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    run.disabled = true;
    result.replaceChildren();
    progress.hidden = false;
    progress.value = 0;
    let after = 0;
    let target = null;
    let step = FIRST_STEP;
    try {
      for (;;) {
        const answer = (await get(`/api/v1/audit/verify${query({ after, limit: step, checkpoint: checkpoint.value.trim() })}`)).data;
        if (target === null) {
          target = Math.max(answer.last_seq, 1);
          step = stepFor(answer.last_seq);
        }
        progress.value = Math.min(answer.to_seq / target, 1);
        progressText.textContent = `checked up to seq ${answer.to_seq} of ${answer.last_seq}`;
        if (answer.problems.length) {
          replace(result, h('p', { class: 'message error verdict', role: 'alert' }, `First problem — ${problemText(answer.problems[0])}`),
            answer.problems.length > 1 ? h('p', {}, `and ${answer.problems.length - 1} more in this batch.`) : null);
          return;
        }
        if (answer.complete) {
          progress.value = 1;
          const against = checkpoint.value.trim() ? ', and consistent with the checkpoint you gave' : '';
          replace(result, h('p', { class: 'message ok verdict', role: 'status' }, `The log is intact up to seq ${answer.to_seq}${against}.`));
          return;
        }
        after = answer.to_seq;
      }
    } catch (error) {
      replace(result, failure(error));
    } finally {
      run.disabled = false;
    }
  });

  main.append(heading('Integrity'), h('section', { class: 'panel', 'aria-labelledby': 'checkpoint-title' },
    h('h3', { id: 'checkpoint-title' }, 'Latest checkpoint'), latest), form);
  showLatest();
}
