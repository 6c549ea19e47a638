// Runs: plans being carried out by the wasm core's executor, one cycle per `stepRun`. Each run's
// journal is written to chrome.storage.local after every cycle and before each request goes out,
// so a worker that MV3 stopped resumes the run from storage when an
// alarm or the browser wakes it, without repeating a step. Runs go one at a time (bungie.net takes
// one action per account at a time), oldest first.

import { alarmAt, alarmClear, storageGet, storageSet } from './browser.js';
import { CourierError, errorBody } from './errors.js';

const RUNS = 'runs';
/** The alarm that wakes the worker to go on with a run. */
export const RUN_ALARM = 'courier-run';
/** Waits up to this long are slept through; longer ones end the worker's turn until the alarm. */
export const SHORT_WAIT_MS = 20_000;
/** While a step is going, an alarm this far ahead resumes the run if the worker is stopped. */
export const WATCHDOG_MS = 30_000;
/** The longest wait Courier accepts from the core (a quarter of an hour). */
export const LONGEST_WAIT_MS = 15 * 60 * 1000;
/** What one step takes at bungie.net's action spacing (0.1 s) plus a round trip, before measuring. */
export const DEFAULT_STEP_MS = 150;
/** Finished runs kept for `progress` answers. */
export const KEEP_FINISHED = 5;

// ---- pure pieces ----

/** A new run record for a run the core started: `{journal, progress}` from `startRun`. */
export function newRun(id, { journal, progress }, now) {
  return {
    id,
    journal,
    profile: null,
    createdAt: now,
    wakeAt: 0,
    busyMs: 0,
    progress: { done: 0, total: 0, current: null, ...progress, finished: false },
    report: null,
    cancelled: false,
    finished: false,
    error: null,
  };
}

/** The run after one `stepRun` answer that took `tookMs`, received at `now`. */
export function applyStep(run, result, now, tookMs) {
  const state = result?.state;
  if (!['wait', 'running', 'done'].includes(state) || !result.journal) {
    return failRun(run, { kind: 'internal', message: 'Courier\'s core answered a step in a shape the extension does not know. Reload the extension.' });
  }
  const wait = Math.min(Math.max(Number(result.waitMs) || 0, 0), LONGEST_WAIT_MS);
  const finished = state === 'done';
  return {
    ...run,
    journal: result.journal,
    profile: result.profile ?? run.profile ?? null,
    progress: { ...run.progress, ...result.progress, finished },
    report: result.report ?? run.report,
    wakeAt: state === 'wait' ? now + wait : 0,
    busyMs: run.busyMs + tookMs,
    finished,
  };
}

/** The run, ended by a failure (`{kind, message}`). */
export function failRun(run, error) {
  return { ...run, finished: true, error, progress: { ...run.progress, current: null, finished: true } };
}

/** The run, ended because the player cancelled it. */
export function endCancelled(run) {
  return { ...run, finished: true, progress: { ...run.progress, current: null, finished: true } };
}

/** About how long the rest of the run takes at the throttle, in ms. */
export function timeLeftMs(run, now) {
  const remaining = Math.max(run.progress.total - run.progress.done, 0);
  if (run.finished || remaining === 0) return 0;
  const perStep = run.progress.done > 0 ? Math.max(run.busyMs / run.progress.done, DEFAULT_STEP_MS) : DEFAULT_STEP_MS;
  return Math.round(remaining * perStep + Math.max(run.wakeAt - now, 0));
}

/** The `progress` answer for a run. */
export function progressAnswer(run, now) {
  return {
    ok: true,
    runId: run.id,
    done: run.progress.done,
    total: run.progress.total,
    current: run.progress.current ?? null,
    finished: run.finished,
    report: run.report,
    cancelled: run.cancelled,
    error: run.error,
    timeLeftMs: timeLeftMs(run, now),
  };
}

/** The next run to drive: the oldest unfinished one, or null. */
export function nextRun(runs) {
  return Object.values(runs)
    .filter((run) => !run.finished)
    .sort((a, b) => a.createdAt - b.createdAt)[0] ?? null;
}

/** The runs to keep: every unfinished one and the newest finished ones. */
export function pruneRuns(runs) {
  const finished = Object.values(runs)
    .filter((run) => run.finished)
    .sort((a, b) => b.createdAt - a.createdAt)
    .slice(0, KEEP_FINISHED);
  const kept = Object.values(runs).filter((run) => !run.finished).concat(finished);
  return Object.fromEntries(kept.map((run) => [run.id, run]));
}

// ---- the runner ----

/**
 * The worker's runner. `core` is the wasm module (startRun, stepRun); `connect()` resolves to
 * the connection to send with, or null when signed out; `onFinished(run)` is told of every run
 * that ends.
 */
