// The toolbar popup: asks the worker for one snapshot, draws it, and sends the player's intents.
// It owns no state beyond what it shows. Every text that came from the network is set with
// textContent or setAttribute, never parsed as HTML.

import { askWorker, openOptions } from './lib/browser.js';
import { el, textEl } from './lib/dom.js';
import { GRID_KEYS, itemTowards } from './lib/grid.js';
import { watchRun } from './popup-run.js';
import { showXur } from './popup-xur.js';
import {
  assetUrl,
  findItem,
  itemActions,
  itemKey,
  itemLabel,
  matchCount,
  matcher,
  movedAsideLines,
  nameOf,
  planProblems,
  postmasterFill,
  refusedForRoom,
  searchTargets,
  storeName,
  vaultFill,
} from './lib/popup-model.js';
import { errorSentence } from './lib/words.js';

const $ = (id) => document.getElementById(id);

/** How long typing pauses before the search is sent. */
const SEARCH_DELAY_MS = 150;

/** What the popup is showing: the last snapshot and the character picked in the header. */
const view = { snapshot: null, characterId: null, query: '', matches: null, openerKey: null };

/** Marks what the popup shows (`loading`, `ready`, `signed-out`, `error`) for people's tools and tests. */
function setState(state) {
  document.body.dataset.state = state;
}

// ---- messages and errors ----

function showNotice(text) {
  $('notice').textContent = text;
  $('notice').hidden = !text;
}

function clearError() {
  $('error').hidden = true;
  delete $('error').dataset.kind;
  $('error-text').textContent = '';
  $('error-list').replaceChildren();
  $('error-make-room').hidden = true;
}

/** Shows a failure as a sentence (and, for some kinds, what to do right here). */
function showError(error, details = []) {
  $('error-text').textContent = errorSentence(error);
  $('error').dataset.kind = error?.kind ?? 'unknown';
  $('error-list').replaceChildren(...details.map((line) => textEl('li', line)));
  $('error').hidden = false;
  if (error?.kind === 'signed_out') renderSignedOut(view.snapshot);
  if (error?.kind === 'host_missing') $('host-help').hidden = false;
}

// ---- header and tabs ----

function renderHeader(snapshot) {
  const buttons = snapshot.characters.map((character) => {
    const emblem = assetUrl(snapshot.origin, character.emblemPath);
    const button = el('button', {
      type: 'button',
      class: 'character',
      'aria-pressed': String(character.id === view.characterId),
      'data-testid': 'character',
      'data-character-id': character.id,
      'data-class': character.className,
    },
    emblem ? el('img', { src: emblem, alt: '' }) : null,
    textEl('span', character.className, { class: 'class' }),
    textEl('span', `✦ ${character.light}`, { class: 'light' }),
    textEl('span', postmasterFill(snapshot, character.id), { class: 'postmaster' }));
    button.setAttribute('aria-label', `${character.className}, power ${character.light}. ${postmasterFill(snapshot, character.id)}`.trim());
    button.addEventListener('click', () => {
      view.characterId = character.id;
      render(view.snapshot);
    });
    return button;
  });
  $('characters').replaceChildren(...buttons);
  $('fill').textContent = vaultFill(snapshot);
  $('fill').dataset.count = String(snapshot.vault.count);
  $('fill').dataset.capacity = String(snapshot.vault.capacity);
  $('header').hidden = false;
}

function selectTab(name) {
  for (const tab of ['gear', 'xur']) {
    const selected = tab === name;
    $(`tab-${tab}`).setAttribute('aria-selected', String(selected));
    $(tab).hidden = !selected;
  }
  if (name === 'xur') showXur(view.snapshot?.origin);
}

// ---- gear ----

