// The right-click "Courier" menu on links to item pages: "Send to vault", "Pull to {class}" and
// "Equip on {class}" for each character (slots titled with the real classes once the inventory
// is loaded). The click handler finds the player's best copy of the linked item through the wasm
// core, runs the move, and shows the result on the toolbar badge and in a notification.

import { badge, menuCreate, menusRemoveAll, menuUpdate, notify } from './browser.js';
import { CourierError, errorBody } from './errors.js';
import { placeName, runSummary } from './words.js';

/** The parent item's id. */
export const MENU_ROOT = 'courier';

/** Character slots in the menu (an account has at most three characters). */
export const CHARACTER_SLOTS = 3;

/** Links the menu shows on: item pages of light.gg, bungie.net, destinysets and d2foundry. */
export const ITEM_LINK_PATTERNS = [
  '*://*.light.gg/db/items/*',
  '*://*.light.gg/db/*/items/*',
  '*://*.bungie.net/*/Explore/Detail/DestinyInventoryItemDefinition/*',
  '*://data.destinysets.com/i/InventoryItem:*',
  '*://*.d2foundry.gg/w/*',
];

const BADGE_OK = '#2a9d8f';
const BADGE_FAILED = '#c0392b';

/** The characters of a cached profile as the menu names them: `[{id, className}]`. */
export function menuCharacters(profile) {
  return (profile?.characters ?? []).map((c) => ({
    id: String(c.id),
    className: typeof c.classType === 'string' && c.classType
      ? c.classType[0].toUpperCase() + c.classType.slice(1)
      : 'Character',
  }));
}

/** The menu's items, titled for `characters` (none yet: numbered slots). */
export function menuItems(characters = []) {
  const common = { contexts: ['link'], targetUrlPatterns: ITEM_LINK_PATTERNS };
  return [
    { ...common, id: MENU_ROOT, title: 'Courier' },
    { ...common, id: `${MENU_ROOT}:vault`, parentId: MENU_ROOT, title: 'Send to vault' },
    ...slotTitles(characters).map((entry) => ({ ...common, ...entry, parentId: MENU_ROOT })),
  ];
}

/** Each character slot's pull and equip items: id, title and whether it shows. */
export function slotTitles(characters = []) {
  const entries = [];
  for (const action of ['pull', 'equip']) {
    for (let slot = 0; slot < CHARACTER_SLOTS; slot += 1) {
      const name = characters[slot]?.className ?? `character ${slot + 1}`;
      entries.push({
        id: `${MENU_ROOT}:${action}:${slot}`,
        title: action === 'pull' ? `Pull to ${name}` : `Equip on ${name}`,
        visible: characters.length === 0 || slot < characters.length,
      });
    }
  }
  return entries;
}

/** What a menu item id asks for: `{action, slot}` (slot null for the vault), or null. */
export function parseMenuId(id) {
  const match = /^courier:(vault|pull|equip)(?::(\d))?$/.exec(String(id));
  if (!match) return null;
  const slot = match[2] === undefined ? null : Number(match[2]);
  if ((match[1] === 'vault') !== (slot === null)) return null;
  return { action: match[1], slot };
}

/** The intent for a menu action on a copy (an ItemView) and, except for the vault, a character. */
export function menuIntent(action, copy, character) {
  const item = copy.itemId ? { itemId: copy.itemId } : { itemHash: copy.hash, from: copy.location };
  if (action === 'vault') return { kind: 'move', ...item, to: 'vault' };
  if (action === 'equip') {
    if (!copy.itemId) throw new CourierError('not_equippable', `${copy.name} cannot be equipped.`);
    return { kind: 'equip', itemId: copy.itemId, characterId: character.id };
  }
  if (copy.location?.kind === 'postmaster' && copy.location.characterId === character.id) {
    return { kind: 'pull', ...item };
  }
  return { kind: 'move', ...item, to: character.id };
}

/** "Gjallarhorn (1810)". */
function describe(copy) {
  return copy.power ? `${copy.name} (${copy.power})` : copy.name;
}

/** What a finished menu run says: `{ok, message}`. */
export function menuOutcome(action, copy, character, run, characters) {
  const summary = runSummary(run);
  const where = action === 'vault' ? 'the vault' : placeName(character.id, characters);
  if (!summary.ok) {
    const why = summary.failures[0] ?? summary.text;
    return { ok: false, message: `${describe(copy)} did not go to ${where}: ${why}` };
  }
  const verb = action === 'equip' ? `Equipped ${describe(copy)} on ${where}` : `Moved ${describe(copy)} to ${where}`;
  return { ok: true, message: `${verb}.` };
}

/** Creates the menu afresh (on install and browser start), titled for `characters`. */
export async function installMenus(characters = []) {
  await menusRemoveAll();
  for (const item of menuItems(characters)) await menuCreate(item);
}

/** Retitles the slots for the loaded characters. */
export async function retitleMenus(characters) {
  for (const { id, title, visible } of slotTitles(characters)) await menuUpdate(id, { title, visible });
}

/** Shows a menu action's result on the badge and, when allowed, as a notification. */
async function showOutcome(outcome) {
  await badge(outcome.ok ? '✓' : '!', outcome.ok ? BADGE_OK : BADGE_FAILED);
  await notify(outcome.ok ? 'Courier' : 'Courier could not do that', outcome.message);
}

/**
 * The onClicked handler. `current()` resolves to the cached profile `{inventory, characters}`
 * (cached, or fetched; it throws a signed_out error when there is none); `run(inventory,
 * intent)` starts a run and
 * resolves to the finished run's progress answer; `remember(result)` keeps the result for the
 * popup. Resolves to `{ok, message, item?, runId?}` (also when it fails).
 */
export function createMenuHandler({ core, current, run, remember = async () => {} }) {
  return async function handleMenuClick(info, tab) {
    let outcome;
    try {
      outcome = await act(info, tab);
    } catch (error) {
      const body = errorBody(error);
      outcome = { ok: false, message: body.message, error: body };
    }
    await showOutcome(outcome);
    await remember(outcome);
    return outcome;
  };

  async function act(info) {
    const asked = parseMenuId(info?.menuItemId);
    if (!asked) throw new CourierError('bad_request', `The menu item ${info?.menuItemId} is not one of Courier's.`);
    const url = info.linkUrl ?? info.pageUrl ?? '';
    const hash = core.itemHashFromUrl(url);
    if (hash === null || hash === undefined) {
      throw new CourierError('not_an_item', `${url} is not an item page Courier knows (light.gg, bungie.net, data.destinysets.com or d2foundry.gg).`);
    }
    const profile = await current();
    const characters = menuCharacters(profile);
    const character = asked.slot === null ? null : characters[asked.slot];
    if (asked.slot !== null && !character) {
      throw new CourierError('bad_request', `You have no character in slot ${asked.slot + 1}.`);
    }
    const copy = core.bestCopy(profile.inventory, hash);
    if (!copy) {
      throw new CourierError('no_copy', `You have no copy of item ${hash} on your characters, in the vault or in the postmaster.`);
    }
    const finished = await run(profile.inventory, menuIntent(asked.action, copy, character));
    return { ...menuOutcome(asked.action, copy, character, finished, characters), item: copy, runId: finished.runId };
  }
}
