// Signing in, three ways, and the connection the wasm core sends requests with:
// 1. the browser's bungie.net session: the `bungled` cookie (sent back as X-CSRF);
// 2. PlayStation through the native host, whose answer's cookies are set on the Bungie origin,
//    after which way 1 applies (the password goes straight to the host and is never kept);
// 3. Bungie's OAuth: an authorization code from launchWebAuthFlow traded for tokens, kept in
//    storage and refreshed before they expire.

import {
  cookieGet,
  cookieRemove,
  cookieSet,
  launchWebAuthFlow,
  sendNative,
  storageGet,
  storageRemove,
  storageSet,
} from './browser.js';
import { CourierError } from './errors.js';
import { loadOptions } from './options.js';

const TOKENS = 'oauthTokens';
const SESSION = 'session';
const TOKEN_PATH = '/Platform/App/OAuth/token/';
/** Refresh an access token this long before it expires. */
export const REFRESH_MARGIN_MS = 5 * 60 * 1000;
/** The bungie.net session cookies. */
export const SESSION_COOKIES = ['bungled', 'bungleatk', 'bungledid'];

// ---- pure pieces ----

/** Bungie's authorize page for this client, carrying `state` back to the redirect. */
export function authorizeUrl(origin, clientId, state) {
  const query = new URLSearchParams({ client_id: clientId, response_type: 'code', state });
  return `${origin}/en/OAuth/Authorize?${query}`;
}

/** The `code` of the redirect the authorize page ended on, after checking its `state`. */
export function codeFromRedirect(redirect, expectedState) {
  let url;
  try {
    url = new URL(redirect);
  } catch {
    throw new CourierError('oauth_refused', 'The Bungie sign-in ended on an address Courier cannot read. Try again.');
  }
  const params = url.searchParams;
  if (params.get('error')) {
    throw new CourierError('oauth_refused', `Bungie did not authorize Courier (${params.get('error_description') ?? params.get('error')}). Try again and choose Approve.`);
  }
  if (params.get('state') !== expectedState) {
    throw new CourierError('oauth_refused', 'The Bungie sign-in came back for another request (its state does not match). Try again.');
  }
  const code = params.get('code');
  if (!code) throw new CourierError('oauth_refused', 'The Bungie sign-in came back without a code. Try again.');
  return code;
}

/** The token endpoint's form body for a grant, with the client's credentials. */
export function tokenForm(grant, client) {
  const form = new URLSearchParams(grant);
  form.set('client_id', client.id);
  if (client.secret) form.set('client_secret', client.secret);
  return form.toString();
}

/** The tokens to keep from a token answer received at `now` (ms). */
export function tokensFromAnswer(answer, now, scope) {
  if (!answer || typeof answer.access_token !== 'string' || !answer.access_token) {
    throw new CourierError('unexpected', 'Bungie\'s token answer had no access token. Try signing in again.');
  }
  const seconds = (value) => (value !== undefined && Number.isFinite(Number(value)) ? Number(value) : null);
  const refreshToken = typeof answer.refresh_token === 'string' && answer.refresh_token ? answer.refresh_token : null;
  const refreshSeconds = seconds(answer.refresh_expires_in);
  return {
    ...scope,
    accessToken: answer.access_token,
    expiresAt: now + (seconds(answer.expires_in) ?? 3600) * 1000,
    refreshToken,
    refreshExpiresAt: refreshToken && refreshSeconds !== null ? now + refreshSeconds * 1000 : null,
    membershipId: answer.membership_id === undefined ? null : String(answer.membership_id),
  };
}

/** Whether an access token must be refreshed before use at `now`. */
export function needsRefresh(tokens, now, margin = REFRESH_MARGIN_MS) {
  return tokens.expiresAt - margin <= now;
}

/** Whether the refresh token can still be used at `now`. */
export function canRefresh(tokens, now) {
  return Boolean(tokens.refreshToken) && (tokens.refreshExpiresAt === null || tokens.refreshExpiresAt > now);
}

