// The worker's handlers over a fake core: the protocol's names, answers and failures.
import assert from 'node:assert/strict';
import { beforeEach, test } from 'node:test';

import { installFakeChrome } from './fake-chrome.mjs';
import { RUN_MINTED, eventually, fakeRunCore } from './fake-core.mjs';
import { CourierError } from '../../extension/lib/errors.js';
import { createService } from '../../extension/lib/service.js';

const ORIGIN = 'https://www.bungie.net';
const MEMBERSHIP = { membershipType: 2, membershipId: '4611686018467000001' };
/** A profile as the core's fetchProfile hands it over: the inventory as text, and its facts. */
const profile = (minted, marker = 'fresh') => {
  const characters = [{ id: '11', classType: 'hunter' }];
  const inventory = JSON.stringify({ membershipType: 2, membershipId: '4611686018467000001', minted, items: [marker], characters });
  return { inventory, minted, characters };
};

let fake;
let core;
beforeEach(() => {
  fake = installFakeChrome();
  const runs = fakeRunCore();
  core = {
    ...runs,
    profiles: [profile('2026-01-01T00:00:10Z')],
    connections: [],
    setDefinitions() {},
    async fetchDefinitions() { return null; },
    async fetchProfile(connection) {
      core.connections.push(connection);
      return { ...core.profiles.shift(), membership: MEMBERSHIP };
    },
    snapshot(text, signedIn, authMode, stale) {
      const inventory = JSON.parse(text);
      return {
        ok: true, signedIn, authMode, stale, items: inventory.items, mintedAt: inventory.minted,
        characters: inventory.characters, vault: { count: 0, capacity: 700 }, stores: [],
      };
    },
    search(inventory, query) {
      if (query === 'is:weapn') throw new CourierError('search', 'unknown filter is:weapn at 3; did you mean is:weapon?');
      return { count: 1, itemIds: ['1'], hashes: [5] };
    },
    plan: (inventory, intent, makeRoom) => ({ steps: [], movedAside: [], intents: [], makeRoom }),
    async fetchXur() { return { present: true, refreshDate: null, sales: [] }; },
  };
});

const signIn = () => chrome.cookies.set({ url: `${ORIGIN}/`, name: 'bungled', value: 'csrf' });

test('requests outside the protocol are refused with a typed error', async () => {
  const service = createService(core);
  assert.deepEqual((await service.dispatch({ type: 'launch_missiles' })).error.kind, 'bad_request');
  assert.deepEqual((await service.dispatch(null)).ok, false);
  await signIn();
  assert.equal((await service.dispatch({ type: 'search', query: 7 })).error.kind, 'bad_request');
  assert.equal((await service.dispatch({ type: 'plan', intent: 'move' })).error.kind, 'bad_request');
  assert.equal((await service.dispatch({ type: 'sign_in', method: 'magic' })).error.kind, 'bad_request');
});

test('signed out, state says so with where bungie.net is and how Courier signs in', async () => {
  const state = await createService(core).dispatch({ type: 'state' });
  assert.deepEqual(
    { ok: state.ok, signedIn: state.signedIn, authMode: state.authMode, origin: state.origin, signInMode: state.signInMode, characters: state.characters },
    { ok: true, signedIn: false, authMode: 'cookie', origin: ORIGIN, signInMode: 'session', characters: [] },
  );
  assert.equal((await createService(core).dispatch({ type: 'refresh' })).error.kind, 'signed_out');
});

test('the first state fetches; later ones answer the cache at once, marked stale, and refresh keeps the newest', async () => {
  await signIn();
  const service = createService(core);
  const first = await service.dispatch({ type: 'state' });
  assert.deepEqual([first.signedIn, first.stale, first.items], [true, false, ['fresh']]);
  assert.equal(core.connections[0].membership, undefined, 'the membership is looked up the first time');
  assert.deepEqual(core.connections[0].auth, { kind: 'cookie', bungled: 'csrf' });

  const cached = await service.dispatch({ type: 'state' });
  assert.deepEqual([cached.stale, cached.items], [true, ['fresh']]);
  assert.equal(core.connections.length, 1, 'the cached answer needs no request');

  core.profiles.push(profile('2026-01-01T00:00:05Z', 'older'));
  const refreshed = await service.dispatch({ type: 'refresh' });
  assert.deepEqual([refreshed.stale, refreshed.items], [false, ['fresh']], 'an older answer does not replace a newer one');
  assert.deepEqual(core.connections[1].membership, MEMBERSHIP, 'the cached membership goes along');
  assert.equal(fake.menus.size, 0, 'menus are only retitled, never created here');
});

