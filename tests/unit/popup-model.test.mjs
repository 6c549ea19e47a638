// What the popup derives from a snapshot: item actions, search matches, previews, texts.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
  assetUrl, itemActions, itemKey, itemLabel, itemsByKey, matchCount, matcher, movedAsideLines, planProblems,
  postmasterFill, refusedForRoom, replacesShown, searchTargets, vaultFill,
} from '../../extension/lib/popup-model.js';

const KINETIC = 1498876634;
const CHEST = 14239492;
const snapshot = {
  origin: 'https://www.bungie.net',
  characters: [
    { id: '1', classType: 'titan', className: 'Titan' },
    { id: '2', classType: 'hunter', className: 'Hunter' },
  ],
  vault: { count: 450, capacity: 700 },
  postmaster: [{ characterId: '1', count: 3, capacity: 21 }, { characterId: '2', count: 0, capacity: 21 }],
  stores: [
    { id: '1', buckets: [{ hash: KINETIC, name: 'Kinetic', items: [
      { itemId: '10', hash: 100, name: 'Sunshot', tier: 'exotic', power: 1810, quantity: 1, equipped: true, locked: false, lockable: true, classType: 'any', bucketHash: KINETIC, location: { kind: 'character', characterId: '1' } },
    ] }] },
    { id: 'vault', buckets: [{ hash: CHEST, name: 'Chest', items: [
      { itemId: '20', hash: 200, name: 'Hunter Vest', tier: 'legendary', power: 1800, quantity: 1, equipped: false, locked: true, lockable: true, classType: 'hunter', bucketHash: CHEST, location: { kind: 'vault' } },
      { itemId: null, hash: 300, name: 'Glimmer Stack', tier: 'basic', power: null, quantity: 50, equipped: false, locked: false, lockable: false, classType: 'any', bucketHash: 1469714392, location: { kind: 'vault' } },
    ] }] },
  ],
};
const [sunshot] = snapshot.stores[0].buckets[0].items;
const [vest, stack] = snapshot.stores[1].buckets[0].items;
const labels = (view) => itemActions(view, snapshot).map((action) => action.label);

test('an equipped weapon can go to the other character or the vault, be equipped elsewhere, and be locked', () => {
  assert.deepEqual(labels(sunshot), ['Move to Hunter', 'Move to the vault', 'Equip on Hunter', 'Lock']);
  const [toHunter, , equip, lock] = itemActions(sunshot, snapshot);
  assert.deepEqual(toHunter.intent, { kind: 'move', itemId: '10', to: '2' });
  assert.deepEqual(equip.intent, { kind: 'equip', itemId: '10', characterId: '2' });
  assert.deepEqual(lock.intent, { kind: 'lock', itemId: '10', locked: true });
});

test('class gear is offered only to its class; locked items offer Unlock; stacks move by hash', () => {
  assert.deepEqual(labels(vest), ['Move to Hunter', 'Equip on Hunter', 'Unlock']);
  assert.deepEqual(itemActions(stack, snapshot).map((a) => a.intent), [
    { kind: 'move', itemHash: 300, from: { kind: 'vault' }, to: '1' },
    { kind: 'move', itemHash: 300, from: { kind: 'vault' }, to: '2' },
  ]);
});

test('a postmaster item offers the pull', () => {
  const lost = { ...vest, locked: false, location: { kind: 'postmaster', characterId: '2' } };
  assert.deepEqual(itemActions(lost, snapshot).map((a) => a.intent), [
    { kind: 'pull', itemId: '20' },
    { kind: 'lock', itemId: '20', locked: true },
  ]);
  assert.match(itemActions(lost, snapshot)[0].label, /Pull from the postmaster to your Hunter/);
});

test('search results match by instance id, or by hash for stacks', () => {
  const matches = matcher({ count: 2, itemIds: ['10'], hashes: [100, 300] });
  assert.equal(matches(sunshot), true);
  assert.equal(matches(vest), false);
  assert.equal(matches(stack), true);
  assert.equal(matchCount(1), '1 match');
  assert.equal(matchCount(12), '12 matches');
  assert.deepEqual(searchTargets(snapshot).map((t) => t.to), ['1', '2', 'vault']);
});

