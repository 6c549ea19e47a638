// The popup against the simulator. Scenario 11: a name with markup stays text. Scenario 12: the
// Xûr tab. Scenario 13: the cached inventory first, then the refresh, and never an older answer
// over a newer one. Also: search, the keyboard, the postmaster and locking, the options page.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { browserMissing } from './lib/browser.mjs';
import { ask, extensionUrl, requireBuilt } from './lib/extension.mjs';
import {
  BUCKET, byTestId, characterOf, CLASS, definitionOf, ITEM_TYPE, itemById, itemsAt, openPopup, POPUP_TIMEOUT_MS,
  popupSettled, signedInBrowser, TIER,
} from './lib/popup.mjs';
import { PROFILE_PATH } from './lib/requests.mjs';
import { scenario } from './lib/scenario.mjs';
import { REAL_HOST_FLAGS, startSim } from './lib/sim.mjs';

/** The name scenario 11 gives an item: markup that would set window.__pwned if it ever ran. */
const HOSTILE_NAME = '<img src=x onerror="window.__pwned=1">';
/** Xûr's vendor hash. */
const XUR = 2190858386;
/** ErrorCode 1627, DestinyVendorNotFound: what bungie.net answers when Xûr is away. */
const VENDOR_NOT_FOUND = 1627;
/** Each answer takes this long in scenario 13, so the cached inventory shows before the refresh. */
const SLOW_MS = 300;

const skip = browserMissing();

/** The Titan's equipped kinetic weapon in a world. */
function titanKinetic(world) {
  const titan = characterOf(world, CLASS.titan);
  return itemsAt(world, titan.index).find((item) => item.equipped && item.bucketHash === BUCKET.kinetic);
}

scenario('11. An item named <img src=x onerror="window.__pwned=1"> renders as text and nothing runs', {
  session: true,
  // Before Courier reads the manifest: the Titan's kinetic weapon is named with markup.
  beforeBrowser: async (sim) => {
    const { world } = await sim.control('state');
    await sim.control(`items/${titanKinetic(world).hash}`, { name: HOSTILE_NAME }, 'PATCH');
  },
}, async (run) => {
  const world = await run.world();
  const hostile = titanKinetic(world);
  assert.equal(definitionOf(world, hostile).name, HOSTILE_NAME, 'the simulator serves the hostile name');
  const titan = characterOf(world, CLASS.titan);

  const page = await run.popup();
  const requested = [];
  page.on('request', (request) => requested.push(request.url()));
  await byTestId(page, 'character', { 'character-id': titan.id }).click();
  const tile = byTestId(page, 'item', { 'item-id': hostile.instanceId });
  assert.match(await tile.getAttribute('title'), /^<img src=x onerror="window\.__pwned=1">, power \d+, equipped$/);
  await tile.focus();
  assert.match(await page.locator('#item-name').textContent(), /^<img src=x onerror="window\.__pwned=1">, power/);
  await tile.click();
  const actions = byTestId(page, 'actions');
  await actions.waitFor();
  assert.equal(await actions.locator('h2').textContent(), HOSTILE_NAME, 'the actions dialog shows the name as text');
  await byTestId(page, 'actions-close').click();
  const copies = world.items.filter((item) => item.hash === hostile.hash).length;
  await byTestId(page, 'search').fill('onerror');
  await byTestId(page, 'match-count', { count: copies }).waitFor();

  assert.equal(await page.locator('img[src="x"], img:not([src])').count(), 0, 'no element was made from the name');
  assert.equal(await page.evaluate(() => window.__pwned), undefined, 'nothing ran in the popup');
  const worker = await run.worker();
  assert.equal(await worker.evaluate(() => globalThis.__pwned), undefined, 'nothing ran in the worker');
  assert.deepEqual(requested.filter((url) => /\/x$/.test(url)), [], 'the popup never asked for the image "x"');
  const log = await run.log();
  assert.ok(log.some((entry) => entry.path.includes('DestinyInventoryItemDefinition')), 'the name came with the manifest');
  assert.deepEqual(log.filter((entry) => /\/x$/.test(entry.path)), [], 'nobody asked the simulator for "x"');
});

