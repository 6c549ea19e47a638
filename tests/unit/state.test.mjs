// The inventory and definitions caches.
import assert from 'node:assert/strict';
import { beforeEach, test } from 'node:test';

import { installFakeChrome } from './fake-chrome.mjs';
import {
  base64ToBytes, bytesToBase64, cachedDefinitions, cachedInventory, forgetInventory, isOlder,
  mintedMs, offerInventory, saveDefinitions,
} from '../../extension/lib/state.js';

const ORIGIN = 'https://www.bungie.net';
/** A profile as the core hands it over: the inventory as text, and its facts. */
const inventory = (minted, marker) => ({
  inventory: JSON.stringify({ membershipType: 2, membershipId: '4611686018467000000', characters: [], items: [marker], minted }),
  minted,
  characters: [],
});
const items = (entry) => JSON.parse(entry.inventory).items;

beforeEach(() => installFakeChrome());

test('minted times compare as instants; missing or unreadable times never count as older', () => {
  assert.equal(mintedMs('2026-01-01T00:00:01Z'), Date.UTC(2026, 0, 1, 0, 0, 1));
  assert.equal(mintedMs(undefined), null);
  assert.equal(mintedMs('yesterday-ish'), null);
  assert.equal(isOlder('2026-01-01T00:00:00Z', '2026-01-01T00:00:01Z'), true);
  assert.equal(isOlder('2026-01-01T00:00:01Z', '2026-01-01T00:00:00Z'), false);
  assert.equal(isOlder('2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'), false, 'the same answer again is not older');
  assert.equal(isOlder(null, '2026-01-01T00:00:00Z'), false);
  assert.equal(isOlder('2026-01-01T00:00:00.250Z', '2026-01-01T00:00:00.500Z'), true, 'milliseconds count');
});

test('a newer cached inventory is never replaced by an older answer', async () => {
  const first = await offerInventory(ORIGIN, inventory('2026-01-01T00:00:10Z', 'newer'));
  assert.equal(first.replaced, true);
  const older = await offerInventory(ORIGIN, inventory('2026-01-01T00:00:05Z', 'older'));
  assert.equal(older.replaced, false);
  assert.deepEqual(items(older), ['newer']);
  assert.deepEqual(items(await cachedInventory(ORIGIN)), ['newer']);
  const newest = await offerInventory(ORIGIN, inventory('2026-01-01T00:00:20Z', 'newest'));
  assert.equal(newest.replaced, true);
  assert.equal((await cachedInventory(ORIGIN)).mintedAt, '2026-01-01T00:00:20Z');
});

test('the cache belongs to one origin and can be forgotten', async () => {
  await offerInventory(ORIGIN, inventory('2026-01-01T00:00:10Z', 'a'));
  assert.equal(await cachedInventory('http://127.0.0.1:1234'), null);
  await forgetInventory();
  assert.equal(await cachedInventory(ORIGIN), null);
});

test('an inventory cached in the form of an older Courier is not handed to this core', async () => {
  await offerInventory(ORIGIN, inventory('2026-01-01T00:00:10Z', 'a'));
  const { inventory: entry } = await chrome.storage.local.get('inventory');
  assert.equal(entry.format, 3);
  await chrome.storage.local.set({ inventory: { ...entry, format: 2 } });
  assert.equal(await cachedInventory(ORIGIN), null, 'format 2 wrote locations as their JSON wire');
  const { format, ...older } = entry;
  await chrome.storage.local.set({ inventory: older });
  assert.equal(await cachedInventory(ORIGIN), null, 'format 1 had no format field');
  const fresh = await offerInventory(ORIGIN, inventory('2026-01-01T00:00:05Z', 'b'));
  assert.equal(fresh.replaced, true, 'an unreadable entry does not count as newer');
  assert.deepEqual(items(await cachedInventory(ORIGIN)), ['b']);
});

test('definitions survive storage as base64, byte for byte', async () => {
  const bytes = new Uint8Array(100_000).map((_, i) => (i * 7919) % 256);
  assert.deepEqual(base64ToBytes(bytesToBase64(bytes)), bytes);
  assert.equal(await cachedDefinitions(), null);
  await saveDefinitions('v-1', bytes);
  const cached = await cachedDefinitions();
  assert.equal(cached.version, 'v-1');
  assert.deepEqual(cached.bytes, bytes);
});

test('unreadable cached definitions count as none', async () => {
  const fake = installFakeChrome();
  fake.store.set('definitions', { version: 'v', bytes: '***not base64***' });
  assert.equal(await cachedDefinitions(), null);
});