function itemButton(item, snapshot) {
  const label = itemLabel(item, snapshot.characters);
  const icon = assetUrl(snapshot.origin, item.icon);
  const button = el('button', {
    type: 'button',
    class: `item tier-${item.tier}${item.equipped ? ' equipped' : ''}`,
    'data-key': itemKey(item),
    'data-testid': 'item',
    'data-item-id': item.itemId ?? '',
    'data-hash': item.hash,
    title: label,
    'aria-label': label,
    tabindex: '-1',
  },
  icon ? el('img', { src: icon, alt: '' }) : textEl('span', item.name.slice(0, 6)),
  item.power ? textEl('span', String(item.power), { class: 'power' }) : null,
  item.quantity > 1 ? textEl('span', `×${item.quantity}`, { class: 'qty' }) : null,
  item.equipped ? textEl('span', 'E', { class: 'mark equipped', 'aria-hidden': 'true' }) : null,
  item.locked ? textEl('span', 'L', { class: 'mark locked', 'aria-hidden': 'true' }) : null);
  button.addEventListener('click', () => openActions(item));
  button.addEventListener('focus', () => {
    for (const other of document.querySelectorAll('#stores .item[tabindex="0"]')) other.tabIndex = -1;
    button.tabIndex = 0;
    $('item-name').textContent = label;
  });
  button.addEventListener('mouseenter', () => { $('item-name').textContent = label; });
  return button;
}

/** The item button with this key, if it is shown. */
function itemButtonByKey(key) {
  return key ? $('stores').querySelector(`.item[data-key="${CSS.escape(key)}"]`) : null;
}

function renderStores(snapshot) {
  const focused = document.activeElement?.classList.contains('item') ? document.activeElement.dataset.key : null;
  const shown = snapshot.stores.filter((store) => store.id === view.characterId || store.id === 'vault');
  const sections = shown.map((store) => el('section', { class: 'store', 'aria-label': storeName(store, snapshot) },
    textEl('h2', storeName(store, snapshot)),
    ...store.buckets.map((bucket) => el('div', { class: 'bucket' },
      textEl('h3', bucket.name),
      el('div', { class: 'items', role: 'group', 'aria-label': bucket.name },
        ...bucket.items.map((item) => itemButton(item, snapshot)))))));
  $('stores').replaceChildren(...sections);
  const first = $('stores').querySelector('.item');
  if (first) first.tabIndex = 0;
  applyMatches();
  // A refresh redraws the gear: the focused item keeps the focus.
  itemButtonByKey(focused)?.focus();
}

function renderSearchTargets(snapshot) {
  $('search-targets').replaceChildren(...searchTargets(snapshot).map((target) => {
    const button = textEl('button', target.label, { type: 'button', 'data-testid': 'move-matches', 'data-to': target.to });
    button.addEventListener('click', () => act({ kind: 'move_matching', query: view.query, to: target.to }));
    return button;
  }));
}

/** Draws a snapshot: signed out, or the header, tabs and gear. */
function render(snapshot) {
  view.snapshot = snapshot;
  $('loading').hidden = true;
  if (!snapshot.signedIn) {
    renderSignedOut(snapshot);
    return;
  }
  setState('ready');
  if (!snapshot.characters.some((c) => c.id === view.characterId)) {
    view.characterId = snapshot.characters[0]?.id ?? null;
  }
  $('signed-out').hidden = true;
  $('tabs').hidden = false;
  renderHeader(snapshot);
  renderStores(snapshot);
  renderSearchTargets(snapshot);
  if ($('tab-gear').getAttribute('aria-selected') === 'true') $('gear').hidden = false;
  if (snapshot.menuResult) showNotice(`Right-click menu: ${snapshot.menuResult.message}`);
}

function renderSignedOut(snapshot) {
  setState('signed-out');
  $('loading').hidden = true;
  $('header').hidden = true;
  $('tabs').hidden = true;
  $('gear').hidden = true;
  $('xur').hidden = true;
  $('signed-out').hidden = false;
  const origin = snapshot?.origin ?? 'https://www.bungie.net';
  $('bungie-link').setAttribute('href', `${origin}/`);
  $('bungie-link').textContent = new URL(origin).host;
  // The sign-in the options prefer comes first.
  const form = $('psn-form');
  const oauth = $('oauth-box');
  if (snapshot?.signInMode === 'oauth') form.before(oauth);
  else oauth.before(form);
}

// ---- search ----

let searchTimer = null;
let searchSequence = 0;

