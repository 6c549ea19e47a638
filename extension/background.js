// Courier's service worker: a router. Every listener is registered synchronously at the top
// level (MV3 restarts the worker for each event); work waits on `ready`, the wasm core's start.
// Only the extension's own pages are answered (lib/browser.js checks each sender).

import init, * as core from './wasm/courier_wasm.js';
import { extensionUrl, onAlarm, onInstalled, onMenuClicked, onMessage, onStartup } from './lib/browser.js';
import { CourierError, failure } from './lib/errors.js';
import { installMenus, menuCharacters } from './lib/menu.js';
import { RUN_ALARM } from './lib/runs.js';
import { createService } from './lib/service.js';
import { cachedInventory } from './lib/state.js';
import { loadOptions } from './lib/options.js';

const service = createService(core);

const ready = init({ module_or_path: extensionUrl('wasm/courier_wasm_bg.wasm') })
  .then(() => service.loadDefinitions());

/** Work that needs the core: waits for it, and answers a typed failure if it never loads. */
function whenReady(work) {
  return ready.then(work, (error) => failure(new CourierError(
    'internal',
    `Courier's core did not load (${error?.message ?? error}). Reload the extension; if that does not help, reinstall it.`,
  )));
}

/** Makes the right-click menu, titled with the cached characters when there are some. */
async function menusForCachedInventory() {
  const options = await loadOptions();
  const cached = await cachedInventory(options.bungieOrigin);
  await installMenus(menuCharacters(cached));
}

onMessage((message) => whenReady(() => service.dispatch(message)));

onMenuClicked((info, tab) => {
  whenReady(() => service.handleMenuClick(info, tab));
});

/** Goes on with an unfinished run, if there is one. */
function resumeRuns() {
  whenReady(() => service.resume()).catch((error) => console.warn('Courier: a run could not go on:', error));
}

onAlarm((alarm) => {
  if (alarm.name === RUN_ALARM) resumeRuns();
});

onInstalled(() => {
  menusForCachedInventory().catch((error) => console.warn('Courier: the menu could not be made:', error));
});

onStartup(() => {
  menusForCachedInventory().catch((error) => console.warn('Courier: the menu could not be made:', error));
});

// A worker woken for any reason (a popup, the alarm, the browser starting) goes on with an
// unfinished run from its journal.
resumeRuns();

// For browser tests: headless Chromium never fires contextMenus.onClicked, so a test calls the
// same handler with a real tab through `worker.evaluate(() => courier.handleMenuClick(...))`.
globalThis.courier = Object.freeze({
  handleMenuClick: (info, tab) => whenReady(() => service.handleMenuClick(info, tab)),
  ready,
});
