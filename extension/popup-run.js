// The popup's progress dialog for a run: a bar (steps done of total), the current action, the
// time left at bungie.net's pace, Cancel, and the summary at the end.

import { askWorker } from './lib/browser.js';
import { textEl } from './lib/dom.js';
import { formatDuration, runSummary } from './lib/words.js';

const $ = (id) => document.getElementById(id);

/** How often a running plan's progress is asked for. */
const PROGRESS_POLL_MS = 250;

/** A run's outcome in one word: `done`, `cancelled` or `failed`. */
function outcomeOf(progress, summary) {
  if (summary.ok) return 'done';
  return progress.cancelled && !progress.error ? 'cancelled' : 'failed';
}

function drawProgress(progress, onClose, nameOf) {
  $('progress-bar').max = Math.max(progress.total, 1);
  $('progress-bar').value = progress.done;
  $('progress').dataset.done = String(progress.done);
  $('progress').dataset.total = String(progress.total);
  const count = `${progress.done} of ${progress.total} ${progress.total === 1 ? 'step' : 'steps'}`;
  $('progress-text').textContent = progress.current ? `${count}: ${progress.current}` : count;
  const left = formatDuration(progress.timeLeftMs);
  $('progress-time').textContent = !progress.finished && left ? `Time left at bungie.net's pace: ${left}` : '';
  if (!progress.finished) return;
  const summary = runSummary(progress, nameOf);
  $('progress-cancel').hidden = true;
  $('summary-text').textContent = summary.text;
  $('summary').dataset.outcome = outcomeOf(progress, summary);
  $('summary-failures').replaceChildren(...summary.failures.map((line) => textEl('li', line)));
  $('summary').hidden = false;
  $('summary-close').onclick = onClose;
  $('summary-close').focus();
}

/**
 * Shows run `runId` in the (open) progress dialog until it finishes; resolves to whether it
 * did (false when the worker could not say, after `onError(error)`). `nameOf(itemEnd)` names
 * the items the summary lists as not moved.
 */
export async function watchRun(runId, { onError, onClose, nameOf }) {
  $('summary').hidden = true;
  delete $('summary').dataset.outcome;
  $('progress-cancel').hidden = false;
  $('progress-cancel').disabled = false;
  $('progress-cancel').onclick = async () => {
    $('progress-cancel').disabled = true;
    const cancelled = await askWorker({ type: 'cancel', runId });
    if (!cancelled.ok) onError(cancelled.error);
  };
  $('progress-bar').value = 0;
  $('progress-text').textContent = 'Starting…';
  $('progress-time').textContent = '';
  for (;;) {
    const progress = await askWorker({ type: 'progress', runId });
    if (!progress.ok) {
      onError(progress.error);
      $('progress').hidden = true;
      return false;
    }
    drawProgress(progress, onClose, nameOf);
    if (progress.finished) return true;
    await new Promise((resolve) => { setTimeout(resolve, PROGRESS_POLL_MS); });
  }
}
