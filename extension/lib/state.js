// What the worker remembers between wake-ups: the last inventory (with the
// responseMintedTimestamp of the answer it came from, so an older answer never replaces a
// newer one), the compact definitions, keyed by the manifest version they were built from, and
// the last snapshot the popup was sent (the view the popup draws in its first frame, read here
// straight from storage without waiting for the worker or the wasm core).

import { storageGet, storageRemove, storageSet } from './browser.js';

const INVENTORY = 'inventory';
const DEFINITIONS = 'definitions';
const VIEW = 'popupView';

/** A responseMintedTimestamp as ms since 1970, or null when absent or unreadable. */
export function mintedMs(minted) {
  if (typeof minted !== 'string') return null;
  const ms = Date.parse(minted);
  return Number.isNaN(ms) ? null : ms;
}

/**
 * Whether an answer minted at `fresh` is older than the cached one minted at `cached`. Answers
 * without a readable time are never called older (there is nothing to compare).
 */
export function isOlder(fresh, cached) {
  const freshMs = mintedMs(fresh);
  const cachedMs = mintedMs(cached);
  return freshMs !== null && cachedMs !== null && freshMs < cachedMs;
}

/** Bytes as base64 text (chrome.storage holds JSON only). */
export function bytesToBase64(bytes) {
  let binary = '';
  const CHUNK = 0x8000;
  for (let start = 0; start < bytes.length; start += CHUNK) {
    binary += String.fromCharCode(...bytes.subarray(start, start + CHUNK));
  }
  return btoa(binary);
}

/** Bytes from base64 text. */
export function base64ToBytes(text) {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let index = 0; index < binary.length; index += 1) bytes[index] = binary.charCodeAt(index);
  return bytes;
}

/**
 * The cached inventory of this Bungie origin: `{inventory, characters, membership, mintedAt,
 * savedAt}`, or null. The inventory is the core's JSON text, handed back to the core as it is;
 * an entry from before it was text is not one.
 */
export async function cachedInventory(origin) {
  const { [INVENTORY]: cached } = await storageGet(INVENTORY);
  if (!cached || cached.origin !== origin || typeof cached.inventory !== 'string') return null;
  return cached;
}

/**
 * Caches a profile as the core hands it over (`{inventory, minted, characters}`, with the
 * Destiny `membership` when known) unless the cached one is newer. Resolves to the entry that is
 * cached now, with `replaced` telling whether the offered inventory won.
 */
export async function offerInventory(origin, profile) {
  const cached = await cachedInventory(origin);
  if (cached && isOlder(profile.minted, cached.mintedAt)) {
    return { ...cached, replaced: false };
  }
  const entry = {
    origin,
    inventory: profile.inventory,
    characters: profile.characters ?? cached?.characters ?? [],
    membership: profile.membership ?? cached?.membership ?? null,
    mintedAt: profile.minted ?? null,
    savedAt: Date.now(),
  };
  await storageSet({ [INVENTORY]: entry });
  return { ...entry, replaced: true };
}

/** Forgets the cached inventory and the view drawn from it (signing out, another origin). */
export async function forgetInventory() {
  await storageRemove([INVENTORY, VIEW]);
}

/**
 * Keeps `snapshot` (a signed-in state answer, without anything meant for one opening only) as
 * the view the next popup draws first, unless the kept one shows a newer inventory. The snapshot
 * is stored as one JSON text: chrome.storage copies a single string many times faster than a
 * tree of several hundred objects, and the popup's first frame waits for that copy.
 */
export async function saveView(snapshot) {
  const { [VIEW]: kept } = await storageGet(VIEW);
  if (kept && kept.origin === snapshot.origin && isOlder(snapshot.mintedAt, kept.mintedAt)) return false;
  await storageSet({ [VIEW]: { origin: snapshot.origin, mintedAt: snapshot.mintedAt ?? null, json: JSON.stringify(snapshot) } });
  return true;
}

/** The kept view (a signed-in snapshot, marked stale: it waits for the worker's answer), or null. */
export async function cachedView() {
  const { [VIEW]: kept } = await storageGet(VIEW);
  if (typeof kept?.json !== 'string') return null;
  try {
    const snapshot = JSON.parse(kept.json);
    const drawable = snapshot?.signedIn === true && Array.isArray(snapshot.characters)
      && Array.isArray(snapshot.stores) && typeof snapshot.vault === 'object' && snapshot.vault !== null;
    return drawable ? { ...snapshot, stale: true } : null;
  } catch {
    return null;
  }
}

/** Forgets the kept view only (the worker found nobody signed in). */
export async function forgetView() {
  await storageRemove(VIEW);
}

/** The cached definitions: `{version, bytes}` with the bytes as a Uint8Array, or null. */
export async function cachedDefinitions() {
  const { [DEFINITIONS]: cached } = await storageGet(DEFINITIONS);
  if (!cached || typeof cached.bytes !== 'string') return null;
  try {
    return { version: cached.version, bytes: base64ToBytes(cached.bytes) };
  } catch {
    return null;
  }
}

/** Caches definitions built from manifest `version`. */
export async function saveDefinitions(version, bytes) {
  await storageSet({ [DEFINITIONS]: { version, bytes: bytesToBase64(bytes), savedAt: Date.now() } });
}
