// Starting courier-sim for a browser test (or reaching one started elsewhere) and talking to its
// control API.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

/** The workspace root (tests/e2e/lib -> ../../..). */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** Cargo's target folder, where the binaries are built. */
export const TARGET_DIR = process.env.CARGO_TARGET_DIR
  ? path.resolve(ROOT, process.env.CARGO_TARGET_DIR)
  : path.join(ROOT, 'target');

/** The courier-sim binary `cargo test --workspace` (or `cargo build -p courier-sim`) leaves behind. */
export const SIM_BINARY = path.join(TARGET_DIR, 'debug', 'courier-sim');

/** The flags that make the simulator answer as www.bungie.net and Sony's sign-in host. */
export const REAL_HOST_FLAGS = [
  '--https', '127.0.0.1:0',
  '--bungie-origin', 'https://www.bungie.net',
  '--psn-origin', 'https://auth.api.sonyentertainmentnetwork.com',
];

/**
 * Starts `courier-sim serve` with these extra flags and waits for its ready line.
 * Resolves to { http, https, apiKey, control(route, body?, method?), stop() }.
 */
export async function startSim(flags = []) {
  if (!existsSync(SIM_BINARY)) {
    throw new Error(`${SIM_BINARY} is missing: build it with \`cargo build -p courier-sim\` (cargo xtask test does)`);
  }
  const child = spawn(SIM_BINARY, ['serve', ...flags], { stdio: ['ignore', 'pipe', 'inherit'] });
  const ready = await new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    child.once('exit', (code) => reject(new Error(`courier-sim exited with ${code} before it was ready`)));
    lines.once('line', (line) => {
      try {
        resolve(JSON.parse(line));
      } catch (error) {
        reject(new Error(`courier-sim's ready line is not JSON: ${line}`));
      }
    });
  });
  return { ...connectSim(ready), stop: () => child.kill() };
}

/**
 * A simulator already running, from its ready line (`{http, https, api_key}`):
 * { http, https, apiKey, control(route, body?, method?) }.
 */
export function connectSim(ready) {
  const control = async (route, body, method = body === undefined ? 'GET' : 'POST') => {
    const init = { method };
    if (body !== undefined) {
      init.headers = { 'content-type': 'application/json' };
      init.body = JSON.stringify(body);
    }
    const response = await fetch(`${ready.http}/__sim/${route}`, init);
    const text = await response.text();
    if (!response.ok) throw new Error(`control ${method} ${route}: HTTP ${response.status} ${text}`);
    return text === '' ? null : parseKeepingIds(text);
  };
  return { http: ready.http, https: ready.https, apiKey: ready.api_key, control };
}

/**
 * JSON.parse, except that integers too long for a double (bungie.net's int64 ids, which the
 * control API writes as numbers) become strings with every digit kept.
 */
export function parseKeepingIds(text) {
  const quoted = text.replace(/"(?:[^"\\]|\\.)*"|(?<![\d.])-?\d{16,}(?![.eE\d])/g,
    (token) => (token.startsWith('"') ? token : `"${token}"`));
  return JSON.parse(quoted);
}
