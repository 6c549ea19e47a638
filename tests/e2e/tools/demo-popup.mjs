// `cargo xtask demo --headless`: opens Courier's popup in a headless Chromium against the running
// simulator (signed in with a session the simulator opens), waits for the gear, saves a
// screenshot, and exits (0 on success, 1 with a reason).
//
//   node e2e/tools/demo-popup.mjs --http URL --https URL --api-key KEY --extension DIR
//        --extension-id ID --profile DIR --out FILE.png
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';

import { POPUP_VIEWPORT } from '../lib/extension.mjs';
import { POPUP_TIMEOUT_MS, popupSettled, signedInBrowser } from '../lib/popup.mjs';
import { connectSim } from '../lib/sim.mjs';

const NAMES = ['http', 'https', 'api-key', 'extension', 'extension-id', 'profile', 'out'];
const { values: options } = parseArgs({
  options: Object.fromEntries(NAMES.map((name) => [name, { type: 'string' }])),
});
const missing = NAMES.filter((name) => !options[name]);
if (missing.length > 0) {
  console.error(`demo-popup: missing ${missing.map((name) => `--${name}`).join(', ')}`);
  process.exit(2);
}

const sim = connectSim({ http: options.http, https: options.https, api_key: options['api-key'] });
const browser = await signedInBrowser(sim, { extension: options.extension, profileDir: options.profile });
try {
  const page = await browser.context.newPage();
  await page.setViewportSize(POPUP_VIEWPORT);
  await page.goto(`chrome-extension://${options['extension-id']}/popup.html`);
  await popupSettled(page).catch(async (error) => {
    const shown = await page.locator('body').innerText().catch(() => '(nothing)');
    throw new Error(`the popup showed no gear within ${POPUP_TIMEOUT_MS / 1000} s; it shows:\n${shown}\n(${error.message})`);
  });
  mkdirSync(path.dirname(options.out), { recursive: true });
  await page.screenshot({ path: options.out });
  console.log(`demo-popup: saved ${options.out}`);
} catch (error) {
  console.error(`demo-popup: ${error.message}`);
  process.exitCode = 1;
} finally {
  await browser.close();
}
