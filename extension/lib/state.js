// What the worker remembers between wake-ups: the last inventory (with the
// responseMintedTimestamp of the answer it came from, so an older answer never replaces a
// newer one) and the compact definitions, keyed by the manifest version they were built from.
// (The view the popup draws in its first frame, the popup keeps itself: lib/kept-view.js.)

import { storageGet, storageRemove, storageSet } from './browser.js';

const INVENTORY = 'inventory';
const DEFINITIONS = 'definitions';
/** The form of the inventory text the core writes: 3 is its compact binary form as base64. The
 * JSON text of format 1 (no `format` field) and the binary form of format 2 (locations written
 * as their JSON wire) are not read any more: such an inventory is fetched anew. */
const INVENTORY_FORMAT = 3;

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
 * savedAt, format}`, or null. The inventory is the core's text, handed back to the core as it
 * is; an entry in another form than the one this core writes is not one.
 */
export async function cachedInventory(origin) {
  const { [INVENTORY]: cached } = await storageGet(INVENTORY);
  if (!cached || cached.origin !== origin || cached.format !== INVENTORY_FORMAT
    || typeof cached.inventory !== 'string') return null;
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
    format: INVENTORY_FORMAT,
  };
  await storageSet({ [INVENTORY]: entry });
  return { ...entry, replaced: true };
}

/** Forgets the cached inventory (signing out, another origin). */
export async function forgetInventory() {
  await storageRemove(INVENTORY);
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
