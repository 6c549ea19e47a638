// The player's options: defaults, validation, storage. The options page sends them with
// `{type:"set_options"}`; the worker reads them for every request it makes.

import { DEFAULT_API_KEY, DEFAULT_BUNGIE_ORIGIN } from '../config.js';
import { storageGet, storageSet } from './browser.js';
import { CourierError } from './errors.js';

const KEY = 'options';

/** How Courier signs in: the bungie.net session (browser or PlayStation), or Bungie's OAuth. */
export const SIGN_IN_MODES = ['session', 'oauth'];

/** Whether runs may move other items aside (the popup always shows them first). */
export const MAKE_ROOM = ['never', 'allowed'];

/** The options before the player changes any. */
export function defaultOptions() {
  return {
    signInMode: 'session',
    apiKey: DEFAULT_API_KEY,
    bungieOrigin: DEFAULT_BUNGIE_ORIGIN,
    makeRoom: 'never',
    oauthClientId: '',
    oauthClientSecret: '',
  };
}

/** Whether Courier may talk to this host (its host permissions): bungie.net or this computer. */
function allowedHost(url) {
  const host = url.hostname;
  if (host === 'bungie.net' || host.endsWith('.bungie.net')) return url.protocol === 'https:';
  return host === '127.0.0.1' || host === 'localhost' || host === '[::1]';
}

/** The origin of a Bungie URL (`https://www.bungie.net/` -> `https://www.bungie.net`), checked. */
export function normalizeOrigin(text) {
  let url;
  try {
    url = new URL(String(text).trim());
  } catch {
    throw new CourierError('bad_options', `"${text}" is not a web address; use https://www.bungie.net, or the sandbox's address such as http://127.0.0.1:8080.`);
  }
  if (!['https:', 'http:'].includes(url.protocol) || !allowedHost(url)) {
    throw new CourierError('bad_options', `Courier can only reach https://www.bungie.net (or another https bungie.net host) or a sandbox on this computer (127.0.0.1 or localhost), not ${url.origin}.`);
  }
  return url.origin;
}

function choice(value, allowed, fallback, what) {
  if (value === undefined || value === null || value === '') return fallback;
  if (!allowed.includes(value)) {
    throw new CourierError('bad_options', `${what} must be one of ${allowed.join(', ')}, not "${value}".`);
  }
  return value;
}

function text(value, what) {
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string') throw new CourierError('bad_options', `${what} must be text.`);
  return value.trim();
}

/**
 * Validated options from what a page sent, over the current ones: an empty API key or origin
 * means the built-in default.
 */
export function validateOptions(input, current = defaultOptions()) {
  if (!input || typeof input !== 'object') {
    throw new CourierError('bad_options', 'set_options needs an "options" object.');
  }
  const merged = { ...current, ...input };
  const defaults = defaultOptions();
  const apiKey = text(merged.apiKey, 'The API key') || defaults.apiKey;
  const origin = text(merged.bungieOrigin, 'The Bungie origin');
  return {
    signInMode: choice(merged.signInMode, SIGN_IN_MODES, defaults.signInMode, 'The sign-in mode'),
    apiKey,
    bungieOrigin: origin ? normalizeOrigin(origin) : defaults.bungieOrigin,
    makeRoom: choice(merged.makeRoom, MAKE_ROOM, defaults.makeRoom, 'The making-room policy'),
    oauthClientId: text(merged.oauthClientId, 'The OAuth client id'),
    oauthClientSecret: text(merged.oauthClientSecret, 'The OAuth client secret'),
  };
}

/** The stored options (defaults for anything unset or no longer valid). */
export async function loadOptions() {
  const { [KEY]: stored } = await storageGet(KEY);
  if (!stored) return defaultOptions();
  try {
    return validateOptions(stored);
  } catch {
    return defaultOptions();
  }
}

/** Validates and stores new options; resolves to what was stored. */
export async function saveOptions(input) {
  const options = validateOptions(input, await loadOptions());
  await storageSet({ [KEY]: options });
  return options;
}