function applyMatches() {
  const searching = Boolean(view.query && view.matches);
  $('stores').classList.toggle('searching', searching);
  for (const button of $('stores').querySelectorAll('.item')) {
    const item = findItem(view.snapshot, button.dataset.key);
    button.classList.toggle('match', searching && Boolean(item) && view.matches(item));
  }
}

async function search(query) {
  const sequence = ++searchSequence;
  view.query = query;
  if (!query.trim()) {
    view.matches = null;
    $('match-count').textContent = '';
    delete $('match-count').dataset.count;
    $('search-error').hidden = true;
    $('search-actions').hidden = true;
    applyMatches();
    return;
  }
  const answer = await askWorker({ type: 'search', query });
  if (sequence !== searchSequence) return;
  if (!answer.ok) {
    view.matches = null;
    $('match-count').textContent = '';
    delete $('match-count').dataset.count;
    $('search-error').textContent = errorSentence(answer.error);
    $('search-error').hidden = false;
    $('search-actions').hidden = true;
  } else {
    view.matches = matcher(answer);
    $('match-count').textContent = matchCount(answer.count);
    $('match-count').dataset.count = String(answer.count);
    $('search-error').hidden = true;
    $('search-actions').hidden = answer.count === 0;
  }
  applyMatches();
}

// ---- item actions ----

function openActions(item) {
  view.openerKey = itemKey(item);
  $('actions-title').textContent = item.name;
  $('actions-detail').textContent = itemLabel(item, view.snapshot.characters);
  const buttons = itemActions(item, view.snapshot).map((action) => {
    const button = textEl('button', action.label, { type: 'button', ...actionTestIds(action.intent) });
    button.addEventListener('click', () => {
      closeDialog('actions');
      act(action.intent);
    });
    return button;
  });
  if (buttons.length === 0) buttons.push(textEl('p', 'Courier cannot do anything with this item.'));
  $('actions-buttons').replaceChildren(...buttons);
  openDialog('actions');
}

/** The test ids of an action's button: `action-move` with `data-to`, `action-equip`, ... */
function actionTestIds(intent) {
  const ids = { 'data-testid': `action-${intent.kind}` };
  if (intent.to) ids['data-to'] = intent.to;
  if (intent.characterId) ids['data-character-id'] = intent.characterId;
  return ids;
}

function openDialog(id) {
  $(id).hidden = false;
  $(id).querySelector('button')?.focus();
}

function closeDialog(id) {
  $(id).hidden = true;
  itemButtonByKey(view.openerKey)?.focus();
}

function openDialogId() {
  return ['preview', 'actions'].find((id) => !$(id).hidden) ?? null;
}

/** Plans an intent, previews anything it moves aside, and runs it once confirmed. */
async function act(intent, allowMakeRoom) {
  clearError();
  const message = { type: 'plan', intent };
  if (allowMakeRoom !== undefined) message.allowMakeRoom = allowMakeRoom;
  const answer = await askWorker(message);
  if (!answer.ok) {
    showError(answer.error);
    return;
  }
  const { plan } = answer;
  const problems = planProblems(plan);
  if (plan.steps.length === 0) {
    if (problems.length > 0) {
      showError({ kind: 'refused', message: problems[0] }, problems.slice(1));
      if (refusedForRoom(plan) && !allowMakeRoom) offerMakeRoom(intent);
    } else {
      showNotice('Nothing to do: everything is already where you asked.');
    }
    return;
  }
  if (problems.length > 0) showNotice(`Some of this cannot be done: ${problems.join(' ')}`);
  if (plan.movedAside.length > 0) {
    preview(plan, intent);
  } else {
    run(intent, false);
  }
}

function offerMakeRoom(intent) {
  const button = $('error-make-room');
  button.hidden = false;
  button.onclick = () => act(intent, true);
}

function preview(plan, intent) {
  $('preview-list').replaceChildren(...movedAsideLines(plan, view.snapshot).map((line) => textEl('li', line, { 'data-testid': 'preview-item' })));
  $('preview-confirm').onclick = () => {
    closeDialog('preview');
    run(intent, true);
  };
  $('preview-cancel').onclick = () => {
    closeDialog('preview');
    showNotice('Cancelled: nothing was moved.');
  };
  openDialog('preview');
}

// ---- runs ----

