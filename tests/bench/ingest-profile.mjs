// ingest_profile: the wasm core's parseProfile over the bytes of a GetProfile answer (building
// the inventory and handing it over as the text the extension keeps), against
// JSON.parse of the same text in the same process (the least any JavaScript manager pays), each
// timed over `runs` runs after a warm-up, interleaved so both see the same machine.
//
//   node ingest-profile.mjs PKG_DIR PROFILE_JSON RUNS
// prints {"runs", "bytes", "wasmMs", "jsonParseMs"} (medians, in milliseconds).
import { readFileSync } from 'node:fs';

import { args, loadCore, median, report, runsArg, timeOnce } from './lib.mjs';

const WARM_UP_RUNS = 5;

const [pkgDir, profilePath, runsText] = args(3, 'PKG_DIR PROFILE_JSON RUNS');
const runs = runsArg(runsText);
const { core } = loadCore(pkgDir);
const bytes = new Uint8Array(readFileSync(profilePath));
const text = new TextDecoder().decode(bytes);

const wasm = () => core.parseProfile(bytes);
const jsonParse = () => JSON.parse(text);
// The inventory crosses as text in the core's binary form, which the extension stores and hands
// back without reading it; the empty search, which matches every item, counts them once,
// outside the timing.
const items = core.search(wasm(), '').count;
if (items === 0) throw new Error(`${profilePath} holds no items; is it a GetProfile answer?`);

for (let run = 0; run < WARM_UP_RUNS; run += 1) {
  wasm();
  jsonParse();
}
const wasmMs = [];
const jsonParseMs = [];
for (let run = 0; run < runs; run += 1) {
  wasmMs.push(timeOnce(wasm));
  jsonParseMs.push(timeOnce(jsonParse));
}
report({ runs, bytes: bytes.length, items, wasmMs: median(wasmMs), jsonParseMs: median(jsonParseMs) });
