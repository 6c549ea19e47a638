// The right-click menu: its items, titles, intents and the click handler.
import assert from 'node:assert/strict';
import { beforeEach, test } from 'node:test';

import { installFakeChrome } from './fake-chrome.mjs';
import {
  ITEM_LINK_PATTERNS, createMenuHandler, installMenus, menuCharacters, menuIntent, menuItems, parseMenuId, retitleMenus,
} from '../../extension/lib/menu.js';

let fake;
beforeEach(() => { fake = installFakeChrome(); });

/** A cached profile: the inventory's text (opaque here) and its characters. */
const profile = {
  inventory: '{"items":[]}',
  characters: [
    { id: '2305843009200000001', classType: 'titan' },
    { id: '2305843009200000002', classType: 'hunter' },
    { id: '2305843009200000003', classType: 'warlock' },
  ],
};
const characters = menuCharacters(profile);
const copy = { itemId: '6917529000000000001', hash: 1363886209, name: 'Gjallarhorn', power: 1810, location: { kind: 'vault' } };

test('the menu has a Courier parent on item links, with numbered slots until characters load', async () => {
  const items = menuItems();
  assert.equal(items[0].title, 'Courier');
  assert.ok(items.every((item) => item.contexts.includes('link') && item.targetUrlPatterns === ITEM_LINK_PATTERNS));
  assert.deepEqual(items.slice(1).map((item) => item.title), [
    'Send to vault', 'Pull to character 1', 'Pull to character 2', 'Pull to character 3',
    'Equip on character 1', 'Equip on character 2', 'Equip on character 3',
  ]);
  await installMenus();
  await installMenus();
  assert.equal(fake.menus.size, 8, 'installing again replaces, never duplicates');
  await retitleMenus(characters.slice(0, 2));
  assert.equal(fake.menus.get('courier:pull:1').title, 'Pull to Hunter');
  assert.equal(fake.menus.get('courier:equip:0').title, 'Equip on Titan');
  assert.equal(fake.menus.get('courier:pull:2').visible, false, 'a slot without a character hides');
});

test('menu ids read back as actions and slots; anything else is not ours', () => {
  assert.deepEqual(parseMenuId('courier:vault'), { action: 'vault', slot: null });
  assert.deepEqual(parseMenuId('courier:equip:2'), { action: 'equip', slot: 2 });
  for (const id of ['courier', 'courier:vault:1', 'courier:pull', 'other:pull:1', 7]) assert.equal(parseMenuId(id), null, String(id));
});

test('actions become intents; a postmaster copy on that character is pulled', () => {
  const [titan] = characters;
  assert.deepEqual(menuIntent('vault', copy, null), { kind: 'move', itemId: copy.itemId, to: 'vault' });
  assert.deepEqual(menuIntent('pull', copy, titan), { kind: 'move', itemId: copy.itemId, to: titan.id });
  assert.deepEqual(menuIntent('equip', copy, titan), { kind: 'equip', itemId: copy.itemId, characterId: titan.id });
  const lost = { ...copy, location: { kind: 'postmaster', characterId: titan.id } };
  assert.deepEqual(menuIntent('pull', lost, titan), { kind: 'pull', itemId: copy.itemId });
  const stack = { itemId: null, hash: 5, name: 'Glimmer', location: { kind: 'account' } };
  assert.deepEqual(menuIntent('vault', stack, null), { kind: 'move', itemHash: 5, from: { kind: 'account' }, to: 'vault' });
  assert.throws(() => menuIntent('equip', stack, titan), { kind: 'not_equippable' });
});

/** A handler over a fake core that knows one item link. */
function handler({ best = copy, finished = { runId: 'r1', report: { intents: [{ done: true }], stepsDone: 2 } } } = {}) {
  const ran = [];
  const remembered = [];
  const handle = createMenuHandler({
    core: {
      itemHashFromUrl: (url) => (url.includes('/db/items/1363886209') ? 1363886209 : null),
      bestCopy: (inv, hash) => (hash === 1363886209 ? best : null),
    },
    current: async () => profile,
    run: async (inv, intent) => { ran.push(intent); return finished; },
    remember: async (outcome) => { remembered.push(outcome); },
  });
  return { handle, ran, remembered };
}

const link = 'https://www.light.gg/db/items/1363886209/gjallarhorn/';

test('a click pulls the best copy to the chosen character and says so on the badge and in a notification', async () => {
  const { handle, ran, remembered } = handler();
  const outcome = await handle({ menuItemId: 'courier:pull:1', linkUrl: link }, { id: 3 });
  assert.deepEqual(ran, [{ kind: 'move', itemId: copy.itemId, to: characters[1].id }]);
  assert.equal(outcome.ok, true);
  assert.equal(outcome.message, 'Moved Gjallarhorn (1810) to your Hunter.');
  assert.equal(outcome.item, copy);
  assert.deepEqual(fake.badges, ['✓']);
  assert.equal(fake.shownNotifications[0].message, outcome.message);
  assert.equal(remembered[0].message, outcome.message);
});

test('no copy, a link that is not an item, or a failed run each say so, and nothing else runs', async () => {
  const none = handler({ best: null });
  const missing = await none.handle({ menuItemId: 'courier:vault', linkUrl: link });
  assert.equal(missing.ok, false);
  assert.equal(missing.error.kind, 'no_copy');
  assert.match(missing.message, /no copy of item 1363886209/);
  assert.deepEqual(none.ran, []);

  const other = await none.handle({ menuItemId: 'courier:vault', linkUrl: 'https://www.light.gg/god-roll/' });
  assert.equal(other.error.kind, 'not_an_item');

  const refused = handler({ finished: { runId: 'r2', report: { intents: [{ done: false, message: 'The vault is full.' }], stepsDone: 0 } } });
  const outcome = await refused.handle({ menuItemId: 'courier:vault', linkUrl: link });
  assert.equal(outcome.ok, false);
  assert.equal(outcome.message, 'Gjallarhorn (1810) did not go to the vault: The vault is full.');
  assert.deepEqual(fake.badges.at(-1), '!');
});
