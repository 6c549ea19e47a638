// Courier itself in Debian's Chromium, against the simulator on the real host names: the built
// extension (`cargo xtask dist`) loads with its pinned id next to the real native host, a person
// signs in on the website, points Courier at the sandbox, opens the popup, sees the simulator's
// characters and vault, and moves one item from the Hunter to the Warlock.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { browserMissing, extensionWorker, launch } from './lib/browser.mjs';
import { ask, DIST, EXTENSION_ID, extensionUrl, hostEnv, installHost, requireBuilt } from './lib/extension.mjs';
import {
  BUCKET, byTestId, characterOf, CLASS, definitionOf, ITEM_TYPE, itemsAt, openPopup, POPUP_TIMEOUT_MS, TIER,
} from './lib/popup.mjs';
import { REAL_HOST_FLAGS, startSim, TARGET_DIR } from './lib/sim.mjs';
import { signInWithPlayStation } from './lib/website.mjs';

/** Where screenshots go. */
const ARTIFACTS = path.join(TARGET_DIR, 'e2e-artifacts');
/** bungie.net's transfer endpoint, as the simulator logs it. */
const TRANSFER_PATH = '/Platform/Destiny2/Actions/Items/TransferItem/';

const skip = browserMissing();
let sim;
let browser;
let profileDir;
let hostManifestPath;

before(async () => {
  if (skip) return;
  requireBuilt();
  sim = await startSim(REAL_HOST_FLAGS);
  profileDir = mkdtempSync(path.join(tmpdir(), 'courier-e2e-extension-'));
  hostManifestPath = await installHost(profileDir, hostEnv(sim));
  browser = await launch(sim, { extension: DIST, profileDir, env: hostEnv(sim) });
});

after(async () => {
  await browser?.close();
  sim?.stop();
  if (profileDir) rmSync(profileDir, { recursive: true, force: true });
});

/** The world as the simulator holds it, with character ids and item ids as strings. */
async function world() {
  return (await sim.control('state')).world;
}

/** How many items the vault's General bucket holds (what the popup's header counts). */
function vaultCount(state) {
  return itemsAt(state, { kind: 'vault' }).filter((item) => item.bucketHash === BUCKET.vault).length;
}

/**
 * A Hunter weapon that can go to the Warlock in exactly two transfers: unequipped, not exotic,
 * transferable, with room for it in the vault and in the Warlock's bucket.
 */
function movableHunterWeapon(state) {
  const hunter = characterOf(state, CLASS.hunter);
  const warlock = characterOf(state, CLASS.warlock);
  const capacity = (bucket) => state.definitions.buckets[String(bucket)].itemCount;
  assert.ok(vaultCount(state) < capacity(BUCKET.vault), 'the vault has room');
  const onWarlock = (bucket) => itemsAt(state, warlock.index).filter((item) => item.bucketHash === bucket).length;
  const item = itemsAt(state, hunter.index).find((candidate) => {
    const def = definitionOf(state, candidate);
    return !candidate.equipped && def.itemType === ITEM_TYPE.weapon && def.tierType !== TIER.exotic
      && !def.nonTransferrable && onWarlock(candidate.bucketHash) < capacity(candidate.bucketHash);
  });
  assert.ok(item, 'the Hunter carries a weapon the Warlock has room for');
  return { item, hunter, warlock };
}

test('the built extension loads with its pinned id, next to the installed native host', { skip: skip ?? false }, async () => {
  const worker = await extensionWorker(browser.context);
  assert.equal(worker.url(), `chrome-extension://${EXTENSION_ID}/background.js`);

  const hostManifest = JSON.parse(readFileSync(hostManifestPath, 'utf8'));
  assert.equal(hostManifest.name, 'dev.courier.host');
  assert.deepEqual(hostManifest.allowed_origins, [`chrome-extension://${EXTENSION_ID}/`]);
  assert.ok(existsSync(hostManifest.path), `the host binary ${hostManifest.path} exists`);
});

