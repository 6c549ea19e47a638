// The view the popup drew last, kept in the extension's own localStorage so the next popup can
// draw it in its first frame. localStorage is read synchronously from the page's own process
// (about 0.5 ms here); chrome.storage.local answers through the browser process (about 5 to 7 ms
// for the same text), and the first frame waited for that answer. Only pages have
// localStorage, so the popup keeps what it draws; the worker stays the source of every answer.

import { isOlder } from './state.js';

const KEY = 'popupView';
/** Whose inventory the kept view shows and when it was minted, so keeping a newer one reads this
 * small text rather than parsing the whole view (about 250 KB, 1 ms) after every answer. */
const KEPT_OF = 'popupViewOf';

/** The page's localStorage, or null where there is none (Node, a worker, storage turned off). */
function pageStorage() {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
}

/**
 * Keeps `snapshot` (a signed-in worker answer, without anything meant for one opening only) as
 * the view the next popup draws first, unless the kept one shows a newer inventory of the same
 * origin. Returns whether it was kept; a full or missing storage keeps nothing.
 */
export function keepView(snapshot, storage = pageStorage()) {
  if (!storage) return false;
  const kept = keptOf(storage);
  if (kept && kept.origin === snapshot.origin && isOlder(snapshot.mintedAt, kept.mintedAt)) return false;
  const { menuResult, ...view } = snapshot;
  try {
    storage.setItem(KEY, JSON.stringify(view));
    storage.setItem(KEPT_OF, JSON.stringify({ origin: view.origin, mintedAt: view.mintedAt ?? null }));
    return true;
  } catch {
    // Over the quota: an old copy must not stay behind as if it were the last one.
    forgetKeptView(storage);
    return false;
  }
}

/** The kept view (a signed-in snapshot, marked stale: it waits for the worker's answer), or null. */
export function keptView(storage = pageStorage()) {
  let snapshot;
  try {
    snapshot = JSON.parse(storage?.getItem(KEY) ?? 'null');
  } catch {
    return null;
  }
  const drawable = snapshot?.signedIn === true && Array.isArray(snapshot.characters)
    && Array.isArray(snapshot.stores) && typeof snapshot.vault === 'object' && snapshot.vault !== null;
  return drawable ? { ...snapshot, stale: true } : null;
}

/** The origin and mint time of the kept view, or null. */
function keptOf(storage) {
  try {
    return JSON.parse(storage.getItem(KEPT_OF) ?? 'null');
  } catch {
    return null;
  }
}

/** Forgets the kept view (signed out, or nobody signed in any more). */
export function forgetKeptView(storage = pageStorage()) {
  try {
    storage?.removeItem(KEY);
    storage?.removeItem(KEPT_OF);
  } catch {
    // Storage turned off: nothing is kept either.
  }
}
