// Courier itself in Debian's Chromium, against the simulator on the real host names: the built
// extension (`cargo xtask dist`) loads with its pinned id next to the real native host, and
// scenario 1: a person signs in on the website, opens the popup, sees the simulator's characters
// and vault, and moves one item from the Hunter to the Warlock.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

import { browserMissing, extensionWorker, launch } from './lib/browser.mjs';
import { DIST, EXTENSION_ID, hostEnv, installHost, requireBuilt } from './lib/extension.mjs';
import {
  BUCKET, byTestId, characterOf, CLASS, definitionOf, ITEM_TYPE, itemsAt, POPUP_TIMEOUT_MS, TIER,
} from './lib/popup.mjs';
import { transfers } from './lib/requests.mjs';
import { scenario } from './lib/scenario.mjs';
import { REAL_HOST_FLAGS, startSim } from './lib/sim.mjs';
import { signInWithPlayStation } from './lib/website.mjs';

const skip = browserMissing();

/** How many items the vault's General bucket holds (what the popup's header counts). */
function vaultCount(world) {
  return itemsAt(world, { kind: 'vault' }).filter((item) => item.bucketHash === BUCKET.vault).length;
}

/**
 * A Hunter weapon that can go to the Warlock in exactly two transfers: unequipped, not exotic,
 * transferable, with room for it in the vault and in the Warlock's bucket.
 */
function movableHunterWeapon(world) {
  const hunter = characterOf(world, CLASS.hunter);
  const warlock = characterOf(world, CLASS.warlock);
  const capacity = (bucket) => world.definitions.buckets[String(bucket)].itemCount;
  assert.ok(vaultCount(world) < capacity(BUCKET.vault), 'the vault has room');
  const onWarlock = (bucket) => itemsAt(world, warlock.index).filter((item) => item.bucketHash === bucket).length;
  const item = itemsAt(world, hunter.index).find((candidate) => {
    const def = definitionOf(world, candidate);
    return !candidate.equipped && def.itemType === ITEM_TYPE.weapon && def.tierType !== TIER.exotic
      && !def.nonTransferrable && onWarlock(candidate.bucketHash) < capacity(candidate.bucketHash);
  });
  assert.ok(item, 'the Hunter carries a weapon the Warlock has room for');
  return { item, hunter, warlock };
}

test('the built extension loads with its pinned id, next to the installed native host', { skip: skip ?? false }, async () => {
  requireBuilt();
  const sim = await startSim(REAL_HOST_FLAGS);
  const profileDir = mkdtempSync(path.join(tmpdir(), 'courier-e2e-extension-'));
  let browser;
  try {
    const hostManifestPath = await installHost(profileDir, hostEnv(sim));
    browser = await launch(sim, { extension: DIST, profileDir, env: hostEnv(sim) });
    const worker = await extensionWorker(browser.context);
    assert.equal(worker.url(), `chrome-extension://${EXTENSION_ID}/background.js`);

    const hostManifest = JSON.parse(readFileSync(hostManifestPath, 'utf8'));
    assert.equal(hostManifest.name, 'dev.courier.host');
    assert.deepEqual(hostManifest.allowed_origins, [`chrome-extension://${EXTENSION_ID}/`]);
    assert.ok(existsSync(hostManifest.path), `the host binary ${hostManifest.path} exists`);
  } finally {
    await browser?.close();
    sim.stop();
    rmSync(profileDir, { recursive: true, force: true });
  }
});

scenario('1. Browser session exists: signed in on the website, the popup shows the three characters and the vault count, and a Hunter-to-Warlock move sends exactly two TransferItem calls with X-CSRF = bungled', {}, async (run) => {
  const website = await run.context.newPage();
  await signInWithPlayStation(website);
  await website.close();

  const world = await run.world();
  const page = await run.popup();
  const className = (classType) => Object.values(world.definitions.classes).find((c) => c.classType === classType).name;
  const expected = world.characters.map((c) => ({ id: c.id, className: className(c.classType) }));
  const shown = await byTestId(page, 'character').evaluateAll((elements) => elements.map((element) => ({
    id: element.dataset.characterId,
    className: element.dataset.class,
  })));
  const byId = (a, b) => a.id.localeCompare(b.id);
  assert.deepEqual(shown.sort(byId), expected.sort(byId), 'the three characters of the simulator');
  const fill = byTestId(page, 'vault-fill');
  assert.equal(Number(await fill.getAttribute('data-count')), vaultCount(world));
  assert.equal(Number(await fill.getAttribute('data-capacity')), world.definitions.buckets[String(BUCKET.vault)].itemCount);

  const { item, hunter, warlock } = movableHunterWeapon(world);
  await byTestId(page, 'character', { 'character-id': hunter.id }).click();
  await byTestId(page, 'item', { 'item-id': item.instanceId }).click();
  await byTestId(page, 'action-move', { to: warlock.id }).click();
  await byTestId(page, 'run-summary', { outcome: 'done' }).waitFor({ timeout: POPUP_TIMEOUT_MS });

  const moved = (await run.world()).items.find((candidate) => candidate.instanceId === item.instanceId);
  assert.deepEqual(moved.place, { kind: 'character', character: warlock.index }, 'the item is on the Warlock');
  const bungled = (await run.context.cookies('https://www.bungie.net')).find((c) => c.name === 'bungled');
  assert.ok(bungled, 'the website left its bungled cookie');
  const sent = transfers(await run.log());
  assert.equal(sent.length, 2, `exactly two TransferItem calls: ${JSON.stringify(sent)}`);
  for (const transfer of sent) {
    assert.equal(transfer.method, 'POST');
    assert.equal(transfer.csrf, bungled.value, 'X-CSRF equals the bungled cookie');
    assert.equal(transfer.bungled, bungled.value, 'the browser sent its bungled cookie');
    assert.equal(transfer.errorCode, 1, 'the transfer succeeded');
    assert.equal(String(transfer.body.itemId), item.instanceId);
  }
  assert.deepEqual(sent.map((t) => [t.body.transferToVault, String(t.body.characterId)]),
    [[true, hunter.id], [false, warlock.id]], 'to the vault from the Hunter, then to the Warlock');

  // The popup's own view follows: the item is now in the Warlock's gear.
  await byTestId(page, 'run-close').click();
  await byTestId(page, 'character', { 'character-id': warlock.id }).click();
  await byTestId(page, 'item', { 'item-id': item.instanceId }).waitFor({ timeout: POPUP_TIMEOUT_MS });
});