scenario('12. The Xûr tab lists the simulator\'s Xûr stock; with Xûr absent it says he is not here', { session: true }, async (run) => {
  const world = await run.world();
  assert.equal(world.xur.present, true);
  const page = await run.popup();
  await byTestId(page, 'tab-xur').click();
  await byTestId(page, 'xur-sale').first().waitFor({ timeout: POPUP_TIMEOUT_MS });
  const sales = byTestId(page, 'xur-sale');
  assert.deepEqual((await sales.evaluateAll((els) => els.map((el) => Number(el.dataset.hash)))),
    world.xur.sales.map((sale) => sale.itemHash), 'every sale, in the simulator\'s order');
  const names = await sales.locator('strong').allTextContents();
  assert.deepEqual(names, world.xur.sales.map((sale) => world.definitions.items[String(sale.itemHash)].name));
  const xurCalls = (log) => log.filter((entry) => entry.path.endsWith(`/Vendors/${XUR}/`));
  const asked = xurCalls(await run.log());
  assert.deepEqual(asked.map((entry) => entry.errorCode), [1], 'bungie.net was asked for Xûr once and answered');

  await run.sim.control('xur', { present: false });
  await byTestId(page, 'tab-gear').click();
  await byTestId(page, 'tab-xur').click();
  await byTestId(page, 'xur-status').filter({ hasText: 'not here' }).waitFor({ timeout: POPUP_TIMEOUT_MS });
  assert.equal(await byTestId(page, 'xur-sale').count(), 0);
  const later = xurCalls(await run.log()).slice(asked.length);
  assert.deepEqual(later.map((entry) => entry.errorCode), [VENDOR_NOT_FOUND], 'asked again, bungie.net said he is away');
  assert.equal((await run.world()).xur.present, false);
});

/**
 * In a page (an init script): when the worker's answer to the popup's first `state` arrives,
 * notes in `window.courierGearAtState` whether gear was already drawn.
 */
function noteGearWhenStateAnswers() {
  const runtime = globalThis.chrome?.runtime;
  if (!runtime?.sendMessage) return;
  const send = runtime.sendMessage.bind(runtime);
  runtime.sendMessage = (message, ...rest) => {
    const answer = send(message, ...rest);
    if (message?.type === 'state' && window.courierGearAtState === undefined) {
      // Runs before the popup's own continuation: it was handed the same promise afterwards.
      answer.then(() => {
        window.courierGearAtState ??= document.querySelector('[data-testid="item"]') !== null;
      });
    }
    return answer;
  };
}

