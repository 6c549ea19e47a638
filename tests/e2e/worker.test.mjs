// The service worker's own jobs. Scenario 5: the right-click menu's "Pull to Titan" on a light.gg
// link (headless Chromium never opens the menu, so the test calls the same handler with a real
// tab). Scenario 9: a bulk run that goes on after MV3 stops the worker in the middle of it,
// without repeating a step. Also: the menu's other items, and cancelling a bulk run.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { browserMissing, extensionWorker } from './lib/browser.mjs';
import { ask, requireBuilt } from './lib/extension.mjs';
import {
  byTestId, characterOf, CLASS, definitionOf, ITEM_TYPE, itemById, itemsAt, movableWeapons, openPopup,
  POPUP_TIMEOUT_MS, signedInBrowser, stopWorker,
} from './lib/popup.mjs';
import { actions, countByItem, THROTTLED, transfers } from './lib/requests.mjs';
import { scenario } from './lib/scenario.mjs';
import { REAL_HOST_FLAGS, startSim } from './lib/sim.mjs';

/** Each bungie.net answer takes this long, so a bulk run is still going when the worker stops. */
const LATENCY_MS = 250;

const skip = browserMissing();

/** Items of which the player has exactly one copy. */
function singleCopies(world) {
  const counts = new Map();
  for (const item of world.items) counts.set(item.hash, (counts.get(item.hash) ?? 0) + 1);
  return world.items.filter((item) => counts.get(item.hash) === 1 && item.instanceId);
}

/** Opens a light.gg page (served by the test) whose one link goes to `href`. */
async function lightGgPage(context, href) {
  const page = await context.newPage();
  await page.route('https://www.light.gg/**', (route) => route.fulfill({
    contentType: 'text/html',
    body: `<!doctype html><title>light.gg</title><a href="${href}">the item</a>`,
  }));
  await page.goto('https://www.light.gg/');
  return page;
}

/**
 * Calls the menu's click handler in the worker for `menuItemId` on a link of the `lightGg` page,
 * with that page's tab, as Chromium does after a right-click on the link. (Without the "tabs"
 * permission the worker sees no tab's address, so the tab is found as the active one, checked by
 * its place in the window: the browser's pages are its tabs in order.)
 */
async function clickMenu(context, lightGg, menuItemId, linkUrl) {
  await lightGg.bringToFront();
  const index = context.pages().indexOf(lightGg);
  const worker = await extensionWorker(context);
  return worker.evaluate(async ([id, url, pageUrl, tabIndex]) => {
    const [tab] = await chrome.tabs.query({ active: true, lastFocusedWindow: true });
    if (tab?.index !== tabIndex) throw new Error(`the active tab is not the light.gg page: ${JSON.stringify(tab)}`);
    return globalThis.courier.handleMenuClick({ menuItemId: id, linkUrl: url, pageUrl, frameId: 0, editable: false }, tab);
  }, [menuItemId, linkUrl, lightGg.url(), index]);
}

/** The menu slot of a character: its place among the characters the worker's inventory lists. */
async function menuSlot(page, characterId) {
  const { characters } = await ask(page, { type: 'state' });
  const slot = characters.findIndex((c) => c.id === characterId);
  assert.notEqual(slot, -1, `the worker knows character ${characterId}`);
  return slot;
}

