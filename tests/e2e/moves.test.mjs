// Moving and equipping through the popup when bungie.net's rules get in the way, scenarios 6, 7,
// 8 and 10: an exotic that clashes with the equipped one, a full bucket, a bulk move, and a bulk
// move while bungie.net throttles, fails and sends outage pages.
import assert from 'node:assert/strict';

import {
  BUCKET, byTestId, characterOf, CLASS, definitionOf, ITEM_TYPE, itemById, itemsAt, movableWeapons, POPUP_TIMEOUT_MS,
  popupSettled, runThroughWorker, TIER,
} from './lib/popup.mjs';
import { actions, countByItem, PROFILE_PATH, THROTTLED, transfers } from './lib/requests.mjs';
import { scenario } from './lib/scenario.mjs';

/** bungie.net's single-item equip endpoint. */
const EQUIP_PATH = '/Platform/Destiny2/Actions/Items/EquipItem/';
/** ErrorCode 1641, DestinyItemUniqueEquipRestricted: two exotics of one kind. */
const EXOTIC_CONFLICT = 1641;
/** DestinyInventoryBucketDefinition.category of the buckets items are equipped from. */
const EQUIPPABLE = 3;

/**
 * Problems with the simulator's equipped gear, as sentences (none when valid): in each
 * equippable bucket a character holds items in, exactly one is equipped, and no two equipped
 * items of a character share a unique label.
 */
function equippedProblems(world) {
  const problems = [];
  const equippable = Object.values(world.definitions.buckets).filter((b) => b.category === EQUIPPABLE).map((b) => b.hash);
  world.characters.forEach((character, index) => {
    const held = itemsAt(world, index);
    const equipped = held.filter((item) => item.equipped);
    for (const bucket of equippable.filter((hash) => held.some((item) => item.bucketHash === hash))) {
      const count = equipped.filter((item) => item.bucketHash === bucket).length;
      if (count !== 1) problems.push(`character ${character.id} has ${count} items equipped in bucket ${bucket}`);
    }
    const labels = equipped.map((item) => definitionOf(world, item).uniqueLabel).filter(Boolean);
    for (const label of new Set(labels)) {
      const count = labels.filter((l) => l === label).length;
      if (count > 1) problems.push(`character ${character.id} has ${count} equipped items labelled ${label}`);
    }
  });
  return problems;
}

/** Records every value the progress bar's `data-done` takes, in `window.doneSeen`. */
async function watchProgress(page) {
  await page.evaluate(() => {
    const bar = document.querySelector('[data-testid="run-progress"]');
    window.doneSeen = [];
    new MutationObserver(() => window.doneSeen.push(Number(bar.dataset.done)))
      .observe(bar, { attributes: true, attributeFilter: ['data-done'] });
  });
}

/** Types a search in the popup and waits for its count; resolves to the count. */
async function searchFor(page, query) {
  const count = page.locator('[data-testid="match-count"][data-count]');
  // Cleared first, so the count waited for is this search's, not the last one's.
  await byTestId(page, 'search').fill('');
  await count.waitFor({ state: 'detached' });
  await byTestId(page, 'search').fill(query);
  await count.waitFor();
  return Number(await count.getAttribute('data-count'));
}

/** The runs the worker keeps (the finished ones with their reports), newest first. */
async function storedRuns(run) {
  const worker = await run.worker();
  const { runs = {} } = await worker.evaluate(() => chrome.storage.local.get('runs'));
  return Object.values(runs).sort((a, b) => b.createdAt - a.createdAt);
}

/** Where a report's location (core's Location) is, as the simulator writes a place. */
function simPlace(world, location) {
  const index = (id) => world.characters.findIndex((c) => c.id === id);
  switch (location?.kind) {
    case 'vault': return { kind: 'vault' };
    case 'character': return { kind: 'character', character: index(location.characterId) };
    case 'postmaster': return { kind: 'postmaster', character: index(location.characterId) };
    default: return location ?? null;
  }
}

