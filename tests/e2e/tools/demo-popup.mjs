// `cargo xtask demo --headless`: opens Courier's popup in a headless Chromium against the running
// simulator, waits for the gear, saves a screenshot, and exits (0 on success, 1 with a reason).
//
//   node e2e/tools/demo-popup.mjs --http URL --https URL --api-key KEY --extension DIR
//        --extension-id ID --profile DIR --out FILE.png
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';

import { launch } from '../lib/browser.mjs';
import { connectSim } from '../lib/sim.mjs';

/** How long the popup may take to show the gear. */
const GEAR_TIMEOUT_MS = 60_000;

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
const browser = await launch(sim, { extension: options.extension, profileDir: options.profile });
try {
  // Sign the browser in the way the website would: the simulator opens a session and the
  // browser gets its three cookies on www.bungie.net.
  const cookies = await sim.control('session', {});
  await browser.context.addCookies(Object.entries(cookies).map(([name, value]) => ({
    name, value, domain: 'www.bungie.net', path: '/', secure: true, httpOnly: name === 'bungleatk',
  })));
  const page = await browser.context.newPage();
  await page.setViewportSize({ width: 800, height: 900 });
  await page.goto(`chrome-extension://${options['extension-id']}/popup.html`);
  await page.locator('[data-testid="gear"] [data-testid="item"]').first()
    .waitFor({ timeout: GEAR_TIMEOUT_MS })
    .catch(async (error) => {
      const shown = await page.locator('body').innerText().catch(() => '(nothing)');
      throw new Error(`the popup showed no gear within ${GEAR_TIMEOUT_MS / 1000} s; it shows:\n${shown}\n(${error.message})`);
    });
  mkdirSync(path.dirname(options.out), { recursive: true });
  await page.screenshot({ path: options.out, fullPage: true });
  console.log(`demo-popup: saved ${options.out}`);
} catch (error) {
  console.error(`demo-popup: ${error.message}`);
  process.exitCode = 1;
} finally {
  await browser.close();
}
