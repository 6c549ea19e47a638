// Runs: journaled after every step, resumed from storage by a new worker without repeating a
// step, cancelled, woken by an alarm after long waits.
import assert from 'node:assert/strict';
import { beforeEach, test } from 'node:test';

import { installFakeChrome } from './fake-chrome.mjs';
import { eventually, fakeRunCore } from './fake-core.mjs';
import { CourierError } from '../../extension/lib/errors.js';
import {
  DEFAULT_STEP_MS, KEEP_FINISHED, RUN_ALARM, applyStep, createRunner, newRun, nextRun, progressAnswer, pruneRuns, timeLeftMs,
} from '../../extension/lib/runs.js';

const CONNECTION = { origin: 'https://www.bungie.net', apiKey: 'k', auth: { kind: 'cookie', bungled: 'b' } };
const INTENT = { kind: 'move', itemId: '1', to: 'vault' };
let fake;
beforeEach(() => { fake = installFakeChrome(); });

const storedRun = (id) => fake.store.get('runs')?.[id];

test('a run goes to the end, its journal stored after every step', async () => {
  const core = fakeRunCore();
  const cursors = [];
  const set = fake.storage.local.set;
  fake.storage.local.set = async (values) => {
    for (const run of Object.values(values.runs ?? {})) cursors.push(JSON.parse(run.journal).cursor);
    return set(values);
  };
  const finished = [];
  const runner = createRunner({ core, connect: async () => CONNECTION, onFinished: async (run) => { finished.push(run.id); } });
  const run = await runner.start({ items: [] }, [INTENT, INTENT], 'never');
  const done = await runner.finished(run.id);
  assert.equal(done.finished, true);
  assert.deepEqual(core.executed, ['move-0-a', 'move-0-b', 'move-1-a', 'move-1-b']);
  for (const cursor of [1, 2, 3, 4]) assert.ok(cursors.includes(cursor), `the journal after step ${cursor} was stored`);
  const progress = await runner.progress(run.id);
  assert.deepEqual(
    { ok: progress.ok, done: progress.done, total: progress.total, finished: progress.finished, current: progress.current, cancelled: progress.cancelled, error: progress.error },
    { ok: true, done: 4, total: 4, finished: true, current: null, cancelled: false, error: null },
  );
  assert.equal(progress.report.stepsDone, 4);
  assert.equal(progress.timeLeftMs, 0);
  assert.deepEqual(finished, [run.id]);
  await runner.resume();
  assert.equal(fake.alarmTimes.has(RUN_ALARM), false, 'no alarm is left once nothing runs');
});

test('a stopped worker\'s run resumes from its journal in the next one, without repeating a step', async () => {
  let stop = true;
  const first = fakeRunCore({ hang: (journal) => stop && journal.cursor === 1 });
  const runner = createRunner({ core: first, connect: async () => CONNECTION });
  const run = await runner.start({ items: [] }, [INTENT], 'never');
  await eventually(() => storedRun(run.id) && JSON.parse(storedRun(run.id).journal).inFlight === 'move-0-b');
  assert.deepEqual(first.executed, ['move-0-a']);
  assert.ok(fake.alarmTimes.get(RUN_ALARM).when > Date.now(), 'an alarm will wake a stopped worker');

  // The worker is gone mid-step; a new one starts on the alarm with the same storage.
  stop = false;
  const second = fakeRunCore();
  const resumed = createRunner({ core: second, connect: async () => CONNECTION });
  await resumed.resume();
  assert.equal(second.calls[0].cursor, 1, 'the new worker goes on from the stored journal');
  assert.equal(second.calls[0].connection, CONNECTION);
  assert.deepEqual(second.executed, ['move-0-b'], 'the first step is not sent again');
  assert.equal(storedRun(run.id).finished, true);
});

test('cancel stops a run after the step in flight', async () => {
  let release;
  const gate = new Promise((resolve) => { release = resolve; });
  const core = fakeRunCore();
  const stepRun = core.stepRun;
  let entered = 0;
  core.stepRun = async (journal, connection, onSend) => {
    entered += 1;
    if (JSON.parse(journal).cursor === 1) await gate;
    return stepRun(journal, connection, onSend);
  };
  const runner = createRunner({ core, connect: async () => CONNECTION });
  const run = await runner.start({ items: [] }, [INTENT, INTENT], 'never');
  await eventually(() => entered === 2);
  const answer = await runner.cancel(run.id);
  assert.equal(answer.cancelled, true);
  release();
  const done = await runner.finished(run.id);
  assert.equal(done.cancelled, true);
  assert.equal(done.finished, true);
  assert.deepEqual(core.executed, ['move-0-a', 'move-0-b'], 'the step in flight ends, nothing after it is sent');
  await assert.rejects(runner.cancel('no-such-run'), { kind: 'unknown_run' });
  await assert.rejects(runner.progress('no-such-run'), { kind: 'unknown_run' });
});