/** The typed error for a failed token answer (RFC 6749 `{error, error_description}`). */
export function tokenError(status, answer) {
  const said = answer?.error_description ? ` Bungie said: ${answer.error_description}` : '';
  if (answer?.error === 'invalid_client' || answer?.error === 'unauthorized_client') {
    return new CourierError('bad_api_key', `Bungie refused Courier's OAuth client. Check the OAuth client id and secret in Courier's options.${said}`);
  }
  if (answer?.error === 'invalid_grant') {
    return new CourierError('signed_out', `Your Bungie sign-in has ended. Sign in with Bungie again.${said}`);
  }
  return new CourierError('unexpected', `Bungie's token endpoint answered HTTP ${status}. Try again later.${said}`);
}

/**
 * What `chrome.cookies.set` takes for a cookie the native host answered, on the Bungie origin
 * in the options: host-only unless the host named a parent domain of that origin's host.
 */
export function cookieDetails(origin, cookie) {
  const url = new URL(origin);
  const path = cookie.path || '/';
  const details = {
    url: `${url.origin}${path}`,
    name: cookie.name,
    value: cookie.value,
    path,
    secure: Boolean(cookie.secure) && url.protocol === 'https:',
    httpOnly: Boolean(cookie.httpOnly),
  };
  const domain = typeof cookie.domain === 'string' ? cookie.domain : '';
  if (domain.startsWith('.') && url.hostname.endsWith(domain)) details.domain = domain;
  if (Number.isFinite(cookie.expirationDate)) details.expirationDate = cookie.expirationDate;
  return details;
}

/** The native host's `psn_login` request for the popup's credentials, checked. */
export function psnRequest(id, credentials) {
  const npsso = typeof credentials?.npsso === 'string' ? credentials.npsso.trim() : '';
  if (npsso) return { id, type: 'psn_login', npsso };
  const username = typeof credentials?.username === 'string' ? credentials.username.trim() : '';
  const password = typeof credentials?.password === 'string' ? credentials.password : '';
  if (!username || !password) {
    throw new CourierError('bad_request', 'Type your PlayStation sign-in id and password (or paste your npsso), then sign in.');
  }
  return { id, type: 'psn_login', username, password };
}

// ---- the connection ----

/**
 * The current sign-in: `{connection, authMode}`, where connection is what the wasm core takes
 * (`{origin, apiKey, auth}`) or null when signed out, and authMode is `cookie`, `psn` or `oauth`.
 */
export async function currentSession(now = Date.now()) {
  const options = await loadOptions();
  const base = { origin: options.bungieOrigin, apiKey: options.apiKey };
  const bearer = async () => {
    const token = await accessToken(options, now);
    return token ? { connection: { ...base, auth: { kind: 'bearer', token } }, authMode: 'oauth' } : null;
  };
  const cookie = async () => {
    const bungled = await cookieGet(`${options.bungieOrigin}/`, 'bungled');
    if (!bungled?.value) return null;
    const { [SESSION]: session } = await storageGet(SESSION);
    const viaPsn = session?.via === 'psn' && session.origin === options.bungieOrigin;
    return { connection: { ...base, auth: { kind: 'cookie', bungled: bungled.value } }, authMode: viaPsn ? 'psn' : 'cookie' };
  };
  const order = options.signInMode === 'oauth' ? [bearer, cookie] : [cookie, bearer];
  for (const way of order) {
    const found = await way();
    if (found) return found;
  }
  return { connection: null, authMode: options.signInMode === 'oauth' ? 'oauth' : 'cookie' };
}

let refreshing = null;

/** The stored tokens when they belong to these options' origin and client, else null. */
async function storedTokens(options) {
  const { [TOKENS]: tokens } = await storageGet(TOKENS);
  if (!tokens || tokens.origin !== options.bungieOrigin || tokens.clientId !== options.oauthClientId) return null;
  return tokens;
}

/** Trades the refresh token for new tokens (one refresh at a time: each refresh token works once). */
async function refreshed(options, tokens, now) {
  refreshing ??= exchange(options, { grant_type: 'refresh_token', refresh_token: tokens.refreshToken }, now)
    .finally(() => { refreshing = null; });
  try {
    return (await refreshing).accessToken;
  } catch (error) {
    if (error.kind === 'signed_out') {
      await storageRemove(TOKENS);
      return null;
    }
    throw error;
  }
}

