// One scenario of the browser tests as its own test: a simulator started for it alone (a fresh
// world, log and sessions), a fresh browser profile with the built extension (and, when asked,
// the real native host installed into it), and a screenshot of the popup in its final state under
// target/e2e-artifacts/, named after the scenario, whether the scenario passed or not.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

import { browserMissing, extensionWorker, launch } from './browser.mjs';
import { DIST, hostEnv, installHost, POPUP_VIEWPORT, requireBuilt } from './extension.mjs';
import { addSessionCookies, openPopup, POPUP_TIMEOUT_MS } from './popup.mjs';
import { REAL_HOST_FLAGS, startSim, TARGET_DIR } from './sim.mjs';

/** Where every scenario's screenshot goes. */
export const ARTIFACTS = path.join(TARGET_DIR, 'e2e-artifacts');

/** A file name made from a scenario's name: "1. Browser session: ..." -> "01-browser-session-....png". */
export function screenshotName(name) {
  const number = /^(\d+)\./.exec(name)?.[1];
  const words = name.replace(/^\d+\.\s*/, '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
  const stem = number ? `${number.padStart(2, '0')}-${words}` : words;
  return `${stem.slice(0, 80).replace(/-$/, '')}.png`;
}

/**
 * What a scenario works with: `sim` (its own simulator), `context` (its browser), `world()` (the simulator's world), `log()` (its request log), `popup(state)` (opens the popup
 * as openPopup does; it becomes the one screenshotted at the end), `worker()` (the extension's
 * service worker, looked up afresh each time).
 */
class Scenario {
  constructor(sim, browser) {
    this.sim = sim;
    this.context = browser.context;
    this.shownPopup = null;
  }

  async world() {
    return (await this.sim.control('state')).world;
  }

  async log() {
    return this.sim.control('log');
  }

  async popup(state = 'ready') {
    this.shownPopup = await openPopup(this.context, state);
    return this.shownPopup;
  }

  worker() {
    return extensionWorker(this.context);
  }

  /** Saves the popup as it is now (opening one if the scenario never did) to `file` in ARTIFACTS. */
  async screenshot(file) {
    let page = this.shownPopup;
    if (!page || page.isClosed()) page = await openPopup(this.context, null);
    mkdirSync(ARTIFACTS, { recursive: true });
    // What the toolbar popup shows, at its size (as `cargo xtask demo` saves it).
    await page.setViewportSize(POPUP_VIEWPORT);
    await page.screenshot({ path: path.join(ARTIFACTS, file), timeout: POPUP_TIMEOUT_MS });
  }
}

/**
 * Declares scenario `name` as a test. Options: `simFlags` (added to the real-host flags),
 * `host` (install courier-host into the profile), `session` (open a bungie.net session in the
 * simulator and put its three cookies in the browser, as signing in on the website leaves them),
 * `beforeBrowser(sim)` (changes the world before the browser starts). `body(scenario)` runs it.
 */
export function scenario(name, options, body) {
  const skip = browserMissing();
  test(name, { skip: skip ?? false }, async () => {
    requireBuilt();
    const sim = await startSim([...REAL_HOST_FLAGS, ...(options.simFlags ?? [])]);
    const profileDir = mkdtempSync(path.join(tmpdir(), 'courier-e2e-scenario-'));
    let browser;
    let failure = null;
    let run = null;
    try {
      await options.beforeBrowser?.(sim);
      if (options.host) await installHost(profileDir, hostEnv(sim));
      browser = await launch(sim, { extension: DIST, profileDir, env: hostEnv(sim) });
      if (options.session) await addSessionCookies(sim, browser.context);
      await extensionWorker(browser.context);
      run = new Scenario(sim, browser);
      await body(run);
    } catch (error) {
      failure = error;
    }
    try {
      await run?.screenshot(screenshotName(name));
    } catch (error) {
      failure ??= new Error(`the popup's screenshot could not be saved: ${error.message}`);
    }
    await browser?.close();
    sim.stop();
    rmSync(profileDir, { recursive: true, force: true });
    if (failure) throw failure;
  });
}
