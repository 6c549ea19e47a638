// The popup against the simulator, beyond the first move: names from the network stay text,
// search counts and highlights, the keyboard, making room only after the player confirms, the
// postmaster, locking, and Xûr.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { browserMissing } from './lib/browser.mjs';
import { ask, extensionUrl, requireBuilt } from './lib/extension.mjs';
import {
  BUCKET, CLASS, ITEM_TYPE, POPUP_TIMEOUT_MS, TIER, byTestId, characterOf, definitionOf, itemsAt, openPopup,
  popupSettled, runThroughWorker, signedInBrowser,
} from './lib/popup.mjs';
import { REAL_HOST_FLAGS, startSim } from './lib/sim.mjs';

const TRANSFER_PATH = '/Platform/Destiny2/Actions/Items/TransferItem/';
/** A name a hostile manifest could carry: shown as text, it runs nothing. */
const HOSTILE_NAME = '<img src=x onerror="document.body.dataset.pwned=\'yes\'">Sunbreaker & Co';

const skip = browserMissing();
let sim;
let browser;
let hostile;

const world = async () => (await sim.control('state')).world;

before(async () => {
  if (skip) return;
  requireBuilt();
  sim = await startSim(REAL_HOST_FLAGS);
  // Before Courier reads the manifest: one item of the Titan's is named with markup.
  const state = await world();
  const titan = characterOf(state, CLASS.titan);
  hostile = itemsAt(state, titan.index).find((item) => item.equipped && item.bucketHash === BUCKET.kinetic);
  await sim.control(`items/${hostile.hash}`, { name: HOSTILE_NAME }, 'PATCH');
  browser = await signedInBrowser(sim);
});

after(async () => {
  await browser?.close();
  sim?.stop();
});

test('names from the network are shown as text, never run as markup', { skip: skip ?? false }, async () => {
  const page = await openPopup(browser.context);
  const item = byTestId(page, 'item', { 'item-id': hostile.instanceId });
  assert.match(await item.getAttribute('title'), /^<img src=x onerror=.*>Sunbreaker & Co, power \d+, equipped$/);
  await item.focus();
  assert.match(await page.locator('#item-name').textContent(), /^<img src=x onerror/);
  assert.equal(await page.locator('img[src="x"]').count(), 0, 'no element was made from the name');
  assert.equal(await page.evaluate(() => document.body.dataset.pwned), undefined);
  await page.close();
});

