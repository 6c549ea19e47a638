// manifest_table: building the compact definitions from a DestinyInventoryItemDefinition file,
// with the wasm core's DefinitionsBuilder fed the file in pieces the way fetchDefinitions feeds
// it a download, or JSON.parse of the same file: the time (median of `runs`) and the memory the
// first run takes. Run each in its own process, so neither sees the other's memory:
//
//   node --expose-gc manifest-table.mjs wasm PKG_DIR ITEMS_JSON BUCKETS_JSON RUNS
//   node --expose-gc manifest-table.mjs json-parse - ITEMS_JSON - RUNS
// prints {"runs", "bytes", "medianMs", "memoryBytes", ...} with, for wasm, the piece size and
// the size of the definitions' cache bytes and, for JSON.parse, the number of entities.
//
// Memory for the wasm core is how much its linear memory grew (one piece of the file at a
// time, the unfinished entry, the definitions and their cache bytes) plus the JS memory growth
// (the JS heap and ArrayBuffers, where the cache bytes handed back are); for JSON.parse it is
// the same JS memory growth with the parsed tree alive. The file is already in memory for both
// (as bytes, or as text).
import { readFileSync } from 'node:fs';

import { args, heapAfterGc, loadCore, median, report, runsArg, timeOnce } from './lib.mjs';

// The most bytes fetchDefinitions copies into the module at once (PIECE_BYTES in
// wasm/src/http.rs), whatever the size of the chunks the browser's download hands it.
const PIECE_BYTES = 64 * 1024;

const [mode, pkgDir, itemsPath, bucketsPath, runsText] = args(5, 'wasm|json-parse PKG_DIR ITEMS_JSON BUCKETS_JSON RUNS');
const runs = runsArg(runsText);
const bytes = new Uint8Array(readFileSync(itemsPath));

/** The JS memory in use: the heap, and ArrayBuffers' bytes (kept outside it). */
function jsMemory() {
  const { heapUsed, arrayBuffers } = process.memoryUsage();
  return heapUsed + arrayBuffers;
}

/**
 * Times `build` and measures the memory its first run takes; `ownMemory` reads memory outside
 * the JS heap that only grows (the wasm core's), `describe` says what a result holds.
 */
function measure(build, ownMemory, describe) {
  heapAfterGc();
  const jsBefore = jsMemory();
  const ownBefore = ownMemory();
  let kept = build();
  const memoryBytes = ownMemory() - ownBefore + (jsMemory() - jsBefore);
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
  const build = () => {
    const builder = new core.DefinitionsBuilder();
    for (let from = 0; from < bytes.length; from += PIECE_BYTES) {
      builder.push(bytes.subarray(from, from + PIECE_BYTES));
    }
    return builder.finish(buckets);
  };
  results = measure(build, memoryBytes, (cache) => ({ pieceBytes: PIECE_BYTES, cacheBytes: cache.length }));
} else if (mode === 'json-parse') {
  const text = new TextDecoder().decode(bytes);
  const build = () => JSON.parse(text);
  results = measure(build, () => 0, (table) => ({ entities: Object.keys(table).length }));
} else {
  throw new Error(`unknown mode ${mode}: wasm or json-parse`);
}
report(results);