test('a signed-in snapshot says when its inventory was cached and what the right-click menu did; signed out keeps the inventory', async () => {
  await signIn();
  const service = createService(core);
  fake.store.set('lastMenuResult', { ok: true, message: 'Moved Sunshot to your Titan.', at: Date.now() });
  const first = await service.dispatch({ type: 'state' });
  assert.equal(first.menuResult.message, 'Moved Sunshot to your Titan.');
  assert.equal(first.savedAt, fake.store.get('inventory').savedAt, 'the answer says when its inventory was cached');

  await chrome.cookies.remove({ url: `${ORIGIN}/`, name: 'bungled' });
  assert.equal((await service.dispatch({ type: 'state' })).signedIn, false);
  assert.equal(fake.store.has('inventory'), true, 'the inventory stays for when the session comes back');
});

test('plan follows the making-room policy unless the popup asks; run takes allowMakeRoom', async () => {
  await signIn();
  const service = createService(core);
  const intent = { kind: 'move', itemId: '1', to: 'vault' };
  assert.equal((await service.dispatch({ type: 'plan', intent })).plan.makeRoom, 'never');
  assert.equal((await service.dispatch({ type: 'plan', intent, allowMakeRoom: true })).plan.makeRoom, 'allowed');
  await service.dispatch({ type: 'set_options', options: { makeRoom: 'allowed' } });
  assert.equal((await service.dispatch({ type: 'plan', intent })).plan.makeRoom, 'allowed');

  const started = await service.dispatch({ type: 'run', intent, allowMakeRoom: true });
  assert.equal(started.ok, true);
  await eventually(async () => (await service.dispatch({ type: 'progress', runId: started.runId })).finished);
  const journal = JSON.parse(fake.store.get('runs')[started.runId].journal);
  assert.equal(journal.makeRoom, 'allowed');
  await eventually(() => fake.store.get('inventory').mintedAt === RUN_MINTED);
  assert.equal(fake.store.get('inventory').inventory, journal.inventory, 'the run\'s inventory is cached');
  const progress = await service.dispatch({ type: 'progress', runId: started.runId });
  assert.deepEqual([progress.ok, progress.done, progress.total], [true, 2, 2]);
  assert.equal((await service.dispatch({ type: 'progress', runId: 'nope' })).error.kind, 'unknown_run');
});

test('search answers the core\'s matches, and a bad query its typed error', async () => {
  await signIn();
  const service = createService(core);
  assert.deepEqual(await service.dispatch({ type: 'search', query: 'is:weapon' }), { ok: true, count: 1, itemIds: ['1'], hashes: [5] });
  assert.deepEqual(await service.dispatch({ type: 'search', query: 'is:weapn' }), {
    ok: false, error: { kind: 'search', message: 'unknown filter is:weapn at 3; did you mean is:weapon?' },
  });
});

test('PlayStation sign-in through the host ends in a fresh snapshot; sign-out forgets everything', async () => {
  fake.nativeAnswer = (message) => ({ id: message.id, ok: true, cookies: [{ name: 'bungled', value: 'from-host', domain: 'www.bungie.net', path: '/', secure: true, httpOnly: false }] });
  const service = createService(core);
  const state = await service.dispatch({ type: 'sign_in', method: 'psn', username: 'guardian@example.com', password: 'sandbox-password' });
  assert.deepEqual([state.ok, state.signedIn, state.authMode], [true, true, 'psn']);
  assert.equal(core.connections[0].auth.bungled, 'from-host');
  assert.deepEqual(await service.dispatch({ type: 'sign_out' }), { ok: true });
  assert.equal((await service.dispatch({ type: 'state' })).signedIn, false);
  assert.equal(fake.store.has('inventory'), false);

  fake.nativeAnswer = { lastError: 'Specified native messaging host not found.' };
  const missing = await service.dispatch({ type: 'sign_in', method: 'psn', npsso: 'x' });
  assert.equal(missing.error.kind, 'host_missing');
});

test('options round-trip; a new Bungie origin forgets the cached inventory', async () => {
  await signIn();
  const service = createService(core);
  await service.dispatch({ type: 'state' });
  const bad = await service.dispatch({ type: 'set_options', options: { bungieOrigin: 'https://evil.example' } });
  assert.equal(bad.error.kind, 'bad_options');
  assert.equal(fake.store.has('inventory'), true);
  const saved = await service.dispatch({ type: 'set_options', options: { bungieOrigin: 'http://127.0.0.1:4000/', apiKey: 'k2' } });
  assert.equal(saved.options.bungieOrigin, 'http://127.0.0.1:4000');
  assert.equal((await service.dispatch({ type: 'options' })).options.apiKey, 'k2');
  assert.equal(fake.store.has('inventory'), false);
});

test('xur answers the digest', async () => {
  await signIn();
  assert.deepEqual(await createService(core).dispatch({ type: 'xur' }), { ok: true, present: true, refreshDate: null, sales: [] });
});
