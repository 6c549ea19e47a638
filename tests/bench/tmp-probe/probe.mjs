// popup_first_paint: opening the popup with a cached inventory until the gear is drawn, in
// Chromium with the built extension, signed in against courier-sim on the real host names.
// The first opening fills the cache (and is not counted); each counted one opens popup.html in
// a new page and takes the time from its navigation start to the first animation frame in
// which the gear grid is shown with items in it: when that frame starts, and when the page has
// finished rendering it (style, layout and paint; the task posted from the frame's callback
// runs only then). The page reports both with a console message, so the harness runs nothing
// in the page (Playwright's polling would) until the gear is drawn. Then it waits for the
// refresh that follows to finish before the next.
//
//   node popup-first-paint.mjs EXTENSION_DIR RUNS
// prints {"runs", "medianMs", "samplesMs", "frameStartMedianMs"}: the median and samples until
// the frame is rendered, and the median until it starts.
import { REAL_HOST_FLAGS, startSim } from '../../e2e/lib/sim.mjs';
import { POPUP_VIEWPORT, extensionUrl } from '../../e2e/lib/extension.mjs';
import { popupSettled, signedInBrowser } from '../../e2e/lib/popup.mjs';

import { args, median, report, runsArg } from '../lib.mjs';

const [extensionDir, runsText] = args(2, 'EXTENSION_DIR RUNS');
const runs = runsArg(runsText);

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
      const nav = performance.getEntriesByType('navigation')[0];
      const res = Object.fromEntries(performance.getEntriesByType('resource').map((r) => [r.name.split('/').pop(), [Math.round(r.startTime), Math.round(r.responseEnd)]]));
      const marks = Object.fromEntries(performance.getEntriesByType('mark').map((m) => [m.name, Math.round(m.startTime)]));
      console.debug(`courier-bench-gear-drawn ${JSON.stringify({ frameAt, drawnAt, resp: Math.round(nav.responseStart), respEnd: Math.round(nav.responseEnd), domInteractive: Math.round(nav.domInteractive), dcl: Math.round(nav.domContentLoadedEventStart), res, marks })}`);
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
  for (let run = 0; run < runs; run += 1) opened.push(await openOnce(browser.context));
  const samplesMs = opened.map((times) => times.drawnAt);
  report({ runs, medianMs: median(samplesMs), samplesMs, frameStartMedianMs: median(opened.map((times) => times.frameAt)) });
  for (const o of opened) console.log(JSON.stringify(o));
} finally {
  await browser?.close();
  sim.stop();
}