async function run(intent, allowMakeRoom) {
  const answer = await askWorker({ type: 'run', intent, allowMakeRoom });
  if (!answer.ok) {
    showError(answer.error);
    return;
  }
  openDialog('progress');
  const finished = await watchRun(answer.runId, {
    onError: showError,
    onClose: () => closeDialog('progress'),
    nameOf: (end) => nameOf(view.snapshot, end.itemId, end.itemHash),
  });
  if (!finished) return;
  const fresh = await askWorker({ type: 'state' });
  if (fresh.ok) render(fresh);
}

// ---- signing in and out ----

async function signIn(message) {
  clearError();
  showNotice('Signing in…');
  const answer = await askWorker({ type: 'sign_in', ...message });
  showNotice('');
  if (!answer.ok) {
    showError(answer.error);
    return;
  }
  render(answer);
}

$('psn-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const form = event.target;
  const npsso = form.elements.npsso.value.trim();
  const message = npsso
    ? { method: 'psn', npsso }
    : { method: 'psn', username: form.elements.username.value.trim(), password: form.elements.password.value };
  // The secret leaves the page with this one message and is not kept here.
  form.elements.password.value = '';
  form.elements.npsso.value = '';
  signIn(message);
});

$('oauth-sign-in').addEventListener('click', () => signIn({ method: 'oauth' }));

$('sign-out').addEventListener('click', async () => {
  const answer = await askWorker({ type: 'sign_out' });
  if (!answer.ok) {
    showError(answer.error);
    return;
  }
  renderSignedOut(view.snapshot);
});

// ---- keyboard ----

document.addEventListener('keydown', (event) => {
  const target = event.target;
  const typing = target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement;
  if (event.key === 'Escape') {
    const open = openDialogId();
    if (open) {
      event.preventDefault();
      closeDialog(open);
    } else if (!$('progress').hidden && !$('summary').hidden) {
      event.preventDefault();
      closeDialog('progress');
    } else if (target === $('search') && $('search').value) {
      event.preventDefault();
      $('search').value = '';
      search('');
    }
    return;
  }
  if (event.key === '/' && !typing && !$('gear').hidden && !openDialogId()) {
    event.preventDefault();
    $('search').focus();
    return;
  }
  if (target instanceof HTMLElement && target.classList.contains('item') && GRID_KEYS.includes(event.key)) {
    const items = [...$('stores').querySelectorAll('.item')];
    const next = itemTowards(items, target, event.key, (item) => item.getBoundingClientRect());
    if (next) {
      event.preventDefault();
      next.focus();
    }
  }
  if (target === $('search') && event.key === 'ArrowDown') {
    const first = $('stores').querySelector('.item.match') ?? $('stores').querySelector('.item');
    if (first) {
      event.preventDefault();
      first.focus();
    }
  }
});

$('search').addEventListener('input', () => {
  clearTimeout(searchTimer);
  const query = $('search').value;
  searchTimer = setTimeout(() => search(query), SEARCH_DELAY_MS);
});

$('tab-gear').addEventListener('click', () => selectTab('gear'));
$('tab-xur').addEventListener('click', () => selectTab('xur'));
$('actions-close').addEventListener('click', () => closeDialog('actions'));
$('open-options').addEventListener('click', () => openOptions());

$('refresh').addEventListener('click', () => refresh('Refreshing…'));

// ---- start ----

/** Reads the inventory again and draws it over what is shown (`data-refreshing` meanwhile). */
async function refresh(notice) {
  showNotice(notice);
  document.body.dataset.refreshing = 'true';
  const fresh = await askWorker({ type: 'refresh' });
  delete document.body.dataset.refreshing;
  showNotice('');
  if (fresh.ok) render(fresh);
  else showError(fresh.error);
}

/** The one snapshot; when it is a cached copy, a refresh follows and is drawn over it. */
async function start() {
  const answer = await askWorker({ type: 'state' });
  if (!answer.ok) {
    $('loading').hidden = true;
    setState('error');
    showError(answer.error);
    return;
  }
  render(answer);
  if (answer.signedIn && answer.stale) await refresh('Showing your last inventory; refreshing…');
}

start();