/** A usable access token for these options, refreshed first when close to expiry; or null. */
async function accessToken(options, now) {
  const tokens = await storedTokens(options);
  if (!tokens) return null;
  if (!needsRefresh(tokens, now)) return tokens.accessToken;
  if (!canRefresh(tokens, now)) return tokens.expiresAt > now ? tokens.accessToken : null;
  return refreshed(options, tokens, now);
}

/**
 * After bungie.net refused an access token that looked valid here (its clock runs ahead, or the
 * token was revoked): refreshes it now. Resolves to whether there is a new token to retry with.
 */
export async function refreshRefusedToken(now = Date.now()) {
  const options = await loadOptions();
  const tokens = await storedTokens(options);
  if (!tokens || !canRefresh(tokens, now)) return false;
  return (await refreshed(options, tokens, now)) !== null;
}

/** Trades a grant for tokens at the token endpoint at `now` (ms) and stores them. */
async function exchange(options, grant, now = Date.now()) {
  const client = { id: options.oauthClientId, secret: options.oauthClientSecret };
  let response;
  try {
    response = await fetch(`${options.bungieOrigin}${TOKEN_PATH}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'X-API-Key': options.apiKey },
      body: tokenForm(grant, client),
      credentials: 'omit',
    });
  } catch (error) {
    throw new CourierError('network', `Courier could not reach ${options.bungieOrigin} (${error.message}). Check your connection and try again.`);
  }
  let answer = null;
  try {
    answer = await response.json();
  } catch {
    // Not JSON: reported below with the status.
  }
  if (!response.ok || !answer) throw tokenError(response.status, answer);
  const tokens = tokensFromAnswer(answer, now, { origin: options.bungieOrigin, clientId: client.id });
  await storageSet({ [TOKENS]: tokens });
  return tokens;
}

// ---- signing in and out ----

let nextHostId = 1;

/** Way 2: PlayStation sign-in through the native host; leaves a bungie.net session cookie. */
export async function signInPsn(credentials) {
  const options = await loadOptions();
  const request = psnRequest(nextHostId++, credentials);
  const answer = await sendNative(request);
  if (!answer.ok) {
    const error = answer.error ?? {};
    throw new CourierError(error.kind ?? 'host_failed', error.message ?? 'Courier\'s native helper could not sign you in. Try again.');
  }
  if (!Array.isArray(answer.cookies) || answer.cookies.length === 0) {
    throw new CourierError('unexpected', 'Courier\'s native helper signed in but sent no bungie.net cookies. Update courier-host and try again.');
  }
  for (const cookie of answer.cookies) await cookieSet(cookieDetails(options.bungieOrigin, cookie));
  if (!(await cookieGet(`${options.bungieOrigin}/`, 'bungled'))) {
    throw new CourierError('cookie_refused', `The browser did not keep the bungie.net session for ${options.bungieOrigin}. Check the Bungie origin in Courier's options.`);
  }
  await storageSet({ [SESSION]: { via: 'psn', origin: options.bungieOrigin } });
}

/** Way 3: Bungie's OAuth authorization code flow; stores the tokens. */
export async function signInOauth() {
  const options = await loadOptions();
  if (!options.oauthClientId) {
    throw new CourierError('oauth_setup', 'Set the OAuth client id (and secret) of your Bungie application in Courier\'s options first.');
  }
  const state = crypto.randomUUID();
  const redirect = await launchWebAuthFlow(authorizeUrl(options.bungieOrigin, options.oauthClientId, state));
  const code = codeFromRedirect(redirect, state);
  await exchange(options, { grant_type: 'authorization_code', code });
}

/** Forgets the tokens and the bungie.net session cookies of the configured origin. */
export async function signOut() {
  const options = await loadOptions();
  await storageRemove([TOKENS, SESSION]);
  for (const name of SESSION_COOKIES) await cookieRemove(`${options.bungieOrigin}/`, name);
}
