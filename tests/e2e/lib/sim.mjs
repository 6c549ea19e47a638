// Starting courier-sim for a browser test and talking to its control API.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

/** The workspace root (tests/e2e/lib -> ../../..). */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** The courier-sim binary `cargo test --workspace` (or `cargo build -p courier-sim`) leaves behind. */
export const SIM_BINARY = path.join(process.env.CARGO_TARGET_DIR ?? path.join(ROOT, 'target'), 'debug', 'courier-sim');

/**
 * Starts `courier-sim serve` with these extra flags and waits for its ready line.
 * Resolves to { http, https, apiKey, control(path, body?), stop() }.
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
  const control = async (route, body) => {
    const response = await fetch(`${ready.http}/__sim/${route}`, body === undefined
      ? {}
      : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (!response.ok) throw new Error(`control ${route}: HTTP ${response.status} ${await response.text()}`);
    return response.status === 204 ? null : response.json();
  };
  return {
    http: ready.http,
    https: ready.https,
    apiKey: ready.api_key,
    control,
    stop: () => child.kill(),
  };
}
