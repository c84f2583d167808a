// Integrity (auditors, admins): the log verified from the page, a batch at a time with a
// progress bar, ending in "intact up to seq N" or the first problem; the latest checkpoint,
// and a check against a checkpoint string the auditor kept.

import { ApiError, get, query } from '../api.js';
import { field, h, message, replace, utcAndLocal } from '../dom.js';
import { failure, heading } from './common.js';

// The first step (no `after`: from the very first event, whatever its seq) is small and fixes
// the horizon `up_to`, the seq no event at or below which can still appear; every later step
// sends it with `after` = the previous `to_seq`, and the check is complete at `up_to`. About
// 20 steps for the progress bar, each small enough to stay well inside the statement timeout.
const FIRST_STEP = 100;
const MAX_STEP = 5000;
const stepFor = (upTo) => Math.min(MAX_STEP, Math.max(FIRST_STEP, Math.ceil(upTo / 20)));

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
    const kept = checkpoint.value.trim();
    let after; // none on the first step
    let upTo; // from the first step's answer
    let step = FIRST_STEP;
    try {
      for (;;) {
        const answer = (await get(`/api/v1/audit/verify${query({ after, up_to: upTo, limit: step, checkpoint: kept })}`)).data;
        if (upTo === undefined) {
          upTo = answer.up_to;
          step = stepFor(upTo);
        }
        progress.value = upTo > 0 ? Math.min(Math.max(answer.to_seq / upTo, 0), 1) : 1;
        progressText.textContent = `checked up to seq ${answer.to_seq} of ${upTo}`;
        if (answer.problems.length) {
          const others = answer.problems.length - 1;
          const more = answer.truncated ? `and more than ${others} others in this step.`
            : others ? `and ${others} more in this step.` : null;
          replace(result, h('p', { class: 'message error verdict', role: 'alert' }, `First problem — ${problemText(answer.problems[0])}`),
            more ? h('p', { id: 'verify-more' }, more) : null);
          return;
        }
        if (answer.complete) {
          progress.value = 1;
          const against = kept ? ', and consistent with the checkpoint you gave' : '';
          replace(result, h('p', { class: 'message ok verdict', role: 'status' }, `The log is intact up to seq ${upTo}${against}.`));
          return;
        }
        if (after !== undefined && answer.to_seq <= after) throw new Error(`the check made no progress past seq ${after}`);
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
