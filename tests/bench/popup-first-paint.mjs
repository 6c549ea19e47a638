// popup_first_paint: opening the popup with a cached inventory until the gear is drawn, in
// Chromium with the built extension, signed in against courier-sim on the real host names.
// The first opening fills the cache (and is not counted); each counted one opens popup.html in
// a new page and takes the time from its navigation start to the first animation frame in
// which the gear grid is shown with items in it: when that frame starts, and when the page has
// finished rendering it (style, layout and paint; the task posted from the frame's callback
// runs only then). The page reports both with a console message, so the harness runs nothing
// in the page (Playwright's polling would) until the gear is drawn. Then it waits for the
// refresh that follows to finish before the next, and each opening starts once the machine is
// quiet: what the last refresh set off (the worker's storage, the simulator) or other work on a
// shared machine would otherwise land in the middle of the next first frame.
//
//   node popup-first-paint.mjs EXTENSION_DIR RUNS
// prints {"runs", "medianMs", "samplesMs", "frameStartMedianMs", "busyStarts"}: the median and
// samples until the frame is rendered, the median until it starts, and how many openings
// started before the machine was quiet (the wait ran out).
import { readFile } from 'node:fs/promises';

import { REAL_HOST_FLAGS, startSim } from '../e2e/lib/sim.mjs';
import { POPUP_VIEWPORT, extensionUrl } from '../e2e/lib/extension.mjs';
import { popupSettled, signedInBrowser } from '../e2e/lib/popup.mjs';

import { args, median, report, runsArg } from './lib.mjs';

const [extensionDir, runsText] = args(2, 'EXTENSION_DIR RUNS');
const runs = runsArg(runsText);

/** The machine is quiet when its CPUs are at most this busy (not idle) over `QUIET_WINDOW_MS`. */
const QUIET_BUSY = 0.35;
const QUIET_WINDOW_MS = 300;
/** How long an opening waits for the machine to be quiet at most. */
const QUIET_WAIT_MS = 15_000;

/** All CPUs' idle and total time so far, from the first line of /proc/stat, or null. */
async function cpuTimes() {
  try {
    const [, ...fields] = (await readFile('/proc/stat', 'utf8')).split('\n')[0].trim().split(/\s+/);
    const ticks = fields.map(Number);
    return { idle: ticks[3] + ticks[4], total: ticks.reduce((sum, tick) => sum + tick, 0) };
  } catch {
    return null;
  }
}

/** Waits until the machine is quiet; false when the wait ran out (or the CPUs cannot be read). */
async function quietMachine() {
  const until = Date.now() + QUIET_WAIT_MS;
  while (Date.now() < until) {
    const before = await cpuTimes();
    await new Promise((resolve) => setTimeout(resolve, QUIET_WINDOW_MS));
    const after = await cpuTimes();
    if (before === null || after === null) return false;
    const total = after.total - before.total;
    if (total > 0 && 1 - (after.idle - before.idle) / total <= QUIET_BUSY) return true;
  }
  return false;
}

/** How the page's console message that reports the times begins. */
const GEAR_DRAWN = 'courier-bench-gear-drawn ';

/**
 * In the page: logs `courier-bench-gear-drawn {"frameAt", "drawnAt"}`, when the first frame that
 * shows the gear with items starts and when its rendering is done.
 */
function watchForGear() {
  const shown = () => {
    const gear = document.querySelector('[data-testid="gear"]');
    return gear !== null && !gear.hidden && gear.querySelector('[data-testid="item"]') !== null;
  };
  const frame = () => {
    if (!shown()) {
      requestAnimationFrame(frame);
      return;
    }
    const frameAt = performance.now();
    const rendered = new MessageChannel();
    rendered.port1.onmessage = () => {
      const drawnAt = performance.now();
      console.debug(`courier-bench-gear-drawn ${JSON.stringify({ frameAt, drawnAt })}`);
    };
    rendered.port2.postMessage(null);
  };
  requestAnimationFrame(frame);
}

async function openOnce(context) {
  const page = await context.newPage();
  await page.setViewportSize(POPUP_VIEWPORT);
  const drawn = page.waitForEvent('console', { predicate: (message) => message.text().startsWith(GEAR_DRAWN), timeout: 60_000 });
  await page.goto(extensionUrl('popup.html'));
  const times = JSON.parse((await drawn).text().slice(GEAR_DRAWN.length));
  await popupSettled(page);
  await page.close();
  return times;
}

const sim = await startSim(REAL_HOST_FLAGS);
let browser;
try {
  browser = await signedInBrowser(sim, { extension: extensionDir });
  await browser.context.addInitScript(watchForGear);
  await openOnce(browser.context);
  const opened = [];
  let busyStarts = 0;
  for (let run = 0; run < runs; run += 1) {
    if (!(await quietMachine())) busyStarts += 1;
    opened.push(await openOnce(browser.context));
  }
  const samplesMs = opened.map((times) => times.drawnAt);
  report({
    runs,
    medianMs: median(samplesMs),
    samplesMs,
    frameStartMedianMs: median(opened.map((times) => times.frameAt)),
    busyStarts,
  });
} finally {
  await browser?.close();
  sim.stop();
}
