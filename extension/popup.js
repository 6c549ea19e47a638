// The toolbar popup: draws the view it kept from the last opening (lib/kept-view.js) in its
// first frame, asks the worker for one snapshot (and a refresh when it is a cached copy), draws
// what is newer, and sends the player's intents. It owns no state beyond what it shows and that
// kept copy of it. Every text that came from the network is set with textContent or
// setAttribute, never parsed as HTML.

import { askWorker, openOptions } from './lib/browser.js';
import { cssUrl, el, textEl } from './lib/dom.js';
import { GRID_KEYS, itemTowards } from './lib/grid.js';
import { watchRun } from './popup-run.js';
import { showXur } from './popup-xur.js';
import {
  assetUrl,
  itemActions,
  itemKey,
  itemLabel,
  itemsByKey,
  matchCount,
  matcher,
  movedAsideLines,
  nameOf,
  planProblems,
  postmasterFill,
  refusedForRoom,
  replacesShown,
  searchTargets,
  storeName,
  vaultFill,
} from './lib/popup-model.js';
import { forgetKeptView, keepView, keptView } from './lib/kept-view.js';
import { errorSentence } from './lib/words.js';

const $ = (id) => document.getElementById(id);

/** How long typing pauses before the search is sent. */
const SEARCH_DELAY_MS = 150;

/** How long work waiting for the next frame waits at most (a hidden page draws no frames). */
const NEXT_FRAME_WAIT_MS = 100;

/** The notice while a cached copy is shown and the worker reads the inventory again. */
const STALE_NOTICE = 'Showing your last inventory; refreshing…';

/**
 * What the popup is showing: the last snapshot (and its items by key), the character picked in
 * the header, the search, and the item whose actions were opened.
 */
