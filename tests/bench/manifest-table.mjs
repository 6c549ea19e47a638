// manifest_table: building the compact definitions from a DestinyInventoryItemDefinition file,
// with the wasm core's definitionsFromTables, or JSON.parse of the same file: the time (median
// of `runs`) and the memory the first run takes. Run each in its own process, so neither sees
// the other's memory:
//
//   node --expose-gc manifest-table.mjs wasm PKG_DIR ITEMS_JSON BUCKETS_JSON RUNS
//   node --expose-gc manifest-table.mjs json-parse - ITEMS_JSON - RUNS
// prints {"runs", "bytes", "medianMs", "memoryBytes", ...} with, for wasm, the size of the
// definitions' cache bytes and, for JSON.parse, the number of entities.
//
// Memory for the wasm core is how much its linear memory grew (the file's bytes copied in, the
// parse, the definitions and their cache bytes) plus the JS heap growth; for JSON.parse it is
// the JS heap growth with the parsed tree alive. The file is already in memory for both (as
// bytes, or as text).
import { readFileSync } from 'node:fs';

import { args, heapAfterGc, loadCore, median, report, runsArg, timeOnce } from './lib.mjs';

const [mode, pkgDir, itemsPath, bucketsPath, runsText] = args(5, 'wasm|json-parse PKG_DIR ITEMS_JSON BUCKETS_JSON RUNS');
const runs = runsArg(runsText);
const bytes = new Uint8Array(readFileSync(itemsPath));

/**
 * Times `build` and measures the memory its first run takes; `ownMemory` reads memory outside
 * the JS heap that only grows (the wasm core's), `describe` says what a result holds.
 */
function measure(build, ownMemory, describe) {
  const heapBefore = heapAfterGc();
  const ownBefore = ownMemory();
  let kept = build();
  const memoryBytes = ownMemory() - ownBefore + (process.memoryUsage().heapUsed - heapBefore);
  const described = describe(kept);
  kept = null;
  const times = [];
  for (let run = 0; run < runs; run += 1) {
    heapAfterGc();
    times.push(timeOnce(build));
  }
  return { runs, bytes: bytes.length, medianMs: median(times), memoryBytes, ...described };
}

let results;
if (mode === 'wasm') {
  const { core, memoryBytes } = loadCore(pkgDir);
  const buckets = new Uint8Array(readFileSync(bucketsPath));
  const build = () => core.definitionsFromTables(bytes, buckets);
  results = measure(build, memoryBytes, (cache) => ({ cacheBytes: cache.length }));
} else if (mode === 'json-parse') {
  const text = new TextDecoder().decode(bytes);
  const build = () => JSON.parse(text);
  results = measure(build, () => 0, (table) => ({ entities: Object.keys(table).length }));
} else {
  throw new Error(`unknown mode ${mode}: wasm or json-parse`);
}
report(results);
