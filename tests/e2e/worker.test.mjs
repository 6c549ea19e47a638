// The service worker's own jobs: the right-click menu's handler (headless Chromium never opens
// the menu, so the test calls the same handler with a real tab), and a run that goes on after
// MV3 stops the worker in the middle of it, without repeating a step.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { browserMissing, extensionWorker } from './lib/browser.mjs';
import { ask, extensionUrl, requireBuilt } from './lib/extension.mjs';
import {
  CLASS, ITEM_TYPE, byTestId, characterOf, definitionOf, itemsAt, openPopup, signedInBrowser, stopWorker, waitForRun,
} from './lib/popup.mjs';
import { REAL_HOST_FLAGS, startSim } from './lib/sim.mjs';

const TRANSFER_PATH = '/Platform/Destiny2/Actions/Items/TransferItem/';
/** Each bungie.net answer takes this long, so a run is still going when the worker stops. */
const LATENCY_MS = 250;

const skip = browserMissing();
let sim;
let browser;

const world = async () => (await sim.control('state')).world;

before(async () => {
  if (skip) return;
  requireBuilt();
  // bungie.net's throttles on: stopping the worker drops a request mid-answer, and the run
  // must still finish without a throttled answer or a repeated step.
  sim = await startSim([...REAL_HOST_FLAGS, '--latency', String(LATENCY_MS)]);
  browser = await signedInBrowser(sim);
});

after(async () => {
  await browser?.close();
  sim?.stop();
});

/** Items of which the player has exactly one copy, by hash. */
function singleCopies(state) {
  const counts = new Map();
  for (const item of state.items) counts.set(item.hash, (counts.get(item.hash) ?? 0) + 1);
  return state.items.filter((item) => counts.get(item.hash) === 1 && item.instanceId);
}

/** Calls the menu's click handler in the worker with a real tab, as Chromium would. */
async function clickMenu(menuItemId, linkUrl) {
  const worker = await extensionWorker(browser.context);
  return worker.evaluate(async ([id, url]) => {
    const [tab] = await chrome.tabs.query({ url: 'https://www.light.gg/*' });
    return globalThis.courier.handleMenuClick({ menuItemId: id, linkUrl: url, pageUrl: 'https://www.light.gg/', editable: false }, tab);
  }, [menuItemId, linkUrl]);
}

test('the right-click menu sends a linked item to the vault, equips one, and says when you have none', { skip: skip ?? false }, async () => {
  let state = await world();
  const hunter = characterOf(state, CLASS.hunter);
  const warlock = characterOf(state, CLASS.warlock);
  const onHunter = singleCopies(state).find((item) => item.place.kind === 'character' && item.place.character === hunter.index
    && !item.equipped && !definitionOf(state, item).nonTransferrable && definitionOf(state, item).itemType === ITEM_TYPE.weapon);
  assert.ok(onHunter, 'the Hunter has a weapon of which there is one copy');
  const page = await openPopup(browser.context);
  const lightGg = await browser.context.newPage();
  await lightGg.route('https://www.light.gg/**', (route) => route.fulfill({ contentType: 'text/html', body: '<a href="/db/items/1/">an item</a>' }));
  await lightGg.goto('https://www.light.gg/');

  const sent = await clickMenu('courier:vault', `https://www.light.gg/db/items/${onHunter.hash}/some-weapon/`);
  assert.equal(sent.ok, true, JSON.stringify(sent));
  assert.match(sent.message, /^Moved .+ to the vault\.$/);
  assert.equal(sent.item.itemId, onHunter.instanceId, 'the one copy is the one moved');
  state = await world();
  assert.deepEqual(state.items.find((item) => item.instanceId === onHunter.instanceId).place, { kind: 'vault' });
  const worker = await extensionWorker(browser.context);
  assert.equal(await worker.evaluate(() => chrome.action.getBadgeText({})), '✓');

  // "Equip on Warlock": the slot is the Warlock's place among the characters the popup shows.
  const characters = (await ask(page, { type: 'state' })).characters;
  const slot = characters.findIndex((c) => c.id === warlock.id);
  const equipped = await clickMenu(`courier:equip:${slot}`, `https://www.light.gg/db/items/${onHunter.hash}/`);
  assert.equal(equipped.ok, true, JSON.stringify(equipped));
  assert.match(equipped.message, /^Equipped .+ on your Warlock\.$/);
  const onWarlock = (await world()).items.find((item) => item.instanceId === onHunter.instanceId);
  assert.deepEqual([onWarlock.place, onWarlock.equipped], [{ kind: 'character', character: warlock.index }, true]);

  const owned = new Set(state.items.map((item) => item.hash));
  let missing = 3_000_000_000;
  while (owned.has(missing)) missing += 1;
  const none = await clickMenu('courier:vault', `https://d2foundry.gg/w/${missing}`);
  assert.equal(none.ok, false);
  assert.equal(none.error.kind, 'no_copy');
  assert.equal(await worker.evaluate(() => chrome.action.getBadgeText({})), '!');

  const notLinked = await clickMenu('courier:vault', 'https://www.light.gg/god-roll/');
  assert.equal(notLinked.error.kind, 'not_an_item');

  // The popup mentions what the menu did last, and opening it clears the badge.
  await page.reload();
  await byTestId(page, 'notice').filter({ hasText: 'Right-click menu:' }).waitFor();
  assert.equal(await worker.evaluate(() => chrome.action.getBadgeText({})), '');
  await page.close();
  await lightGg.close();
});

