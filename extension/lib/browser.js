// The one module that touches the browser's extension API (chrome.* in Chromium, which Firefox
// also provides). Every quirk lives here: promise forms, lastError texts, what the APIs need.
// Nothing is read from `chrome` until a function is called, so the module loads anywhere.

import { CourierError, failure } from './errors.js';

/** The native host's registered name (courier-host installs its manifest under it). */
export const NATIVE_HOST = 'dev.courier.host';

/** How long a native host may take to answer one message. */
const NATIVE_TIMEOUT_MS = 90_000;

function api() {
  const found = globalThis.chrome ?? globalThis.browser;
  if (!found?.runtime) {
    throw new CourierError('internal', 'The browser extension API is not available here; open Courier from its toolbar button.');
  }
  return found;
}

/** The extension's id. */
export function extensionId() {
  return api().runtime.id;
}

/** The absolute URL of a file in the extension. */
export function extensionUrl(path) {
  return api().runtime.getURL(path);
}

/**
 * Whether a message sender is one of the extension's own pages (popup, options) or its worker,
 * never a web page or another extension.
 */
export function isOwnSender(sender, id = extensionId(), base = extensionUrl('')) {
  return Boolean(sender) && sender.id === id && typeof sender.url === 'string' && sender.url.startsWith(base);
}

// ---- storage (chrome.storage.local) ----

/** Values by key (missing keys are absent from the answer). */
export async function storageGet(keys) {
  return api().storage.local.get(keys);
}

/** Stores every key of `values`. */
export async function storageSet(values) {
  await api().storage.local.set(values);
}

/** Removes keys. */
export async function storageRemove(keys) {
  await api().storage.local.remove(keys);
}

// ---- cookies ----

/** One cookie of a URL by name, or null. */
export async function cookieGet(url, name) {
  return (await api().cookies.get({ url, name })) ?? null;
}

/** Sets a cookie (`details` as chrome.cookies.set takes it); fails with a typed error. */
export async function cookieSet(details) {
  let set;
  try {
    set = await api().cookies.set(details);
  } catch (error) {
    throw new CourierError('cookie_refused', `The browser refused to store the ${details.name} cookie for ${details.url} (${error.message}).`);
  }
  if (!set) {
    throw new CourierError('cookie_refused', `The browser refused to store the ${details.name} cookie for ${details.url}; check that Courier may access that site.`);
  }
  return set;
}

/** Removes a cookie of a URL by name. */
export async function cookieRemove(url, name) {
  await api().cookies.remove({ url, name });
}

// ---- native messaging ----

/** The typed error for one of the browser's native-messaging failure texts. */
export function nativeError(text) {
  const install = 'Run `courier-host install` (from the Courier release, or `cargo xtask install` in a checkout), then try again.';
  if (/not found/i.test(text)) {
    return new CourierError('host_missing', `Courier's native helper (courier-host) is not installed for this browser. ${install}`);
  }
  if (/forbidden/i.test(text)) {
    return new CourierError('host_missing', `Courier's native helper is installed but does not allow this copy of Courier. ${install}`);
  }
  return new CourierError('host_failed', `Courier's native helper stopped before it answered (${text}). Try again; if it keeps failing, run \`courier-host install\` again.`);
}

/** Sends one message to the native host and resolves to its answer. */
export async function sendNative(message, host = NATIVE_HOST) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new CourierError('host_failed', 'Courier\'s native helper did not answer within 90 seconds. Try again.')), NATIVE_TIMEOUT_MS);
  });
  try {
    const answer = await Promise.race([
      new Promise((resolve, reject) => {
        api().runtime.sendNativeMessage(host, message, (reply) => {
          const lastError = api().runtime.lastError;
          if (lastError) reject(nativeError(lastError.message ?? String(lastError)));
          else resolve(reply);
        });
      }),
      timeout,
    ]);
    if (answer === undefined || answer === null) {
      throw new CourierError('host_failed', 'Courier\'s native helper exited without an answer. Run `courier-host install` again, then retry.');
    }
    return answer;
  } finally {
    clearTimeout(timer);
  }
}

// ---- alarms ----