scenario('13. A stale cached inventory is shown at once and replaced when the refresh comes in; an older answer never replaces a newer one', {
  session: true,
  simFlags: ['--latency', String(SLOW_MS)],
}, async (run) => {
  // The first popup reads the inventory; the worker caches it.
  const first = await run.popup();
  const shownId = await first.locator('[data-testid="character"][aria-pressed="true"]').getAttribute('data-character-id');
  await first.close();

  // Meanwhile, in the game: an item drops into the shown character's postmaster.
  const world = await run.world();
  const weapon = world.items.find((item) => item.instanceId && definitionOf(world, item).itemType === ITEM_TYPE.weapon);
  const { itemInstanceId: dropped } = await run.sim.control('postmaster', { characterId: shownId, itemHash: weapon.hash, quantity: 1 });
  assert.ok(dropped, 'the drop made a new item');
  const droppedTile = (page) => byTestId(page, 'item', { 'item-id': dropped });

  // The next popup draws the cached inventory at once, before the worker has even answered
  // `state`, then the refresh, with the new item.
  await run.context.addInitScript(noteGearWhenStateAnswers);
  const page = await run.popup(null);
  await page.locator('[data-testid="popup"][data-state="ready"][data-refreshing]').waitFor({ timeout: POPUP_TIMEOUT_MS });
  assert.ok(await byTestId(page, 'item').count() > 0, 'the cached gear is drawn while the refresh is out');
  await page.waitForFunction(() => window.courierGearAtState !== undefined, null, { timeout: POPUP_TIMEOUT_MS });
  assert.equal(await page.evaluate(() => window.courierGearAtState), true, 'the kept view was drawn before the worker answered state');
  assert.equal(await droppedTile(page).count(), 0, 'the cached copy is the one from before the drop');
  assert.match(await byTestId(page, 'notice').textContent(), /last inventory/);
  await popupSettled(page);
  await droppedTile(page).waitFor();
  const cachedMinted = async () => (await (await run.worker()).evaluate(() => chrome.storage.local.get('inventory'))).inventory.mintedAt;
  const newest = await cachedMinted();

  // A refresh that gets the copy from before the drop (older responseMintedTimestamp) changes nothing.
  await run.sim.control('faults', { kind: 'stale', pathContains: '/Profile/' });
  await byTestId(page, 'refresh').click();
  await popupSettled(page);
  const profiles = (await run.log()).filter((entry) => PROFILE_PATH.test(entry.path));
  assert.equal(profiles.at(-1).fault, 'stale', 'the last profile read was answered from the older copy');
  assert.deepEqual((await run.sim.control('state')).pendingFaults, []);
  assert.equal(await droppedTile(page).count(), 1, 'the popup still shows the newer inventory');
  assert.equal(await cachedMinted(), newest, 'the cache kept the newer answer');
  assert.equal(itemById(await run.world(), dropped).place.kind, 'postmaster');
});

