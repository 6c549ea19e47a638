// What the popup derives from the worker's snapshot, as pure functions: which snapshot to draw,
// which actions an item offers, the intents they send, search highlighting, plan previews,
// header texts.

import { isOlder } from './state.js';
import { className, placeName, refusalSentence } from './words.js';

/** The gear buckets an item can be equipped from: weapons, armor, ghost. */
export const EQUIPPABLE_BUCKETS = new Set([
  1498876634, 2465295065, 953998645,
  3448274439, 3551918588, 14239492, 20886954, 1585787867,
  4023194814,
]);

/** How an intent names an item view: by instance, or an uninstanced stack by hash and place. */
export function itemRef(view) {
  return view.itemId ? { itemId: view.itemId } : { itemHash: view.hash, from: view.location };
}

/** A key that tells item views apart in the page. */
export function itemKey(view) {
  if (view.itemId) return `i${view.itemId}`;
  const where = view.location?.characterId ? `${view.location.kind}:${view.location.characterId}` : view.location?.kind;
  return `h${view.hash}@${where}`;
}

/** Every item view of a snapshot, with the store it is in. */
export function allItems(snapshot) {
  return (snapshot.stores ?? []).flatMap((store) => store.buckets.flatMap((bucket) => bucket.items));
}

/** Every item view of a snapshot by its key (see itemKey); the first one for a shared key. */
export function itemsByKey(snapshot) {
  const byKey = new Map();
  for (const view of allItems(snapshot)) {
    const key = itemKey(view);
    if (!byKey.has(key)) byKey.set(key, view);
  }
  return byKey;
}

/**
 * Whether the worker's `answer` should replace the snapshot the popup shows (`shown`, null when
 * it shows none). A change of sign-in or of Bungie origin always does. Otherwise an older
 * inventory (by responseMintedTimestamp) never replaces a newer one, and a cached copy the popup
 * already shows (same minted time, cached at the same moment) is not drawn again.
 */
export function replacesShown(answer, shown) {
  if (!shown || !answer.signedIn || !shown.signedIn || answer.origin !== shown.origin) return true;
  if (isOlder(answer.mintedAt, shown.mintedAt)) return false;
  const sameCopy = answer.mintedAt === shown.mintedAt && answer.savedAt === shown.savedAt;
  return !(answer.stale && sameCopy);
}

/** Whether an item of `itemClass` suits a character of `characterClass`. */
export function classAllows(itemClass, characterClass) {
  return !itemClass || itemClass === 'any' || itemClass === characterClass;
}

function onCharacter(view, id) {
  return view.location?.kind === 'character' && view.location.characterId === id;
}

/** The actions an item offers: `[{label, intent}]`, in the order the popup lists them. */
export function itemActions(view, snapshot) {
  const item = itemRef(view);
  const characters = snapshot.characters ?? [];
  const actions = [];
  const where = view.location?.kind;
  if (where === 'postmaster') {
    actions.push({ label: `Pull from the postmaster to ${placeName(view.location.characterId, characters)}`, intent: { kind: 'pull', ...item } });
  } else {
    const gear = EQUIPPABLE_BUCKETS.has(view.bucketHash);
    for (const character of characters) {
      if (onCharacter(view, character.id)) continue;
      if (gear && !classAllows(view.classType, character.classType)) continue;
      actions.push({ label: `Move to ${character.className}`, intent: { kind: 'move', ...item, to: character.id } });
    }
    if (where !== 'vault') actions.push({ label: 'Move to the vault', intent: { kind: 'move', ...item, to: 'vault' } });
    if (gear && view.itemId) {
      for (const character of characters) {
        if (!classAllows(view.classType, character.classType)) continue;
        if (view.equipped && onCharacter(view, character.id)) continue;
        actions.push({ label: `Equip on ${character.className}`, intent: { kind: 'equip', itemId: view.itemId, characterId: character.id } });
      }
    }
  }
  if (view.lockable && view.itemId) {
    actions.push({ label: view.locked ? 'Unlock' : 'Lock', intent: { kind: 'lock', itemId: view.itemId, locked: !view.locked } });
  }
  return actions;
}

/** Where a search's matches can go: each character, then the vault. */
export function searchTargets(snapshot) {
  return [
    ...(snapshot.characters ?? []).map((c) => ({ label: c.className, to: c.id })),
    { label: 'Vault', to: 'vault' },
  ];
}

/** A predicate telling whether an item view is among a search's matches. */
export function matcher(result) {
  const ids = new Set((result.itemIds ?? []).map(String));
  const hashes = new Set((result.hashes ?? []).map(Number));
  return (view) => (view.itemId ? ids.has(String(view.itemId)) : hashes.has(view.hash));
}

/** "1 match", "12 matches". */
export function matchCount(count) {
  return `${count} ${count === 1 ? 'match' : 'matches'}`;
}

/** The name of an item a plan or report names, from the snapshot ("Item HASH" when it is not there). */
export function nameOf(snapshot, itemId, itemHash) {
  const found = allItems(snapshot).find((view) => (itemId ? view.itemId === itemId : view.hash === itemHash));
  return found?.name ?? `Item ${itemHash}`;
}

/** The preview's lines: what the plan moves aside (or equips in place), from where to where. */
export function movedAsideLines(plan, snapshot) {
  const characters = snapshot.characters ?? [];
  return (plan.movedAside ?? []).map((aside) => {
    const name = nameOf(snapshot, aside.itemId, aside.itemHash);
    const why = aside.purpose === 'make_room' ? '' : ' (equipped in its place)';
    return `${name}: from ${placeName(aside.from, characters)} to ${placeName(aside.to, characters)}${why}`;
  });
}

/** The sentences of a plan's refusals and skipped items. */
export function planProblems(plan) {
  return (plan.intents ?? []).flatMap((entry) => [
    ...(entry.refusal ? [refusalSentence(entry.refusal)] : []),
    ...(entry.skipped ?? []).map((skip) => refusalSentence(skip.reason)),
  ]);
}

/** Whether a plan was refused only for want of room (so allowing Courier to make room may help). */
export function refusedForRoom(plan) {
  return (plan.intents ?? []).some((entry) => entry.refusal?.kind === 'no_room');
}

/** The absolute URL of a bungie.net asset path, or null for anything that is not http(s). */
export function assetUrl(origin, path) {
  if (typeof path !== 'string' || !path) return null;
  try {
    const url = new URL(path, origin);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : null;
  } catch {
    return null;
  }
}

/** An item's name as the page says it on hover and to screen readers. */
export function itemLabel(view, characters = []) {
  const parts = [view.name];
  if (view.power) parts.push(`power ${view.power}`);
  if (view.quantity > 1) parts.push(`${view.quantity} in the stack`);
  if (view.equipped) parts.push('equipped');
  if (view.locked) parts.push('locked');
  if (view.location?.kind === 'postmaster') parts.push(`in ${placeName(view.location, characters)}`);
  return parts.join(', ');
}

/** The header's fill line: "Vault 450 / 700". */
export function vaultFill(snapshot) {
  return `Vault ${snapshot.vault.count} / ${snapshot.vault.capacity}`;
}

/** A character's postmaster fill: "Postmaster 3 / 21", or "" when it is empty. */
export function postmasterFill(snapshot, characterId) {
  const fill = (snapshot.postmaster ?? []).find((p) => p.characterId === characterId);
  return fill && fill.count > 0 ? `Postmaster ${fill.count} / ${fill.capacity}` : '';
}

/** A store's heading: the character's class, or the vault. */
export function storeName(store, snapshot) {
  return store.id === 'vault' ? 'Vault' : className(snapshot.characters ?? [], store.id);
}