test('search shows a live count, highlights the matches, and explains a typo', { skip: skip ?? false }, async () => {
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

test('the keyboard: / focuses search, arrows move between items, Enter opens actions, Esc closes', { skip: skip ?? false }, async () => {
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

/** Fills the Warlock's kinetic bucket to its capacity with vault weapons, through the worker. */
async function fillWarlockKinetic(page) {
  let state = await world();
  const warlock = characterOf(state, CLASS.warlock);
  const capacity = state.definitions.buckets[String(BUCKET.kinetic)].itemCount;
  const movable = (item) => {
    const def = definitionOf(state, item);
    return def.bucketTypeHash === BUCKET.kinetic && def.itemType === ITEM_TYPE.weapon
      && def.tierType !== TIER.exotic && !def.nonTransferrable && item.instanceId;
  };
  const onWarlock = () => itemsAt(state, warlock.index).filter((item) => item.bucketHash === BUCKET.kinetic).length;
  const candidates = itemsAt(state, { kind: 'vault' }).filter(movable);
  while (onWarlock() < capacity) {
    const item = candidates.shift();
    assert.ok(item, 'the vault has enough kinetic weapons to fill a bucket');
    const done = await runThroughWorker(page, { kind: 'move', itemId: item.instanceId, to: warlock.id });
    assert.equal(done.report.intents[0].done, true, JSON.stringify(done));
    state = await world();
  }
  await ask(page, { type: 'refresh' });
  return { warlock, next: candidates.shift(), capacity };
}

test('a full bucket: Courier says so, previews what it would move aside, and runs only after Confirm', { skip: skip ?? false }, async () => {
  const page = await openPopup(browser.context);
  const { warlock, next, capacity } = await fillWarlockKinetic(page);
  await page.reload();
  await popupSettled(page);
  await sim.control('log', undefined, 'DELETE');

  const moveToWarlock = async () => {
    await byTestId(page, 'item', { 'item-id': next.instanceId }).click();
    await byTestId(page, 'action-move', { to: warlock.id }).click();
  };
  await moveToWarlock();
  await byTestId(page, 'error').filter({ hasText: 'is full' }).waitFor();
  await byTestId(page, 'allow-make-room').click();
  await byTestId(page, 'preview').waitFor();
  const aside = await byTestId(page, 'preview-item').allTextContents();
  assert.ok(aside.length >= 1 && aside.every((line) => / to the vault$/.test(line)), aside.join('\n'));
  await byTestId(page, 'preview-cancel').click();
  assert.equal(await byTestId(page, 'preview').isHidden(), true);
  assert.deepEqual((await sim.control('log')).filter((entry) => entry.path === TRANSFER_PATH), [], 'Cancel sends nothing');

  await moveToWarlock();
  await byTestId(page, 'allow-make-room').click();
  await byTestId(page, 'preview-confirm').click();
  await byTestId(page, 'run-summary', { outcome: 'done' }).waitFor({ timeout: POPUP_TIMEOUT_MS });
  assert.match(await byTestId(page, 'run-summary').textContent(), /moved aside to make room/);
  const state = await world();
  const moved = state.items.find((item) => item.instanceId === next.instanceId);
  assert.deepEqual(moved.place, { kind: 'character', character: warlock.index });
  assert.equal(itemsAt(state, warlock.index).filter((item) => item.bucketHash === BUCKET.kinetic).length, capacity);
  const transfers = (await sim.control('log')).filter((entry) => entry.path === TRANSFER_PATH);
  assert.deepEqual(transfers.map((t) => t.body.transferToVault), [true, false], 'one item aside to the vault, then the move');
  await page.close();
});

test('a postmaster item is pulled, and an item is locked, through the popup', { skip: skip ?? false }, async () => {
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
  assert.deepEqual(state.items.find((item) => item.instanceId === lost.instanceId).place, { kind: 'character', character: titan.index });
  await byTestId(page, 'run-close').click();

  const unlocked = itemsAt(state, titan.index).find((item) => !item.locked && item.instanceId && definitionOf(state, item).lockable);
  await byTestId(page, 'item', { 'item-id': unlocked.instanceId }).click();
  await byTestId(page, 'action-lock').click();
  await byTestId(page, 'run-summary', { outcome: 'done' }).waitFor({ timeout: POPUP_TIMEOUT_MS });
  assert.equal((await world()).items.find((item) => item.instanceId === unlocked.instanceId).locked, true);
  await byTestId(page, 'run-close').click();
  assert.match(await byTestId(page, 'item', { 'item-id': unlocked.instanceId }).getAttribute('aria-label'), /locked/);
  await page.close();
});

test('the Xûr tab lists his stock, or says he is not here', { skip: skip ?? false }, async () => {
  const state = await world();
  const page = await openPopup(browser.context);
  await byTestId(page, 'tab-xur').click();
  await byTestId(page, 'xur-sale').first().waitFor({ timeout: POPUP_TIMEOUT_MS });
  assert.equal(await byTestId(page, 'xur-sale').count(), state.xur.sales.length);
  const firstSale = state.definitions.items[String(state.xur.sales[0].itemHash)];
  assert.match(await byTestId(page, 'xur-sale').first().textContent(), new RegExp(firstSale.name));

  await sim.control('xur', { present: false });
  await byTestId(page, 'tab-gear').click();
  await byTestId(page, 'tab-xur').click();
  await byTestId(page, 'xur-status').filter({ hasText: 'not here' }).waitFor({ timeout: POPUP_TIMEOUT_MS });
  assert.equal(await byTestId(page, 'xur-sale').count(), 0);
  await page.close();
});

test('the options page saves what it is given and refuses an origin Courier cannot reach', { skip: skip ?? false }, async () => {
  const page = await browser.context.newPage();
  await page.goto(extensionUrl('options.html'));
  await page.locator('input[name="bungieOrigin"]').fill('https://evil.example');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.locator('#status.failed').filter({ hasText: 'can only reach' }).waitFor();
  await page.locator('input[name="bungieOrigin"]').fill('https://www.bungie.net/');
  await page.locator('select[name="makeRoom"]').selectOption('allowed');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.locator('#status').filter({ hasText: 'Saved.' }).waitFor();
  const saved = await ask(page, { type: 'options' });
  assert.equal(saved.options.makeRoom, 'allowed');
  assert.equal(saved.options.bungieOrigin, 'https://www.bungie.net');
  assert.equal(await page.locator('#redirect-url').textContent(), 'https://nikakecbkkfjobcpnlceoecocaphahof.chromiumapp.org/');
  await ask(page, { type: 'set_options', options: { makeRoom: 'never' } });
  await page.close();
});