describe('more of the popup', { skip: skip ?? false }, () => {
  let sim;
  let browser;

  before(async () => {
    requireBuilt();
    sim = await startSim(REAL_HOST_FLAGS);
    browser = await signedInBrowser(sim);
  });

  after(async () => {
    await browser?.close();
    sim?.stop();
  });

  const world = async () => (await sim.control('state')).world;

  test('search shows a live count, highlights the matches, and explains a typo', async () => {
    const state = await world();
    const exotics = state.items.filter((item) => definitionOf(state, item)?.tierType === TIER.exotic);
    const page = await openPopup(browser.context);
    await byTestId(page, 'search').fill('is:exotic');
    await byTestId(page, 'match-count', { count: exotics.length }).waitFor();
    assert.equal(await byTestId(page, 'match-count').textContent(), `${exotics.length} matches`);
    const highlighted = await page.locator('#stores .item.match').evaluateAll((items) => items.map((item) => item.dataset.hash));
    assert.ok(highlighted.length > 0, 'some shown items are highlighted');
    for (const hash of highlighted) assert.equal(state.definitions.items[hash].tierType, TIER.exotic, `${hash} is exotic`);
    assert.ok(await byTestId(page, 'move-matches', { to: 'vault' }).isVisible(), 'all matches can be moved at once');

    await byTestId(page, 'search').fill('is:weapn');
    await byTestId(page, 'search-error').filter({ hasText: 'did you mean is:weapon?' }).waitFor();
    assert.equal(await page.locator('#stores .item.match').count(), 0);
    await page.close();
  });

  test('the keyboard: / focuses search, arrows move between items, Enter opens actions, Esc closes', async () => {
    const page = await openPopup(browser.context);
    await page.locator('body').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('/');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'search');
    await page.keyboard.press('ArrowDown');
    const first = await page.evaluate(() => document.activeElement.dataset.key);
    assert.equal(first, await page.locator('#stores .item').first().getAttribute('data-key'));
    await page.keyboard.press('ArrowRight');
    const second = await page.evaluate(() => document.activeElement.dataset.key);
    assert.equal(second, await page.locator('#stores .item').nth(1).getAttribute('data-key'));
    await page.keyboard.press('ArrowDown');
    const below = await page.evaluate(() => document.activeElement.getBoundingClientRect().top);
    const secondTop = await page.locator('#stores .item').nth(1).evaluate((item) => item.getBoundingClientRect().top);
    assert.ok(below > secondTop, 'ArrowDown goes to the next row');
    await page.keyboard.press('Enter');
    await byTestId(page, 'actions').waitFor();
    assert.equal(await page.evaluate(() => document.activeElement.closest('#actions') !== null), true, 'focus moves into the actions');
    await page.keyboard.press('Escape');
    assert.equal(await byTestId(page, 'actions').isHidden(), true);
    assert.equal(await page.evaluate(() => document.activeElement.classList.contains('item')), true, 'focus goes back to the item');
    await page.close();
  });

  test('a postmaster item is pulled, and an item is locked, through the popup', async () => {
    let state = await world();
    const titan = characterOf(state, CLASS.titan);
    const lost = state.items.find((item) => item.place.kind === 'postmaster' && item.place.character === titan.index
      && item.instanceId && !definitionOf(state, item).doesPostmasterPullHaveSideEffects);
    assert.ok(lost, 'the Titan has a postmaster item that can be pulled');
    const page = await openPopup(browser.context);
    await byTestId(page, 'character', { 'character-id': titan.id }).click();
    await byTestId(page, 'item', { 'item-id': lost.instanceId }).click();
    await byTestId(page, 'action-pull').click();
    await byTestId(page, 'run-summary', { outcome: 'done' }).waitFor({ timeout: POPUP_TIMEOUT_MS });
    state = await world();
    assert.deepEqual(itemById(state, lost.instanceId).place, { kind: 'character', character: titan.index });
    await byTestId(page, 'run-close').click();

    const unlocked = itemsAt(state, titan.index).find((item) => !item.locked && item.instanceId && definitionOf(state, item).lockable);
    await byTestId(page, 'item', { 'item-id': unlocked.instanceId }).click();
    await byTestId(page, 'action-lock').click();
    await byTestId(page, 'run-summary', { outcome: 'done' }).waitFor({ timeout: POPUP_TIMEOUT_MS });
    assert.equal(itemById(await world(), unlocked.instanceId).locked, true);
    await byTestId(page, 'run-close').click();
    assert.match(await byTestId(page, 'item', { 'item-id': unlocked.instanceId }).getAttribute('aria-label'), /locked/);
    await page.close();
  });

  test('the options page saves what it is given and refuses an origin Courier cannot reach', async () => {
    const page = await browser.context.newPage();
    await page.goto(extensionUrl('options.html'));
    const keptView = () => page.evaluate(() => localStorage.getItem('popupView'));
    assert.notEqual(await keptView(), null, 'the popups opened before kept their view');
    await page.locator('input[name="bungieOrigin"]').fill('https://evil.example');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.locator('#status.failed').filter({ hasText: 'can only reach' }).waitFor();
    await page.locator('input[name="apiKey"]').fill(sim.apiKey);
    await page.locator('input[name="bungieOrigin"]').fill('https://www.bungie.net/');
    await page.locator('select[name="makeRoom"]').selectOption('allowed');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.locator('#status').filter({ hasText: 'Saved.' }).waitFor();
    assert.equal(await keptView(), null, 'saved options may show another account: the kept view is gone');
    const saved = await ask(page, { type: 'options' });
    assert.equal(saved.options.apiKey, sim.apiKey);
    assert.equal(saved.options.makeRoom, 'allowed');
    assert.equal(saved.options.bungieOrigin, 'https://www.bungie.net');
    assert.equal(await page.locator('#redirect-url').textContent(), 'https://nikakecbkkfjobcpnlceoecocaphahof.chromiumapp.org/');
    await ask(page, { type: 'set_options', options: { makeRoom: 'never' } });
    await page.close();
  });
});
