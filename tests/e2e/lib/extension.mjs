// The built extension (`cargo xtask dist`) and the native host, as the browser tests use them.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

import { ROOT, TARGET_DIR } from './sim.mjs';

/** The Chromium-family build that `cargo xtask dist` writes. */
export const DIST = path.join(ROOT, 'dist', 'extension');

/** The id the manifest's `key` pins (the native host allows exactly this one). */
export const EXTENSION_ID = 'nikakecbkkfjobcpnlceoecocaphahof';

/** The courier-host binary `cargo test --workspace` (or `cargo build -p courier-host`) leaves behind. */
export const HOST_BINARY = path.join(TARGET_DIR, 'debug', 'courier-host');

/** The popup's size in the toolbar: popup.css's width, and Chromium's largest popup height. */
export const POPUP_VIEWPORT = { width: 480, height: 600 };

/** A page of the extension, e.g. `popup.html`. */
export function extensionUrl(page) {
  return `chrome-extension://${EXTENSION_ID}/${page}`;
}

/** Throws, saying what to run, when the extension or the host binary was not built. */
export function requireBuilt() {
  if (!existsSync(path.join(DIST, 'manifest.json'))) {
    throw new Error(`${DIST} is not built: run \`cargo xtask dist\` (cargo xtask test does)`);
  }
  if (!existsSync(HOST_BINARY)) {
    throw new Error(`${HOST_BINARY} is missing: build it with \`cargo build -p courier-host\` (cargo xtask test does)`);
  }
}

/**
 * The environment courier-host needs to reach the simulator instead of bungie.net and Sony (the
 * browser passes its own environment on to the native hosts it starts).
 */
export function hostEnv(sim) {
  return { COURIER_BUNGIE_ORIGIN: sim.http, COURIER_PSN_ORIGIN: sim.http, COURIER_API_KEY: sim.apiKey };
}

/**
 * `courier-host install --browser chromium --user-data-dir DIR`: the native-messaging manifest
 * into the profile a test browser starts with. Resolves to the path of the manifest written.
 */
export async function installHost(profileDir, env = {}) {
  const args = ['install', '--browser', 'chromium', '--user-data-dir', profileDir, '--extension-id', EXTENSION_ID];
  try {
    await promisify(execFile)(HOST_BINARY, args, { env: { ...process.env, ...env } });
  } catch (error) {
    throw new Error(`courier-host ${args.join(' ')} failed: ${error.stderr || error.message}`);
  }
  return path.join(profileDir, 'NativeMessagingHosts', 'dev.courier.host.json');
}

/** Sends one popup<->worker protocol message from an extension page; resolves to the answer. */
export function ask(page, message) {
  return page.evaluate((sent) => chrome.runtime.sendMessage(sent), message);
}