test('a preview names what moves aside, from where to where', () => {
  const plan = {
    steps: [{}],
    movedAside: [
      { itemId: '20', itemHash: 200, from: { kind: 'vault' }, to: { kind: 'character', characterId: '2' }, purpose: 'make_room' },
      { itemId: '99', itemHash: 999, from: { kind: 'character', characterId: '1' }, to: { kind: 'vault' }, purpose: 'replace_equipped' },
    ],
    intents: [{ intent: 0, refusal: null, skipped: [{ itemHash: 5, reason: { kind: 'not_transferable', name: 'Ghost' } }] }],
  };
  assert.deepEqual(movedAsideLines(plan, snapshot), [
    'Hunter Vest: from the vault to your Hunter',
    'Item 999: from your Titan to the vault (equipped in its place)',
  ]);
  assert.deepEqual(planProblems(plan), ['Ghost cannot be transferred: it stays on the character that has it.']);
  assert.equal(refusedForRoom(plan), false);
  assert.equal(refusedForRoom({ intents: [{ refusal: { kind: 'no_room', place: 'The vault' } }] }), true);
});

test('texts: fills, labels, keys, and asset URLs that are never anything but http(s)', () => {
  assert.equal(vaultFill(snapshot), 'Vault 450 / 700');
  assert.equal(postmasterFill(snapshot, '1'), 'Postmaster 3 / 21');
  assert.equal(postmasterFill(snapshot, '2'), '');
  assert.equal(itemLabel(sunshot), 'Sunshot, power 1810, equipped');
  assert.equal(itemLabel(stack), 'Glimmer Stack, 50 in the stack');
  assert.equal(itemKey(sunshot), 'i10');
  assert.equal(itemKey(stack), 'h300@vault');
  assert.equal(assetUrl('https://www.bungie.net', '/common/icon.jpg'), 'https://www.bungie.net/common/icon.jpg');
  assert.equal(assetUrl('https://www.bungie.net', 'javascript:alert(1)'), null);
  assert.equal(assetUrl('https://www.bungie.net', ''), null);
});

test('items are found by their key; of two stacks in one place, the first', () => {
  const byKey = itemsByKey(snapshot);
  assert.deepEqual([...byKey.keys()], ['i10', 'i20', 'h300@vault']);
  assert.equal(byKey.get('i20'), vest);
  const second = { ...stack, quantity: 7 };
  const twoStacks = { stores: [{ id: 'vault', buckets: [{ hash: CHEST, name: 'Chest', items: [stack, second] }] }] };
  assert.equal(itemsByKey(twoStacks).get('h300@vault'), stack);
});

test('an answer replaces what is shown unless it is older, or the very cached copy already drawn', () => {
  const shown = { ...snapshot, signedIn: true, stale: true, mintedAt: '2026-01-01T00:00:10Z', savedAt: 1000 };
  const answer = (changes) => ({ ...shown, ...changes });
  assert.equal(replacesShown(answer({}), null), true, 'nothing shown yet');
  assert.equal(replacesShown(answer({}), shown), false, 'the worker\'s cached copy is the one drawn');
  assert.equal(replacesShown(answer({ savedAt: 2000 }), shown), true, 'cached again since (after a run, say)');
  assert.equal(replacesShown(answer({ stale: false }), shown), true, 'a refresh is drawn even when nothing changed');
  assert.equal(replacesShown(answer({ stale: true, mintedAt: '2026-01-01T00:00:20Z', savedAt: 2000 }), shown), true, 'newer');
  assert.equal(replacesShown(answer({ stale: false, mintedAt: '2026-01-01T00:00:05Z', savedAt: 2000 }), shown), false, 'an older answer never replaces a newer one');
  assert.equal(replacesShown({ ok: true, signedIn: false, origin: shown.origin, mintedAt: null }, shown), true, 'signed out');
  assert.equal(replacesShown(answer({ origin: 'http://127.0.0.1:4000', mintedAt: '2026-01-01T00:00:05Z' }), shown), true, 'another Bungie origin');
  assert.equal(replacesShown(answer({}), { ...shown, signedIn: false }), true, 'signed in since');
});
