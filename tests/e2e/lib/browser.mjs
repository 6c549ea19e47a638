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

/**
 * A fresh persistent context whose www.bungie.net and Sony hosts are the simulator's HTTPS
 * listener. Extra Chromium arguments (for extensions) come in `args`.
 * Resolves to { context, profileDir, close() }.
 */
export async function launch(sim, { args = [] } = {}) {
  const port = new URL(sim.https).port;
  const rules = MAPPED_HOSTS.map((host) => `MAP ${host} 127.0.0.1:${port}`).join(',');
  const profileDir = mkdtempSync(path.join(tmpdir(), 'courier-e2e-'));
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM,
    headless: true,
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
      ...args,
    ],
  });
  return {
    context,
    profileDir,
    close: async () => {
      await context.close();
      rmSync(profileDir, { recursive: true, force: true });
    },
  };
}
