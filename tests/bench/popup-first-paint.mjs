// popup_first_paint: opening the popup with a cached inventory until the gear is drawn, in
// Chromium with the built extension, signed in against courier-sim on the real host names.
// The first opening fills the cache (and is not counted); each counted one opens popup.html in
// a new page and takes the time from its navigation start to the first animation frame in
// which the gear grid is shown with items in it, then waits for the refresh that follows to
// finish before the next.
//
//   node popup-first-paint.mjs EXTENSION_DIR RUNS
// prints {"runs", "medianMs", "samplesMs"}.
import { REAL_HOST_FLAGS, startSim } from '../e2e/lib/sim.mjs';
import { POPUP_VIEWPORT, extensionUrl } from '../e2e/lib/extension.mjs';
import { popupSettled, signedInBrowser } from '../e2e/lib/popup.mjs';

import { args, median, report, runsArg } from './lib.mjs';

const [extensionDir, runsText] = args(2, 'EXTENSION_DIR RUNS');
const runs = runsArg(runsText);

/** Records, in the page, the time of the first frame that shows the gear with items. */
function watchForGear() {
  const shown = () => {
    const gear = document.querySelector('[data-testid="gear"]');
    return gear !== null && !gear.hidden && gear.querySelector('[data-testid="item"]') !== null;
  };
  const frame = () => {
    if (shown()) window.courierGearDrawnAt = performance.now();
    else requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
}

async function openOnce(context) {
  const page = await context.newPage();
  await page.setViewportSize(POPUP_VIEWPORT);
  await page.goto(extensionUrl('popup.html'));
  await page.waitForFunction(() => window.courierGearDrawnAt !== undefined, null, { timeout: 60_000 });
  const drawnAt = await page.evaluate(() => window.courierGearDrawnAt);
  await popupSettled(page);
  await page.close();
  return drawnAt;
}

const sim = await startSim(REAL_HOST_FLAGS);
let browser;
try {
  browser = await signedInBrowser(sim, { extension: extensionDir });
  await browser.context.addInitScript(watchForGear);
  await openOnce(browser.context);
  const samplesMs = [];
  for (let run = 0; run < runs; run += 1) samplesMs.push(await openOnce(browser.context));
  report({ runs, medianMs: median(samplesMs), samplesMs });
} finally {
  await browser?.close();
  sim.stop();
}
