// The view the popup keeps in its localStorage for its next first frame.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { forgetKeptView, keepView, keptView } from '../../extension/lib/kept-view.js';

const ORIGIN = 'https://www.bungie.net';

/** A Storage like the page's localStorage; `quota` caps the characters one value may hold. */
function fakeStorage(quota = Infinity) {
  const values = new Map();
  return {
    values,
    getItem: (key) => (values.has(key) ? values.get(key) : null),
    setItem(key, value) {
      if (String(value).length > quota) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      values.set(key, String(value));
    },
    removeItem: (key) => values.delete(key),
  };
}

const view = (minted, marker, origin = ORIGIN) => ({
  ok: true, signedIn: true, stale: false, origin, mintedAt: minted, savedAt: 5, characters: [], vault: { count: 0, capacity: 0 },
  stores: [{ id: 'vault', buckets: [{ hash: 1, name: marker, items: [] }] }],
});
const keptMarker = (storage) => keptView(storage)?.stores[0].buckets[0].name;

test('the kept view comes back as it was kept, marked stale, without the right-click result', () => {
  const storage = fakeStorage();
  assert.equal(keptView(storage), null);
  const answer = { ...view('2026-01-01T00:00:10Z', 'first'), menuResult: { ok: true, message: 'Moved Sunshot.' } };
  assert.equal(keepView(answer, storage), true);
  assert.equal(typeof storage.values.get('popupView'), 'string', 'kept as one JSON text');
  assert.deepEqual(keptView(storage), { ...view('2026-01-01T00:00:10Z', 'first'), stale: true });
});

test('a kept view of a newer inventory is never replaced by an older one; another origin replaces it', () => {
  const storage = fakeStorage();
  keepView(view('2026-01-01T00:00:10Z', 'newer'), storage);
  assert.equal(keepView(view('2026-01-01T00:00:05Z', 'older'), storage), false);
  assert.equal(keptMarker(storage), 'newer');
  assert.deepEqual(JSON.parse(storage.values.get('popupViewOf')), { origin: ORIGIN, mintedAt: '2026-01-01T00:00:10Z' },
    'whose view it is and when it was minted are kept beside it, so comparing does not parse the view');
  assert.equal(keepView(view('2026-01-01T00:00:10Z', 'same time, newer names'), storage), true);
  assert.equal(keptMarker(storage), 'same time, newer names');
  assert.equal(keepView(view('2026-01-01T00:00:01Z', 'sandbox', 'http://127.0.0.1:1234'), storage), true);
  assert.equal(keptMarker(storage), 'sandbox');
});

test('forgetting leaves nothing to draw; a view over the quota leaves no older copy behind', () => {
  const storage = fakeStorage(2_000);
  keepView(view('2026-01-01T00:00:10Z', 'small'), storage);
  forgetKeptView(storage);
  assert.equal(keptView(storage), null);
  assert.equal(storage.values.size, 0, 'nothing of it is left');

  keepView(view('2026-01-01T00:00:10Z', 'small'), storage);
  assert.equal(keepView(view('2026-01-01T00:00:20Z', 'x'.repeat(5_000)), storage), false);
  assert.equal(keptView(storage), null, 'the older copy went too');
});

test('a kept view that is unreadable or not a signed-in snapshot counts as none', () => {
  const storage = fakeStorage();
  const signedOut = { ...view('2026-01-01T00:00:10Z', 'a'), signedIn: false };
  const noVault = { ...view('2026-01-01T00:00:10Z', 'a'), vault: null };
  for (const kept of ['{"signedIn": tr', JSON.stringify(signedOut), JSON.stringify(noVault), 'null', '7', 'text']) {
    storage.values.set('popupView', kept);
    assert.equal(keptView(storage), null, kept);
  }
});

test('without localStorage (Node here, or storage turned off) nothing is kept and nothing breaks', () => {
  assert.equal(globalThis.localStorage, undefined);
  assert.equal(keepView(view('2026-01-01T00:00:10Z', 'a')), false);
  assert.equal(keptView(), null);
  forgetKeptView();
});
