// Driving Courier's popup and worker in the browser tests: a signed-in browser with the built
// extension, the popup's elements by test id, runs sent through the worker, a stopped worker.
import { extensionWorker, launch } from './browser.mjs';
import { DIST, ask, extensionUrl } from './extension.mjs';

/** How long the popup may take to load or to finish a run. */
export const POPUP_TIMEOUT_MS = 60_000;

/** Destiny's numbers the tests look things up by. */
export const CLASS = { titan: 0, hunter: 1, warlock: 2 };
export const BUCKET = { kinetic: 1498876634, vault: 138197802, postmaster: 215593132 };
export const TIER = { rare: 4, exotic: 6 };
export const ITEM_TYPE = { weapon: 3 };

/**
 * A browser with the built extension whose bungie.net session is already open (the simulator
 * opens one and the three cookies go on www.bungie.net, as signing in on the website leaves them).
 */
export async function signedInBrowser(sim, options = {}) {
  const browser = await launch(sim, { extension: DIST, ...options });
  await addSessionCookies(sim, browser.context);
  await extensionWorker(browser.context);
  return browser;
}

/** Opens a bungie.net session in the simulator and puts its three cookies on www.bungie.net. */
export async function addSessionCookies(sim, context) {
  const cookies = await sim.control('session', {});
  await context.addCookies(Object.entries(cookies).map(([name, value]) => ({
    name, value, domain: 'www.bungie.net', path: '/', secure: true, httpOnly: name === 'bungleatk',
  })));
}

/** The popup's elements by test id, narrowed by `data-*` attributes. */
export function byTestId(page, id, attributes = {}) {
  const filters = Object.entries(attributes).map(([name, value]) => `[data-${name}="${value}"]`).join('');
  return page.locator(`[data-testid="${id}"]${filters}`);
}

/** Waits until the popup shows `state` (`ready`: the gear) and is not refreshing. */
export async function popupSettled(page, state = 'ready') {
  await page.locator(`[data-testid="popup"][data-state="${state}"]:not([data-refreshing])`).waitFor({ timeout: POPUP_TIMEOUT_MS });
}

/**
 * Opens the popup in a new page and waits until it has settled on `state` (with `state` null,
 * only until the page has loaded).
 */
export async function openPopup(context, state = 'ready') {
  const page = await context.newPage();
  await page.setViewportSize({ width: 520, height: 900 });
  await page.goto(extensionUrl('popup.html'));
  if (state !== null) await popupSettled(page, state);
  return page;
}

/** Runs an intent through the worker from an extension page and resolves to its final progress. */
export async function runThroughWorker(page, intent, allowMakeRoom = false) {
  const started = await ask(page, { type: 'run', intent, allowMakeRoom });
  if (!started.ok) throw new Error(`run refused: ${JSON.stringify(started.error)}`);
  return waitForRun(page, started.runId);
}

/** Polls a run's progress until it finishes. */
export async function waitForRun(page, runId, { timeout = POPUP_TIMEOUT_MS, onProgress = () => {} } = {}) {
  const until = Date.now() + timeout;
  for (;;) {
    const progress = await ask(page, { type: 'progress', runId });
    if (!progress.ok) throw new Error(`progress: ${JSON.stringify(progress.error)}`);
    await onProgress(progress);
    if (progress.finished) return progress;
    if (Date.now() > until) throw new Error(`run ${runId} did not finish: ${JSON.stringify(progress)}`);
    await page.waitForTimeout(100);
  }
}

/** Stops the extension's service worker, as MV3 does to an idle one. */
export async function stopWorker(context, page) {
  const cdp = await context.newCDPSession(page);
  const { targetInfos } = await cdp.send('Target.getTargets');
  const worker = targetInfos.find((target) => target.type === 'service_worker' && target.url.startsWith(extensionUrl('')));
  if (!worker) throw new Error('the extension has no running service worker to stop');
  await cdp.send('Target.closeTarget', { targetId: worker.targetId });
  await cdp.detach();
}

/** The simulator's items at a place: `{kind:'vault'}`, or a character index (its gear). */
export function itemsAt(world, place) {
  return world.items.filter((item) => (typeof place === 'number'
    ? item.place.kind === 'character' && item.place.character === place
    : item.place.kind === place.kind));
}

/** The simulator's character of a class: `{index, id}`. */
export function characterOf(world, classType) {
  const index = world.characters.findIndex((c) => c.classType === classType);
  if (index === -1) throw new Error(`the world has no character of class ${classType}`);
  return { index, id: world.characters[index].id };
}

/** An item's definition in the simulator's world. */
export function definitionOf(world, item) {
  return world.definitions.items[String(item.hash)];
}

/** A character's weapons (by index) that can leave it: unequipped, instanced, transferable, not exotic. */
export function movableWeapons(world, index) {
  return itemsAt(world, index).filter((item) => {
    const def = definitionOf(world, item);
    return !item.equipped && item.instanceId && def.itemType === ITEM_TYPE.weapon
      && def.tierType !== TIER.exotic && !def.nonTransferrable;
  });
}

/** The simulator's item with this instance id. */
export function itemById(world, instanceId) {
  return world.items.find((item) => item.instanceId === instanceId);
}