test('a person signs in on the website and points Courier at the sandbox', { skip: skip ?? false }, async () => {
  const page = await browser.context.newPage();
  await signInWithPlayStation(page);

  await page.goto(extensionUrl('options.html'));
  await page.locator('input[name="apiKey"]').fill(sim.apiKey);
  await page.locator('input[name="bungieOrigin"]').fill('https://www.bungie.net');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByRole('status').filter({ hasText: /\S/ }).waitFor();
  const saved = await ask(page, { type: 'options' });
  assert.equal(saved.ok, true, JSON.stringify(saved));
  assert.equal(saved.options.apiKey, sim.apiKey);
  assert.equal(saved.options.bungieOrigin, 'https://www.bungie.net');
  await page.close();
});

test("the popup shows the simulator's three characters and its vault count", { skip: skip ?? false }, async () => {
  const state = await world();
  const page = await openPopup(browser.context);

  const className = (classType) => Object.values(state.definitions.classes).find((c) => c.classType === classType).name;
  const expected = state.characters.map((c) => ({ id: c.id, className: className(c.classType) }));
  const shown = await byTestId(page, 'character').evaluateAll((elements) => elements.map((element) => ({
    id: element.dataset.characterId,
    className: element.dataset.class,
  })));
  const byId = (a, b) => a.id.localeCompare(b.id);
  assert.deepEqual(shown.sort(byId), expected.sort(byId));

  const fill = byTestId(page, 'vault-fill');
  assert.equal(Number(await fill.getAttribute('data-count')), vaultCount(state));
  assert.equal(Number(await fill.getAttribute('data-capacity')), state.definitions.buckets[String(BUCKET.vault)].itemCount);
  await page.close();
});

test('an item moves from the Hunter to the Warlock through the popup', { skip: skip ?? false }, async () => {
  const { item, hunter, warlock } = movableHunterWeapon(await world());
  await sim.control('log', undefined, 'DELETE');
  const page = await openPopup(browser.context);
  try {
    await byTestId(page, 'character', { 'character-id': hunter.id }).click();
    await byTestId(page, 'item', { 'item-id': item.instanceId }).click();
    await byTestId(page, 'action-move', { to: warlock.id }).click();
    await byTestId(page, 'run-summary', { outcome: 'done' }).waitFor({ timeout: POPUP_TIMEOUT_MS });

    const moved = (await world()).items.find((candidate) => candidate.instanceId === item.instanceId);
    assert.deepEqual(moved.place, { kind: 'character', character: warlock.index }, 'the item is on the Warlock');

    const { value: bungled } = (await browser.context.cookies('https://www.bungie.net')).find((c) => c.name === 'bungled');
    const transfers = (await sim.control('log')).filter((entry) => entry.path === TRANSFER_PATH);
    assert.equal(transfers.length, 2, `two TransferItem calls: ${JSON.stringify(transfers)}`);
    for (const transfer of transfers) {
      assert.equal(transfer.method, 'POST');
      assert.equal(transfer.csrf, bungled, 'X-CSRF equals the bungled cookie');
      assert.equal(transfer.bungled, bungled, 'the browser sent its bungled cookie');
      assert.equal(transfer.errorCode, 1, 'the transfer succeeded');
      assert.equal(String(transfer.body.itemId), item.instanceId);
    }
    assert.deepEqual(transfers.map((t) => [t.body.transferToVault, String(t.body.characterId)]),
      [[true, hunter.id], [false, warlock.id]], 'to the vault from the Hunter, then to the Warlock');

    // The popup's own view follows: the item is now in the Warlock's gear.
    await byTestId(page, 'run-close').click();
    await byTestId(page, 'character', { 'character-id': warlock.id }).click();
    await byTestId(page, 'item', { 'item-id': item.instanceId }).waitFor({ timeout: POPUP_TIMEOUT_MS });
  } finally {
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, 'popup.png'), fullPage: true });
    await page.close();
  }
});