scenario('6. Equip an exotic while another exotic weapon is equipped: the other is replaced first, and the equipped set stays valid', { session: true }, async (run) => {
  const world = await run.world();
  const hunter = characterOf(world, CLASS.hunter);
  const equippedExotic = itemsAt(world, hunter.index).find((item) => item.equipped
    && definitionOf(world, item).itemType === ITEM_TYPE.weapon && definitionOf(world, item).tierType === TIER.exotic);
  assert.ok(equippedExotic, 'the Hunter has an exotic weapon equipped');
  const label = definitionOf(world, equippedExotic).uniqueLabel;
  const capacity = (bucket) => world.definitions.buckets[String(bucket)].itemCount;
  const onHunter = (bucket) => itemsAt(world, hunter.index).filter((item) => item.bucketHash === bucket).length;
  const exotic = itemsAt(world, { kind: 'vault' }).find((item) => {
    const def = definitionOf(world, item);
    return def.itemType === ITEM_TYPE.weapon && def.uniqueLabel === label && !def.nonTransferrable
      && def.bucketTypeHash !== equippedExotic.bucketHash && onHunter(def.bucketTypeHash) < capacity(def.bucketTypeHash);
  });
  assert.ok(exotic, `the vault holds an exotic weapon for another slot, labelled ${label}`);
  assert.deepEqual(equippedProblems(world), [], 'the world starts valid');

  const page = await run.popup();
  await byTestId(page, 'character', { 'character-id': hunter.id }).click();
  await byTestId(page, 'item', { 'item-id': exotic.instanceId }).click();
  await byTestId(page, 'action-equip', { 'character-id': hunter.id }).click();
  // Courier says what it equips in the other exotic's place before anything moves.
  await byTestId(page, 'preview').waitFor();
  const lines = await byTestId(page, 'preview-item').allTextContents();
  assert.equal(lines.length, 1, lines.join('\n'));
  assert.match(lines[0], /from your Hunter to your Hunter \(equipped in its place\)$/);
  assert.deepEqual(actions(await run.log()), [], 'nothing is sent before Confirm');
  await byTestId(page, 'preview-confirm').click();
  await byTestId(page, 'run-summary', { outcome: 'done' }).waitFor({ timeout: POPUP_TIMEOUT_MS });

  const after = await run.world();
  const equipped = itemById(after, exotic.instanceId);
  assert.deepEqual([equipped.place, equipped.equipped], [{ kind: 'character', character: hunter.index }, true], 'the exotic is equipped on the Hunter');
  const replaced = itemById(after, equippedExotic.instanceId);
  assert.equal(replaced.equipped, false, 'the other exotic is no longer equipped');
  const inItsPlace = itemsAt(after, hunter.index).find((item) => item.equipped && item.bucketHash === equippedExotic.bucketHash);
  assert.notEqual(definitionOf(after, inItsPlace).tierType, TIER.exotic, 'a non-exotic took its slot');
  assert.ok(lines[0].startsWith(`${definitionOf(after, inItsPlace).name}:`), `the preview named ${definitionOf(after, inItsPlace).name}`);
  assert.deepEqual(equippedProblems(after), [], 'one item per slot, no two equipped sharing a unique label');

  const log = await run.log();
  const equips = log.filter((entry) => entry.path === EQUIP_PATH);
  assert.deepEqual(equips.map((entry) => [String(entry.body.itemId), entry.errorCode]),
    [[inItsPlace.instanceId, 1], [exotic.instanceId, 1]], 'the other exotic is replaced first, then the exotic equipped');
  assert.equal(log.filter((entry) => entry.errorCode === EXOTIC_CONFLICT).length, 0, 'bungie.net never refused a clash');
  const arrived = transfers(log);
  assert.deepEqual(arrived.map((entry) => [String(entry.body.itemId), entry.body.transferToVault, entry.errorCode]),
    [[exotic.instanceId, false, 1]], 'the exotic came from the vault first');
  assert.ok(arrived[0].seq < equips[0].seq, 'moved, then equipped');
  await byTestId(page, 'run-close').click();
});