test('a long wait sets the alarm for its end and lets the worker stop; the alarm goes on', async () => {
  const core = fakeRunCore({ waits: { 1: 60_000 } });
  let now = 1_000_000;
  const runner = createRunner({ core, connect: async () => CONNECTION, clock: () => now });
  const run = await runner.start({ items: [] }, [INTENT], 'never');
  await eventually(() => storedRun(run.id)?.wakeAt === now + 60_000);
  await runner.resume();
  assert.equal(fake.alarmTimes.get(RUN_ALARM).when, 1_060_000);
  assert.deepEqual(core.executed, ['move-0-a']);
  const waiting = await runner.progress(run.id);
  assert.equal(waiting.finished, false);
  assert.ok(waiting.timeLeftMs >= 60_000, 'the wait counts in the time left');
  now = 1_060_001;
  await runner.resume();
  assert.deepEqual(core.executed, ['move-0-a', 'move-0-b']);
  assert.equal(storedRun(run.id).finished, true);
});

test('signed out mid-run, or a core failure, ends the run with a typed error', async () => {
  const runner = createRunner({ core: fakeRunCore(), connect: async () => null });
  const run = await runner.start({ items: [] }, [INTENT], 'never');
  const done = await runner.finished(run.id);
  assert.equal(done.error.kind, 'signed_out');

  const broken = createRunner({
    core: fakeRunCore({ fail: () => new CourierError('journal', 'The run\'s journal is from another version.') }),
    connect: async () => CONNECTION,
  });
  const second = await broken.start({ items: [] }, [INTENT], 'never');
  const failed = await broken.finished(second.id);
  assert.deepEqual(failed.error, { kind: 'journal', message: 'The run\'s journal is from another version.' });
  assert.equal((await broken.progress(second.id)).finished, true);
});

test('a run stored by an older Courier, its journal an object, ends with a sentence and is not sent', async () => {
  const core = fakeRunCore();
  const old = { ...newRun('old', { journal: '{}', progress: { total: 2 } }, 0), journal: { steps: ['a', 'b'], cursor: 0 } };
  await chrome.storage.local.set({ runs: { old } });
  const runner = createRunner({ core, connect: async () => CONNECTION });
  await runner.resume();
  const ended = await runner.finished('old');
  assert.equal(ended.error.kind, 'journal');
  assert.match(ended.error.message, /older version of Courier/);
  assert.deepEqual(core.calls, [], 'nothing was stepped');
});

test('pure pieces: step answers, time left, which run is next, what is kept', () => {
  const run = newRun('r', { journal: '{"steps":[1,2,3,4]}', progress: { done: 0, total: 4, current: null, finished: false } }, 0);
  assert.equal(run.progress.total, 4);
  assert.equal(timeLeftMs(run, 0), 4 * DEFAULT_STEP_MS);
  const stepped = applyStep(run, { journal: '{"x":1}', state: 'wait', waitMs: 2000, progress: { done: 2, total: 4, current: 'Moving' } }, 100, 1000);
  assert.equal(stepped.wakeAt, 2100);
  assert.equal(timeLeftMs(stepped, 100), 2 * 500 + 2000, 'measured pace times the steps left, plus the wait');
  assert.equal(applyStep(run, { state: 'exploded' }, 0, 0).error.kind, 'internal');
  assert.equal(applyStep(run, { journal: '{}', state: 'wait', waitMs: 1e12 }, 0, 0).wakeAt, 15 * 60 * 1000, 'waits are capped');
  assert.equal(progressAnswer(stepped, 100).current, 'Moving');

  const runs = Object.fromEntries(Array.from({ length: 9 }, (_, i) => [`r${i}`, { id: `r${i}`, createdAt: i, finished: i !== 4 && i !== 6 }]));
  assert.equal(nextRun(runs).id, 'r4');
  const kept = pruneRuns(runs);
  assert.ok(kept.r4 && kept.r6, 'unfinished runs are kept');
  assert.equal(Object.values(kept).filter((r) => r.finished).length, KEEP_FINISHED);
  assert.ok(kept.r8 && !kept.r0, 'the newest finished ones are kept');
  assert.equal(nextRun({}), null);
});