export function createRunner({ core, connect, onFinished = async () => {}, clock = () => Date.now() }) {
  let queue = Promise.resolve();
  let driving = null;
  let wakeSleeper = null;
  const waiters = new Map();

  /** Runs `change(runs)` on the stored runs, one change at a time; resolves to its result. */
  function withRuns(change) {
    const next = queue.then(async () => {
      const { [RUNS]: stored = {} } = await storageGet(RUNS);
      const { runs, result } = await change(stored);
      await storageSet({ [RUNS]: pruneRuns(runs) });
      return result;
    });
    queue = next.catch(() => {});
    return next;
  }

  /** Applies `edit(run)` to one stored run; resolves to the run after it (null if unknown). */
  function update(id, edit) {
    return withRuns((runs) => {
      if (!runs[id]) return { runs, result: null };
      const run = edit(runs[id]);
      return { runs: { ...runs, [id]: run }, result: run };
    });
  }

  async function ended(run) {
    await onFinished(run);
    for (const resolve of waiters.get(run.id) ?? []) resolve(run);
    waiters.delete(run.id);
  }

  function sleep(ms) {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      wakeSleeper = () => {
        clearTimeout(timer);
        resolve();
      };
    }).finally(() => { wakeSleeper = null; });
  }

  async function stepOnce(run) {
    if (typeof run.journal !== 'string') {
      // Journals are the core's text; an older Courier stored them as objects.
      return ended(await update(run.id, (r) => failRun(r, {
        kind: 'journal',
        message: 'This run was started by an older version of Courier and cannot go on. Refresh your inventory, then start it again.',
      })));
    }
    const connection = await connect();
    if (!connection) {
      return ended(await update(run.id, (r) => failRun(r, {
        kind: 'signed_out',
        message: 'You were signed out of bungie.net while Courier was moving items. Sign in again, then run the rest.',
      })));
    }
    const started = clock();
    let result;
    try {
      // The core hands over the journal with the request in flight before sending it: stored,
      // it lets a worker stopped mid-request check the step instead of repeating it.
      result = await core.stepRun(run.journal, connection, (journal) => update(run.id, (r) => ({ ...r, journal })));
    } catch (error) {
      return ended(await update(run.id, (r) => failRun(r, errorBody(error))));
    }
    const after = await update(run.id, (r) => {
      const stepped = applyStep(r, result, clock(), clock() - started);
      return r.cancelled && !stepped.finished ? endCancelled({ ...stepped, cancelled: true }) : stepped;
    });
    if (after?.finished) await ended(after);
  }

  async function loop() {
    for (;;) {
      const { [RUNS]: runs = {} } = await storageGet(RUNS);
      const run = nextRun(runs);
      if (!run) {
        await alarmClear(RUN_ALARM);
        return;
      }
      if (run.cancelled) {
        await ended(await update(run.id, endCancelled));
        continue;
      }
      const now = clock();
      if (run.wakeAt > now) {
        await alarmAt(RUN_ALARM, run.wakeAt);
        if (run.wakeAt - now > SHORT_WAIT_MS) return;
        await sleep(run.wakeAt - now);
        continue;
      }
      await alarmAt(RUN_ALARM, now + WATCHDOG_MS);
      await stepOnce(run);
    }
  }

  /** Drives the stored runs until none is left or the next wait is long (an alarm resumes). */
  function drive() {
    driving ??= loop().finally(() => { driving = null; });
    return driving;
  }

  return {
    /** Starts a run of `intents`; resolves to its record (driving goes on in the background). */
    async start(inventory, intents, makeRoom) {
      const run = newRun(crypto.randomUUID(), await core.startRun(inventory, intents, makeRoom), clock());
      await withRuns((runs) => ({ runs: { ...runs, [run.id]: run }, result: run }));
      drive().catch(() => {});
      return run;
    },

    /** The `progress` answer for a run id. */
    async progress(runId) {
      const { [RUNS]: runs = {} } = await storageGet(RUNS);
      const run = runs[runId];
      if (!run) throw new CourierError('unknown_run', 'Courier has no record of that run (it may have finished long ago). Refresh and look at your inventory.');
      return progressAnswer(run, clock());
    },

    /** Cancels a run: nothing more is sent after the step in flight. */
    async cancel(runId) {
      const run = await update(runId, (r) => (r.finished ? r : { ...r, cancelled: true }));
      if (!run) throw new CourierError('unknown_run', 'Courier has no record of that run; there is nothing to cancel.');
      wakeSleeper?.();
      drive().catch(() => {});
      return progressAnswer(run, clock());
    },

    /** Resolves when the run ends (in this worker's life) to its record. */
    finished(runId) {
      return new Promise((resolve) => {
        waiters.set(runId, [...(waiters.get(runId) ?? []), resolve]);
        storageGet(RUNS).then(({ [RUNS]: runs = {} }) => {
          if (runs[runId]?.finished) resolve(runs[runId]);
        });
      });
    },

    /** Goes on with any unfinished run (on startup, on the alarm, when the worker wakes). */
    resume: drive,
  };
}