scenario('7. Making room: the destination bucket is full; the preview lists the item to move aside; Cancel moves nothing; Confirm completes and the aside item is where the preview said', { session: true }, async (run) => {
  let world = await run.world();
  const warlock = characterOf(world, CLASS.warlock);
  const capacity = world.definitions.buckets[String(BUCKET.kinetic)].itemCount;
  const kineticOnWarlock = (w) => itemsAt(w, warlock.index).filter((item) => item.bucketHash === BUCKET.kinetic);
  const vaultKinetic = itemsAt(world, { kind: 'vault' }).filter((item) => {
    const def = definitionOf(world, item);
    return def.bucketTypeHash === BUCKET.kinetic && def.itemType === ITEM_TYPE.weapon && def.tierType !== TIER.exotic
      && !def.nonTransferrable && item.instanceId;
  });
  const missing = capacity - kineticOnWarlock(world).length;
  assert.ok(missing > 0 && vaultKinetic.length > missing, 'the vault has the kinetic weapons to fill the bucket');

  // Fill the Warlock's kinetic bucket from the vault, through the worker.
  const page = await run.popup();
  const fill = vaultKinetic.slice(0, missing).map((item) => `id:${item.instanceId}`).join(' or ');
  const filled = await runThroughWorker(page, { kind: 'move_matching', query: fill, to: warlock.id });
  assert.equal(filled.report.intents[0].done, true, JSON.stringify(filled));
  world = await run.world();
  assert.equal(kineticOnWarlock(world).length, capacity, 'the bucket is full');
  const next = vaultKinetic[missing];
  await page.reload();
  await popupSettled(page);
  await run.sim.control('log', undefined, 'DELETE');

  const moveToWarlock = async () => {
    await byTestId(page, 'item', { 'item-id': next.instanceId }).click();
    await byTestId(page, 'action-move', { to: warlock.id }).click();
  };
  await moveToWarlock();
  await byTestId(page, 'error').filter({ hasText: 'is full' }).waitFor();
  await byTestId(page, 'allow-make-room').click();
  await byTestId(page, 'preview').waitFor();
  const lines = await byTestId(page, 'preview-item').allTextContents();
  assert.equal(lines.length, 1, `one item moved aside: ${lines.join('\n')}`);
  const [, asideName] = /^(.+): from your Warlock to the vault$/.exec(lines[0]) ?? [];
  assert.ok(asideName, `the preview says what goes where: ${lines[0]}`);

  await byTestId(page, 'preview-cancel').click();
  assert.equal(await byTestId(page, 'preview').isHidden(), true);
  assert.deepEqual(actions(await run.log()), [], 'Cancel sends nothing');
  assert.deepEqual(kineticOnWarlock(await run.world()).map((item) => item.instanceId).sort(),
    kineticOnWarlock(world).map((item) => item.instanceId).sort(), 'nothing moved');

  await moveToWarlock();
  await byTestId(page, 'allow-make-room').click();
  await byTestId(page, 'preview').waitFor();
  assert.deepEqual(await byTestId(page, 'preview-item').allTextContents(), lines, 'the same preview');
  await byTestId(page, 'preview-confirm').click();
  await byTestId(page, 'run-summary', { outcome: 'done' }).waitFor({ timeout: POPUP_TIMEOUT_MS });
  assert.match(await byTestId(page, 'run-summary').textContent(), /moved aside to make room/);

  const after = await run.world();
  assert.deepEqual(itemById(after, next.instanceId).place, { kind: 'character', character: warlock.index });
  assert.equal(kineticOnWarlock(after).length, capacity);
  const sent = transfers(await run.log());
  assert.deepEqual(sent.map((t) => [t.body.transferToVault, String(t.body.characterId), t.errorCode]),
    [[true, warlock.id, 1], [false, warlock.id, 1]], 'one item aside to the vault, then the move');
  const aside = itemById(after, String(sent[0].body.itemId));
  assert.deepEqual(aside.place, { kind: 'vault' }, 'the aside item is in the vault, as the preview said');
  assert.equal(definitionOf(after, aside).name, asideName, 'and it is the item the preview named');
  assert.ok(kineticOnWarlock(world).some((item) => item.instanceId === aside.instanceId), 'it came from the Warlock');
  await byTestId(page, 'run-close').click();
});