const view = { snapshot: null, items: new Map(), characterId: null, query: '', matches: null, openerKey: null };

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
    const emblemEl = emblem ? el('span', { class: 'emblem', 'aria-hidden': 'true' }) : null;
    emblemEl?.style.setProperty('--icon', cssUrl(emblem));
    const button = el('button', {
      type: 'button',
      class: 'character',
      'aria-pressed': String(character.id === view.characterId),
      'data-testid': 'character',
      'data-character-id': character.id,
      'data-class': character.className,
    },
    emblemEl,
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

/**
 * One item of the gear grid, built with the DOM's properties rather than el(): a vault holds
 * hundreds, and the first frame waits for them. Its icon is a background drawn by popup.css
 * from `--icon` (no <img>: the browser asks for it only once its bucket is on screen and the
 * page shows icons, see showIconsAfterFirstFrame). Its clicks, focus and hover are handled once
 * for the whole grid (see the listeners on #stores).
 */
function itemButton(item, snapshot) {
  const label = itemLabel(item, snapshot.characters);
  const icon = assetUrl(snapshot.origin, item.icon);
  const button = document.createElement('button');
  button.type = 'button';
  button.className = `item tier-${item.tier}${item.equipped ? ' equipped' : ''}`;
  Object.assign(button.dataset, { key: itemKey(item), testid: 'item', itemId: item.itemId ?? '', hash: item.hash });
  button.title = label;
  button.setAttribute('aria-label', label);
  button.tabIndex = -1;
  if (icon) button.style.setProperty('--icon', cssUrl(icon));
  else button.append(textEl('span', item.name.slice(0, 6)));
  if (item.power) button.append(textEl('span', String(item.power), { class: 'power' }));
  if (item.quantity > 1) button.append(textEl('span', `×${item.quantity}`, { class: 'qty' }));
  if (item.equipped) button.append(textEl('span', 'E', { class: 'mark equipped', 'aria-hidden': 'true' }));
  if (item.locked) button.append(textEl('span', 'L', { class: 'mark locked', 'aria-hidden': 'true' }));
  return button;
}

/** The gear grid's item button an event happened in, or null. */
function itemButtonOf(event) {
  return event.target instanceof Element ? event.target.closest('#stores .item') : null;
}

$('stores').addEventListener('click', (event) => {
  const item = view.items.get(itemButtonOf(event)?.dataset.key);
  if (item) openActions(item);
});

$('stores').addEventListener('focusin', (event) => {
  const button = itemButtonOf(event);
  if (!button) return;
  for (const other of $('stores').querySelectorAll('.item[tabindex="0"]')) other.tabIndex = -1;
  button.tabIndex = 0;
  $('item-name').textContent = button.title;
});

$('stores').addEventListener('mouseover', (event) => {
  const button = itemButtonOf(event);
  if (button) $('item-name').textContent = button.title;
});

/** The item button with this key, if it is shown. */
function itemButtonByKey(key) {
  return key ? $('stores').querySelector(`.item[data-key="${CSS.escape(key)}"]`) : null;
}

/** Runs `work` once, right after the page's next frame is drawn. */
function afterNextFrame(work) {
  let done = false;
  const once = () => {
    if (done) return;
    done = true;
    work();
  };
  requestAnimationFrame(() => setTimeout(once));
  setTimeout(once, NEXT_FRAME_WAIT_MS);
}

/** One bucket of a store: its name and its items. */
function bucketEl(bucket, snapshot) {
  return el('div', { class: 'bucket' },
    textEl('h3', bucket.name),
    el('div', { class: 'items', role: 'group', 'aria-label': bucket.name },
      ...bucket.items.map((item) => itemButton(item, snapshot))));
}

/** Whether the gear grid was drawn in this page before. */
let storesDrawn = false;

/**
 * Draws the chosen character's gear and the vault's. The first time, the page's first frame
 * holds only what it can show: the vault, below the character's gear, is built right after that
 * frame. Only the vault's buckets skip layout while off screen (popup.css): on a bucket that is
 * on screen, content-visibility costs the first frame a second style and layout pass.
 */
function renderStores(snapshot) {
  const focused = document.activeElement?.classList.contains('item') ? document.activeElement.dataset.key : null;
  const shown = snapshot.stores.filter((store) => store.id === view.characterId || store.id === 'vault');
  const firstFrame = !storesDrawn;
  storesDrawn = true;
  const sections = shown.map((store) => {
    const later = firstFrame && store.id === 'vault';
    const section = el('section', { class: store.id === 'vault' ? 'store vault' : 'store', 'aria-label': storeName(store, snapshot) },
      textEl('h2', storeName(store, snapshot)),
      ...(later ? [] : store.buckets.map((bucket) => bucketEl(bucket, snapshot))));
    if (later) {
      afterNextFrame(() => {
        if (!section.isConnected) return;
        section.append(...store.buckets.map((bucket) => bucketEl(bucket, snapshot)));
        keepOneItemTabbable();
        applyMatches();
      });
    }
    return section;
  });
  $('stores').replaceChildren(...sections);
  keepOneItemTabbable();
  applyMatches();
  // A refresh redraws the gear: the focused item keeps the focus.
  itemButtonByKey(focused)?.focus();
}

/** Makes the grid's first item the one Tab goes to, unless one already is. */
function keepOneItemTabbable() {
  if ($('stores').querySelector('.item[tabindex="0"]')) return;
  const first = $('stores').querySelector('.item');
  if (first) first.tabIndex = 0;
}

function renderSearchTargets(snapshot) {
  $('search-targets').replaceChildren(...searchTargets(snapshot).map((target) => {
    const button = textEl('button', target.label, { type: 'button', 'data-testid': 'move-matches', 'data-to': target.to });
    button.addEventListener('click', () => act({ kind: 'move_matching', query: view.query, to: target.to }));
    return button;
  }));
}

/**
 * Lets popup.css draw the emblems and item icons from the frame after the first one: asking for
 * images costs the main thread about a millisecond each, and the first frame waited for that.
 */
function showIconsAfterFirstFrame() {
  afterNextFrame(() => document.body.classList.add('with-icons'));
}

/** Draws a snapshot: signed out, or the header, tabs and gear. */
function render(snapshot) {
  view.snapshot = snapshot;
  view.items = itemsByKey(snapshot);
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
  if (!storesDrawn) showIconsAfterFirstFrame();
  renderHeader(snapshot);
  renderStores(snapshot);
  renderSearchTargets(snapshot);
  if ($('tab-gear').getAttribute('aria-selected') === 'true') $('gear').hidden = false;
  showMenuResult(snapshot);
}

/** Says what the right-click menu did last, when the worker's answer mentions it. */
function showMenuResult(answer) {
  if (answer.menuResult) showNotice(`Right-click menu: ${answer.menuResult.message}`);
}

/** Draws a worker's answer and keeps it as the view the next popup draws first. */
function renderAnswer(answer) {
  render(answer);
  if (answer.signedIn) keepView(answer);
}

/** Shows the sign-in; nothing of the signed-out player's gear is kept for the next popup. */
function renderSignedOut(snapshot) {
  forgetKeptView();
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
  if (!searching) {
    for (const button of $('stores').querySelectorAll('.item.match')) button.classList.remove('match');
    return;
  }
  for (const button of $('stores').querySelectorAll('.item')) {
    const item = view.items.get(button.dataset.key);
    button.classList.toggle('match', Boolean(item) && view.matches(item));
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
  if (fresh.ok) show(fresh);
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
  renderAnswer(answer);
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

/** Marks the popup as waiting for a fresh inventory (`data-refreshing`), saying so in `notice`. */
function markRefreshing(notice) {
  showNotice(notice);
  document.body.dataset.refreshing = 'true';
}

function unmarkRefreshing() {
  delete document.body.dataset.refreshing;
  showNotice('');
}

/** Draws a worker's answer unless what is shown is newer (see replacesShown). */
function show(answer) {
  if (replacesShown(answer, view.snapshot)) renderAnswer(answer);
  else showMenuResult(answer);
}

/** Reads the inventory again and draws it over what is shown (`data-refreshing` meanwhile). */
async function refresh(notice) {
  markRefreshing(notice);
  const fresh = await askWorker({ type: 'refresh' });
  unmarkRefreshing();
  if (fresh.ok) show(fresh);
  else showError(fresh.error);
}

/** The view kept from the last opening, drawn as a cached copy; returns whether there was one. */
function showKeptView() {
  const kept = keptView();
  if (!kept) return false;
  render(kept);
  markRefreshing(STALE_NOTICE);
  return true;
}

/**
 * The kept view at once, then the worker's snapshot over it when newer; when that is a cached
 * copy too, a refresh follows and is drawn over it. With a kept view on screen the worker is
 * asked once that frame is drawn: waking it (and its wasm core) would compete with the frame.
 */
async function start() {
  const kept = showKeptView();
  if (kept) await new Promise((resolve) => afterNextFrame(resolve));
  const answer = await askWorker({ type: 'state' });
  if (answer.ok && answer.signedIn && answer.stale) {
    show(answer);
    await refresh(STALE_NOTICE);
    return;
  }
  unmarkRefreshing();
  if (answer.ok) {
    show(answer);
    return;
  }
  if (!kept) {
    $('loading').hidden = true;
    setState('error');
  }
  showError(answer.error);
}

start();