test('a run goes on after the worker is stopped mid-run, and no step is sent twice', { skip: skip ?? false }, async () => {
  const state = await world();
  const titan = characterOf(state, CLASS.titan);
  const moving = itemsAt(state, titan.index)
    .filter((item) => !item.equipped && item.instanceId && !definitionOf(state, item).nonTransferrable
      && definitionOf(state, item).itemType === ITEM_TYPE.weapon)
    .slice(0, 6);
  assert.equal(moving.length, 6, 'the Titan carries six weapons that can move');
  const query = moving.map((item) => `id:${item.instanceId}`).join(' or ');
  await sim.control('log', undefined, 'DELETE');

  const page = await browser.context.newPage();
  await page.goto(extensionUrl('options.html'));
  await ask(page, { type: 'refresh' });
  const started = await ask(page, { type: 'run', intent: { kind: 'move_matching', query, to: 'vault' } });
  assert.equal(started.ok, true, JSON.stringify(started));

  let stopped = false;
  const finished = await waitForRun(page, started.runId, {
    onProgress: async (progress) => {
      if (!stopped && progress.done >= 2) {
        assert.equal(progress.finished, false, 'the run is still going when the worker stops');
        await stopWorker(browser.context, page);
        stopped = true;
      }
    },
  });
  assert.ok(stopped, 'the worker was stopped during the run');
  assert.equal(finished.report.intents[0].done, true, JSON.stringify(finished));
  assert.equal(finished.done, 6);

  const after = await world();
  for (const item of moving) {
    assert.deepEqual(after.items.find((i) => i.instanceId === item.instanceId).place, { kind: 'vault' }, `${item.instanceId} is in the vault`);
  }
  const transfers = (await sim.control('log')).filter((entry) => entry.path === TRANSFER_PATH && entry.errorCode === 1);
  const perItem = new Map();
  for (const transfer of transfers) perItem.set(String(transfer.body.itemId), (perItem.get(String(transfer.body.itemId)) ?? 0) + 1);
  assert.deepEqual([...perItem.values()], [1, 1, 1, 1, 1, 1], 'each item was transferred exactly once');
  await page.close();
});

test('moving all matches of a search shows progress and time left, and Cancel stops it', { skip: skip ?? false }, async () => {
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
  const transfers = (await sim.control('log')).filter((entry) => entry.path === TRANSFER_PATH && entry.errorCode === 1);
  assert.equal(inVault.length, transfers.length, 'what was sent happened, and nothing more');
  assert.ok(inVault.length < 8, 'nothing was sent after the cancel');
  await page.close();
});