scenario('5. Right-click menu on a light.gg link to an item in the vault: "Pull to Titan" puts it on the Titan', { session: true }, async (run) => {
  const world = await run.world();
  const titan = characterOf(world, CLASS.titan);
  const capacity = (bucket) => world.definitions.buckets[String(bucket)].itemCount;
  const onTitan = (bucket) => itemsAt(world, titan.index).filter((item) => item.bucketHash === bucket).length;
  const inVault = singleCopies(world).find((item) => {
    const def = definitionOf(world, item);
    return item.place.kind === 'vault' && def.itemType === ITEM_TYPE.weapon && !def.nonTransferrable
      && onTitan(def.bucketTypeHash) < capacity(def.bucketTypeHash);
  });
  assert.ok(inVault, 'the vault holds the only copy of a weapon the Titan has room for');

  let page = await run.popup();
  const slot = await menuSlot(page, titan.id);
  const lightGg = await lightGgPage(run.context, `/db/items/${inVault.hash}/the-weapon/`);
  const linkUrl = await lightGg.locator('a').evaluate((link) => link.href);
  assert.equal(linkUrl, `https://www.light.gg/db/items/${inVault.hash}/the-weapon/`);

  const pulled = await clickMenu(run.context, lightGg, `courier:pull:${slot}`, linkUrl);
  assert.equal(pulled.ok, true, JSON.stringify(pulled));
  assert.match(pulled.message, /^Moved .+ to your Titan\.$/);
  assert.equal(pulled.item.itemId, inVault.instanceId, 'the vault copy is the one pulled');

  const after = itemById(await run.world(), inVault.instanceId);
  assert.deepEqual([after.place, after.equipped], [{ kind: 'character', character: titan.index }, false], 'it is on the Titan');
  const sent = actions(await run.log());
  assert.deepEqual(sent.map((entry) => [entry.path, entry.body.transferToVault, String(entry.body.characterId), String(entry.body.itemId), entry.errorCode]),
    [[transfers(sent)[0]?.path, false, titan.id, inVault.instanceId, 1]], 'one transfer from the vault to the Titan');
  const worker = await run.worker();
  assert.equal(await worker.evaluate(() => chrome.action.getBadgeText({})), '✓');

  // The popup says what the menu did, and shows the item in the Titan's gear.
  await lightGg.close();
  await page.close();
  page = await run.popup();
  await byTestId(page, 'notice').filter({ hasText: 'Right-click menu: Moved' }).waitFor();
  await byTestId(page, 'character', { 'character-id': titan.id }).click();
  await byTestId(page, 'item', { 'item-id': inVault.instanceId }).waitFor();
});

scenario('9. Service worker stopped in the middle of a bulk run: it resumes, finishes, and the log shows no step twice', { session: true, simFlags: ['--latency', String(LATENCY_MS)] }, async (run) => {
  const world = await run.world();
  const titan = characterOf(world, CLASS.titan);
  const moving = movableWeapons(world, titan.index).slice(0, 6);
  assert.equal(moving.length, 6, 'the Titan carries six weapons that can move');
  const page = await run.popup();
  await byTestId(page, 'search').fill(moving.map((item) => `id:${item.instanceId}`).join(' or '));
  await byTestId(page, 'match-count', { count: 6 }).waitFor();
  await byTestId(page, 'move-matches', { to: 'vault' }).click();

  // Two steps in, the worker is stopped as MV3 stops an idle one.
  await page.waitForFunction(() => Number(document.querySelector('[data-testid="run-progress"]')?.dataset.done) >= 2,
    undefined, { timeout: POPUP_TIMEOUT_MS });
  assert.equal(await byTestId(page, 'run-summary').isHidden(), true, 'the run is still going when the worker stops');
  const sentBefore = transfers(await run.log()).length;
  await (await run.worker()).evaluate(() => { globalThis.stoppedHere = true; });
  await stopWorker(run.context, page);
  assert.ok(sentBefore < moving.length, `the worker stopped with ${sentBefore} of ${moving.length} transfers sent`);

  // The popup's next question wakes a new worker, which goes on from the journal.
  await byTestId(page, 'run-summary', { outcome: 'done' }).waitFor({ timeout: POPUP_TIMEOUT_MS });
  assert.equal(await (await run.worker()).evaluate(() => globalThis.stoppedHere), undefined, 'a new worker finished the run');
  assert.equal(await byTestId(page, 'run-progress').getAttribute('data-done'), '6');
  assert.equal(await byTestId(page, 'error').isHidden(), true, 'the popup never lost the run');
  const after = await run.world();
  for (const item of moving) {
    assert.deepEqual(itemById(after, item.instanceId).place, { kind: 'vault' }, `${item.instanceId} is in the vault`);
  }
  const log = await run.log();
  const sent = transfers(log);
  assert.deepEqual([...countByItem(sent).entries()].sort(), moving.map((item) => [item.instanceId, 1]).sort(),
    'each item was sent exactly once');
  assert.ok(sent.every((entry) => entry.errorCode === 1), JSON.stringify(sent.map((e) => e.errorCode)));
  assert.equal(log.filter((entry) => entry.errorCode === THROTTLED).length, 0, 'no throttled answer');
  await byTestId(page, 'run-close').click();
});