/** Creates (or moves) an alarm that fires once at `when` (ms since 1970). */
export async function alarmAt(name, when) {
  await api().alarms.create(name, { when });
}

/** Clears an alarm. */
export async function alarmClear(name) {
  await api().alarms.clear(name);
}

// ---- context menus ----

/** Removes every menu item of the extension. */
export async function menusRemoveAll() {
  await api().contextMenus.removeAll();
}

/** Creates a menu item; resolves when it exists (duplicate ids reject with the browser's text). */
export function menuCreate(properties) {
  return new Promise((resolve, reject) => {
    api().contextMenus.create(properties, () => {
      const lastError = api().runtime.lastError;
      if (lastError) reject(new CourierError('internal', `The context menu item ${properties.id} could not be made (${lastError.message}).`));
      else resolve();
    });
  });
}

/** Changes a menu item's properties (title, visibility); an unknown id is ignored. */
export async function menuUpdate(id, properties) {
  try {
    await api().contextMenus.update(id, properties);
  } catch {
    // The item does not exist (menus are rebuilt on install); nothing to retitle.
  }
}

// ---- action badge and notifications ----

/** Shows `text` on the toolbar button in `color` (a CSS colour); empty text clears it. */
export async function badge(text, color) {
  const action = api().action;
  await action.setBadgeText({ text });
  if (text && color) await action.setBadgeBackgroundColor({ color });
}

/** Shows a desktop notification when the browser allows it; resolves to whether it showed. */
export async function notify(title, message) {
  const notifications = api().notifications;
  if (!notifications?.create) return false;
  try {
    await notifications.create({
      type: 'basic',
      iconUrl: extensionUrl('icons/icon-128.png'),
      title,
      message,
    });
    return true;
  } catch {
    return false;
  }
}

// ---- identity (OAuth) ----

/** The URL an OAuth flow of this extension must redirect to (register it with Bungie). */
export function oauthRedirectUrl() {
  return api().identity.getRedirectURL();
}

/** Runs an interactive web sign-in at `url`; resolves to the redirect URL it ended on. */
export async function launchWebAuthFlow(url) {
  try {
    return await api().identity.launchWebAuthFlow({ url, interactive: true });
  } catch (error) {
    throw new CourierError('oauth_cancelled', `The Bungie sign-in window closed before it finished (${error.message}). Try again, and approve Courier on the Bungie page.`);
  }
}

// ---- events (registered by background.js at the top level) ----

/**
 * Listens for messages from the extension's own pages. `handle(message)` resolves to the
 * answer; messages from anything else get no answer at all.
 */
export function onMessage(handle) {
  api().runtime.onMessage.addListener((message, sender, sendResponse) => {
    if (!isOwnSender(sender)) return false;
    handle(message).then(sendResponse, (error) => sendResponse(failure(error)));
    return true;
  });
}

/** Calls `listener(info, tab)` when a Courier context menu item is clicked. */
export function onMenuClicked(listener) {
  api().contextMenus.onClicked.addListener(listener);
}

/** Calls `listener(alarm)` when an alarm fires. */
export function onAlarm(listener) {
  api().alarms.onAlarm.addListener(listener);
}

/** Calls `listener(details)` when the extension is installed or updated. */
export function onInstalled(listener) {
  api().runtime.onInstalled.addListener(listener);
}

/** Calls `listener()` when the browser starts with the extension enabled. */
export function onStartup(listener) {
  api().runtime.onStartup.addListener(listener);
}

// ---- pages ----

/** From a page: sends one request to the worker and resolves to its answer. */
export async function askWorker(message) {
  try {
    const answer = await api().runtime.sendMessage(message);
    if (answer === undefined) {
      return { ok: false, error: { kind: 'internal', message: 'Courier\'s background worker did not answer. Close the popup and open it again.' } };
    }
    return answer;
  } catch (error) {
    return { ok: false, error: { kind: 'internal', message: `Courier's background worker could not be reached (${error.message}). Close the popup and open it again.` } };
  }
}

/** From a page: opens the options page. */
export async function openOptions() {
  await api().runtime.openOptionsPage();
}
