// Launching Debian's Chromium through playwright-core with the real host names mapped to the simulator.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

/** Debian's Chromium; browser downloads do not work on these machines. */
export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

/** Why browser tests cannot run here, or null when they can. */
export function browserMissing() {
  return existsSync(CHROMIUM) ? null : `${CHROMIUM} is missing: run \`cargo xtask setup\` as root, or apt-get install chromium`;
}

/** Host names the browser reaches the simulator at, on its HTTPS port. */
export const MAPPED_HOSTS = ['www.bungie.net', 'auth.api.sonyentertainmentnetwork.com'];

/** The Chromium arguments that load the unpacked extension in `dir` and no other. */
export function extensionArgs(dir) {
  return [`--disable-extensions-except=${dir}`, `--load-extension=${dir}`];
}

/**
 * A persistent context whose www.bungie.net and Sony hosts are the simulator's HTTPS listener.
 * Options: `extension` (an unpacked extension folder to load), `profileDir` (the user-data-dir to
 * use and keep; by default a fresh one, removed on close), `env` (added to Chromium's environment,
 * which the native hosts it starts inherit), `headless` (default true), and extra Chromium `args`.
 * Resolves to { context, profileDir, close() }.
 */
export async function launch(sim, { args = [], extension, profileDir, env = {}, headless = true } = {}) {
  const port = new URL(sim.https).port;
  const rules = MAPPED_HOSTS.map((host) => `MAP ${host} 127.0.0.1:${port}`).join(',');
  const ownProfile = profileDir === undefined;
  const userDataDir = ownProfile ? mkdtempSync(path.join(tmpdir(), 'courier-e2e-')) : profileDir;
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless,
    env: { ...process.env, ...env },
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      `--host-resolver-rules=${rules}`,
      '--ignore-certificate-errors',
      ...(extension === undefined ? [] : extensionArgs(extension)),
      ...args,
    ],
  });
  return {
    context,
    profileDir: userDataDir,
    close: async () => {
      await context.close();
      if (ownProfile) rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/** The extension's service worker in `context`, waiting up to `timeout` ms for it to start. */
export async function extensionWorker(context, { timeout = 30_000 } = {}) {
  const [running] = context.serviceWorkers();
  return running ?? context.waitForEvent('serviceworker', { timeout });
}