describe('more of the worker', { skip: skip ?? false }, () => {
  let sim;
  let browser;

  before(async () => {
    requireBuilt();
    sim = await startSim([...REAL_HOST_FLAGS, '--latency', String(LATENCY_MS)]);
    browser = await signedInBrowser(sim);
  });

  after(async () => {
    await browser?.close();
    sim?.stop();
  });

  const world = async () => (await sim.control('state')).world;

  test('the right-click menu sends a linked item to the vault, equips one, and says when you have none', async () => {
    let state = await world();
    const hunter = characterOf(state, CLASS.hunter);
    const warlock = characterOf(state, CLASS.warlock);
    const onHunter = singleCopies(state).find((item) => item.place.kind === 'character' && item.place.character === hunter.index
      && !item.equipped && !definitionOf(state, item).nonTransferrable && definitionOf(state, item).itemType === ITEM_TYPE.weapon);
    assert.ok(onHunter, 'the Hunter has a weapon of which there is one copy');
    const page = await openPopup(browser.context);
    const lightGg = await lightGgPage(browser.context, '/db/items/1/');

    const sent = await clickMenu(browser.context, lightGg, 'courier:vault', `https://www.light.gg/db/items/${onHunter.hash}/some-weapon/`);
    assert.equal(sent.ok, true, JSON.stringify(sent));
    assert.match(sent.message, /^Moved .+ to the vault\.$/);
    assert.equal(sent.item.itemId, onHunter.instanceId, 'the one copy is the one moved');
    state = await world();
    assert.deepEqual(itemById(state, onHunter.instanceId).place, { kind: 'vault' });
    const worker = await extensionWorker(browser.context);
    assert.equal(await worker.evaluate(() => chrome.action.getBadgeText({})), '✓');

    // "Equip on Warlock": the slot is the Warlock's place among the characters.
    const slot = await menuSlot(page, warlock.id);
    const equipped = await clickMenu(browser.context, lightGg, `courier:equip:${slot}`, `https://www.light.gg/db/items/${onHunter.hash}/`);
    assert.equal(equipped.ok, true, JSON.stringify(equipped));
    assert.match(equipped.message, /^Equipped .+ on your Warlock\.$/);
    const onWarlock = itemById(await world(), onHunter.instanceId);
    assert.deepEqual([onWarlock.place, onWarlock.equipped], [{ kind: 'character', character: warlock.index }, true]);

    const owned = new Set(state.items.map((item) => item.hash));
    let missing = 3_000_000_000;
    while (owned.has(missing)) missing += 1;
    const none = await clickMenu(browser.context, lightGg, 'courier:vault', `https://d2foundry.gg/w/${missing}`);
    assert.equal(none.ok, false);
    assert.equal(none.error.kind, 'no_copy');
    assert.equal(await worker.evaluate(() => chrome.action.getBadgeText({})), '!');

    const notLinked = await clickMenu(browser.context, lightGg, 'courier:vault', 'https://www.light.gg/god-roll/');
    assert.equal(notLinked.error.kind, 'not_an_item');

    // The popup mentions what the menu did last, and opening it clears the badge.
    await page.reload();
    await byTestId(page, 'notice').filter({ hasText: 'Right-click menu:' }).waitFor();
    assert.equal(await worker.evaluate(() => chrome.action.getBadgeText({})), '');
    await page.close();
    await lightGg.close();
  });

  test('moving all matches of a search shows progress and time left, and Cancel stops it', async () => {
    const state = await world();
    const warlock = characterOf(state, CLASS.warlock);
    const moving = itemsAt(state, warlock.index)
      .filter((item) => !item.equipped && item.instanceId && !definitionOf(state, item).nonTransferrable)
      .slice(0, 8);
    assert.equal(moving.length, 8, 'the Warlock carries eight items that can move');
    const page = await openPopup(browser.context);
    await byTestId(page, 'search').fill(moving.map((item) => `id:${item.instanceId}`).join(' or '));
    await byTestId(page, 'match-count', { count: 8 }).waitFor();
    await sim.control('log', undefined, 'DELETE');
    await byTestId(page, 'move-matches', { to: 'vault' }).click();

    const progress = byTestId(page, 'run-progress');
    await page.locator('[data-testid="run-progress"][data-total="8"]:not([data-done="0"])').waitFor();
    assert.match(await page.locator('#progress-text').textContent(), /^\d of 8 steps/);
    assert.match(await page.locator('#progress-time').textContent(), /^Time left at bungie\.net's pace: about \d+ s$/);
    await byTestId(page, 'run-cancel').click();
    await byTestId(page, 'run-summary', { outcome: 'cancelled' }).waitFor();
    const done = Number(await progress.getAttribute('data-done'));
    assert.ok(done >= 1 && done < 8, `the run stopped part way (${done} of 8)`);

    const inVault = (await world()).items.filter((item) => moving.some((m) => m.instanceId === item.instanceId) && item.place.kind === 'vault');
    const moved = transfers(await sim.control('log')).filter((entry) => entry.errorCode === 1);
    assert.equal(inVault.length, moved.length, 'what was sent happened, and nothing more');
    assert.ok(inVault.length < 8, 'nothing was sent after the cancel');
    await page.close();
  });
});
