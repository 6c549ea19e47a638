// A stand-in for the wasm core's run functions: a journal is the JSON text of a list of named
// steps and a cursor (the real core's journals are text too), and each stepRun carries out
// one step (recording it), so tests can see what ran and how often.

/** When the inventory a finished fake run hands back was minted. */
export const RUN_MINTED = '2099-01-01T00:00:00Z';

/** A fake core; `executed` lists every step it carried out, in order. */
export function fakeRunCore({ waits = {}, hang = () => false, fail = () => null } = {}) {
  const executed = [];
  const calls = [];
  return {
    executed,
    calls,
    startRun(inventory, intents, makeRoom) {
      const steps = intents.flatMap((intent, index) => [`${intent.kind}-${index}-a`, `${intent.kind}-${index}-b`]);
      return {
        journal: JSON.stringify({ steps, cursor: 0, waited: [], makeRoom, inventory }),
        progress: { done: 0, total: steps.length, current: null, finished: false },
      };
    },
    async stepRun(text, connection, onSend) {
      const journal = JSON.parse(text);
      calls.push({ cursor: journal.cursor, connection });
      const failure = fail(journal);
      if (failure) throw failure;
      const total = journal.steps.length;
      const progress = (done, current) => ({ done, total, current, finished: done === total });
      const waitMs = waits[journal.cursor];
      if (waitMs !== undefined && !journal.waited.includes(journal.cursor)) {
        const waited = JSON.stringify({ ...journal, waited: [...journal.waited, journal.cursor] });
        return { journal: waited, state: 'wait', waitMs, progress: progress(journal.cursor, null), report: null, profile: null };
      }
      const step = journal.steps[journal.cursor];
      await onSend?.(JSON.stringify({ ...journal, inFlight: step }));
      if (hang(journal)) return new Promise(() => {});
      executed.push(step);
      const next = { ...journal, cursor: journal.cursor + 1, inFlight: null };
      const done = next.cursor === total;
      return {
        journal: JSON.stringify(next),
        state: done ? 'done' : 'running',
        waitMs: 0,
        progress: progress(next.cursor, done ? null : `Doing ${journal.steps[next.cursor]}`),
        report: done ? { intents: [{ intent: 0, done: true, items: [] }], movedAside: [], stepsDone: total } : null,
        // The inventory as the run left it, minted later than anything the tests fetch.
        profile: done ? { inventory: journal.inventory, minted: RUN_MINTED, characters: [] } : null,
      };
    },
  };
}

/** Resolves after the runner's background work has had a chance to run. */
export function settle(ms = 20) {
  return new Promise((resolve) => { setTimeout(resolve, ms); });
}

/** Waits until `check()` is true (polling), failing after `ms`. */
export async function eventually(check, ms = 2000) {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('the condition never became true');
    await settle(5);
  }
}