scenario('8. Bulk: move every is:weapon is:rare item of a character to the vault; the progress bar advances, every item arrives, no throttle error and no repeated action', { session: true, simFlags: ['--latency', '100'] }, async (run) => {
  const world = await run.world();
  const rare = (item) => definitionOf(world, item).itemType === ITEM_TYPE.weapon && definitionOf(world, item).tierType === TIER.rare;
  // The character carrying the most rare weapons; the others' must stay where they are.
  const [className, carried] = Object.entries(CLASS)
    .map(([name, classType]) => [name, itemsAt(world, characterOf(world, classType).index).filter(rare)])
    .reduce((most, next) => (next[1].length > most[1].length ? next : most));
  const moving = carried.filter((item) => !item.equipped);
  assert.ok(moving.length >= 3, `the ${className} carries ${moving.length} rare weapons that can move`);
  const elsewhere = world.items.filter((item) => rare(item) && !carried.includes(item));

  const page = await run.popup();
  const matches = await searchFor(page, `is:weapon is:rare on:${className}`);
  assert.equal(matches, carried.length, `the search counts the ${className}'s rare weapons only`);
  await watchProgress(page);
  await byTestId(page, 'move-matches', { to: 'vault' }).click();
  await byTestId(page, 'run-summary', { outcome: 'done' }).waitFor({ timeout: POPUP_TIMEOUT_MS });

  const seen = await page.evaluate(() => window.doneSeen);
  assert.equal(await byTestId(page, 'run-progress').getAttribute('data-total'), String(moving.length));
  assert.equal(seen.at(-1), moving.length, 'the bar ends full');
  assert.ok(seen.every((done, i) => i === 0 || done >= seen[i - 1]), `the bar never goes back: ${seen}`);
  assert.ok(seen.some((done) => done > 0 && done < moving.length), `the bar advanced step by step: ${seen}`);
  if (carried.length > moving.length) {
    assert.match(await byTestId(page, 'notice').textContent(), /equipped/, 'the popup says the equipped ones stay');
  }

  const after = await run.world();
  for (const item of moving) assert.deepEqual(itemById(after, item.instanceId).place, { kind: 'vault' }, `${item.instanceId} arrived`);
  for (const item of elsewhere) assert.deepEqual(itemById(after, item.instanceId).place, item.place, `${item.instanceId} stayed`);
  const log = await run.log();
  assert.deepEqual(log.filter((entry) => entry.errorCode === THROTTLED), [], 'no throttle error');
  const sent = transfers(log);
  assert.deepEqual([...countByItem(sent).entries()].sort(), moving.map((item) => [item.instanceId, 1]).sort(), 'each item sent once');
  assert.ok(sent.every((entry) => entry.errorCode === 1 && entry.body.transferToVault === true), JSON.stringify(sent.map((e) => e.errorCode)));
  assert.equal(actions(log).length, sent.length, 'no other action');
  await byTestId(page, 'run-close').click();
});

/**
 * Moves `items` to the vault through the popup's search, with the faults `queue()` queues just
 * before; resolves to the run's outcome, its report (kept by the worker) and the summary's lines.
 */
async function bulkToVault(run, page, items, queue) {
  assert.equal(await searchFor(page, items.map((item) => `id:${item.instanceId}`).join(' or ')), items.length);
  await queue();
  await byTestId(page, 'move-matches', { to: 'vault' }).click();
  await page.locator('[data-testid="run-summary"][data-outcome]').waitFor({ timeout: POPUP_TIMEOUT_MS });
  const [finished] = await storedRuns(run);
  assert.ok(finished?.finished && finished.report, 'the worker kept the finished run and its report');
  return {
    outcome: await byTestId(page, 'run-summary').getAttribute('data-outcome'),
    report: finished.report.intents[0],
    lines: await page.locator('#summary-failures li').allTextContents(),
  };
}

