// Shared by the Node benchmarks `cargo xtask bench` runs: loading the wasm core built for Node,
// timing runs, and printing one JSON line of results.
import { createRequire } from 'node:module';
import path from 'node:path';

/** The middle value of `values` (the mean of the two middle ones for an even count). */
export function median(values) {
  if (values.length === 0) throw new Error('median of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Milliseconds one call of `run` takes. */
export function timeOnce(run) {
  const started = performance.now();
  run();
  return performance.now() - started;
}

/**
 * The wasm core built by `wasm-pack build wasm --target nodejs` into `pkgDir`, and a function
 * that reads the size of its linear memory in bytes (which only grows, so after a call it is
 * the high-water mark the call reached).
 */
export function loadCore(pkgDir) {
  const require = createRequire(import.meta.url);
  const Instance = WebAssembly.Instance;
  let exports;
  // The glue keeps the instance to itself; catch its exports on the way to read the memory.
  WebAssembly.Instance = function instance(module, imports) {
    const created = new Instance(module, imports);
    exports = created.exports;
    return created;
  };
  let core;
  try {
    core = require(path.resolve(pkgDir, 'courier_wasm.js'));
  } finally {
    WebAssembly.Instance = Instance;
  }
  if (!exports?.memory) throw new Error(`${pkgDir} is not a wasm-pack nodejs build with a memory export`);
  return { core, memoryBytes: () => exports.memory.buffer.byteLength };
}

/** The JS heap in use after a full collection (needs `node --expose-gc`). */
export function heapAfterGc() {
  if (typeof globalThis.gc !== 'function') throw new Error('run node with --expose-gc');
  globalThis.gc();
  return process.memoryUsage().heapUsed;
}

/** The command line's arguments after the script, or an error saying what they should be. */
export function args(count, usage) {
  const given = process.argv.slice(2);
  if (given.length !== count) throw new Error(`usage: node ${path.basename(process.argv[1])} ${usage}`);
  return given;
}

/** A positive whole number from the command line. */
export function runsArg(text) {
  const runs = Number(text);
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`${text} is not a number of runs`);
  return runs;
}

/** Prints the results as one line of JSON, the only thing on stdout. */
export function report(results) {
  process.stdout.write(`${JSON.stringify(results)}\n`);
}
