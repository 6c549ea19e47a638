// ingest_profile: the wasm core's parseProfile over the bytes of a GetProfile answer (building
// the inventory and handing it over as its JSON text), against
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
// The inventory crosses as Courier's JSON text, which the extension stores and hands back
// without parsing it; it is parsed here once, outside the timing, to count its items.
const items = JSON.parse(wasm()).items.length;
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