/**
 * Checks a bulk run against the simulator, item by item: the report names every item, each is
 * where the report says, the ones not in the vault are each listed in the summary with a reason,
 * and no transfer in `log` happened twice.
 */
function checkAgainstReport(world, log, items, { outcome, report, lines }) {
  assert.deepEqual(report.items.map((end) => end.itemId).sort(), items.map((item) => item.instanceId).sort(), 'the report names every item');
  for (const end of report.items) {
    const item = itemById(world, end.itemId);
    assert.deepEqual(item.place, simPlace(world, end.location), `${end.itemId} is where the report says`);
    assert.equal(item.equipped, end.equipped);
  }
  const failed = report.items.filter((end) => end.location?.kind !== 'vault');
  assert.equal(outcome, failed.length === 0 ? 'done' : 'failed');
  assert.equal(report.done, failed.length === 0);
  assert.equal(lines.length, failed.length, `one line per item not moved: ${JSON.stringify(lines)}`);
  for (const end of failed) {
    assert.ok(end.failure?.message, `the report says why ${end.itemId} did not move`);
    const name = definitionOf(world, itemById(world, end.itemId)).name;
    assert.ok(lines.includes(`${name}: ${end.failure.message}`), `the summary names ${name} with its reason: ${JSON.stringify(lines)}`);
  }
  const moved = transfers(log).filter((entry) => entry.errorCode === 1);
  assert.deepEqual([...countByItem(moved).values()].filter((n) => n > 1), [], 'no transfer happened twice');
  const movedIds = new Set(moved.map((entry) => String(entry.body.itemId)));
  for (const item of items) {
    assert.equal(movedIds.has(item.instanceId), itemById(world, item.instanceId).place.kind === 'vault', `${item.instanceId}: moved exactly when bungie.net said so`);
  }
  return failed;
}

scenario('10. Faults on (throttling, 500s, an HTML outage page): the run completes or reports each failed item with its reason, and the simulator state matches the report item by item', { session: true }, async (run) => {
  const world = await run.world();
  const titan = characterOf(world, CLASS.titan);
  const weapons = movableWeapons(world, titan.index).slice(0, 6);
  assert.equal(weapons.length, 6, 'the Titan carries six weapons that can move');
  const page = await run.popup();
  const queue = (kind, pathContains, count = 1) => run.sim.control('faults', { kind, pathContains, count });

  // A throttle, a 500 and an outage page on the first transfers, and an outage page on the
  // profile read that checks the 500: bungie.net recovers, and so does the run.
  const first = weapons.slice(0, 3);
  const absorbed = await bulkToVault(run, page, first, async () => {
    await queue('throttle', 'TransferItem');
    await queue('server_error', 'TransferItem');
    await queue('html', 'TransferItem');
    await queue('html', '/Profile/');
  });
  let log = await run.log();
  assert.deepEqual(await run.sim.control('faults'), [], 'every queued fault was served');
  assert.deepEqual(log.filter((entry) => entry.fault).map((entry) => entry.fault).sort(), ['html', 'html', 'server_error', 'throttle']);
  assert.ok(log.some((entry) => PROFILE_PATH.test(entry.path) && entry.fault === 'html'), 'a check of the profile got the outage page');
  assert.deepEqual(checkAgainstReport(await run.world(), log, first, absorbed), [], 'the run completed');
  await byTestId(page, 'run-close').click();

  // A 500 on every try of the next transfer: that item fails, the run reports it and the rest.
  await run.sim.control('log', undefined, 'DELETE');
  const rest = weapons.slice(3);
  const reported = await bulkToVault(run, page, rest, () => queue('server_error', 'TransferItem', 4));
  log = await run.log();
  assert.deepEqual(await run.sim.control('faults'), []);
  const failed = checkAgainstReport(await run.world(), log, rest, reported);
  assert.ok(failed.length > 0, 'an item failed');
  assert.deepEqual(failed.map((end) => end.failure.kind), ['unavailable', 'not_tried', 'not_tried'].slice(0, failed.length));
});
