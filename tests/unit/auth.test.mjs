// The three ways to sign in, and the connection the core sends requests with.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { beforeEach, test } from 'node:test';

import { installFakeChrome } from './fake-chrome.mjs';
import {
  authorizeUrl, canRefresh, codeFromRedirect, cookieDetails, currentSession, needsRefresh, psnRequest,
  refreshRefusedToken, signInOauth, signInPsn, signOut, tokenError, tokenForm, tokensFromAnswer,
} from '../../extension/lib/auth.js';
import { saveOptions } from '../../extension/lib/options.js';

let fake;
beforeEach(() => { fake = installFakeChrome(); });

const hostCookies = [
  { name: 'bungled', value: 'csrf-1', domain: 'www.bungie.net', path: '/', secure: true, httpOnly: false },
  { name: 'bungleatk', value: 'atk-1', domain: 'www.bungie.net', path: '/', secure: true, httpOnly: true, expirationDate: 1900000000 },
  { name: 'bungledid', value: 'did-1', domain: 'www.bungie.net', path: '/', secure: true, httpOnly: false },
];

test('the authorize URL carries the client, the code response type and the state', () => {
  const url = new URL(authorizeUrl('https://www.bungie.net', '12345', 'st&ate'));
  assert.equal(url.origin + url.pathname, 'https://www.bungie.net/en/OAuth/Authorize');
  assert.equal(url.searchParams.get('client_id'), '12345');
  assert.equal(url.searchParams.get('response_type'), 'code');
  assert.equal(url.searchParams.get('state'), 'st&ate');
});

test('the redirect gives its code only when the state matches', () => {
  const base = 'https://nikakecbkkfjobcpnlceoecocaphahof.chromiumapp.org/';
  assert.equal(codeFromRedirect(`${base}?code=abc&state=s1`, 's1'), 'abc');
  assert.throws(() => codeFromRedirect(`${base}?code=abc&state=other`, 's1'), { kind: 'oauth_refused', message: /state/ });
  assert.throws(() => codeFromRedirect(`${base}?error=access_denied&state=s1`, 's1'), { kind: 'oauth_refused', message: /access_denied/ });
  assert.throws(() => codeFromRedirect(`${base}?state=s1`, 's1'), { kind: 'oauth_refused', message: /without a code/ });
  assert.throws(() => codeFromRedirect('::', 's1'), { kind: 'oauth_refused' });
});

test('token forms carry the grant and the client; a public client sends no secret', () => {
  const form = new URLSearchParams(tokenForm({ grant_type: 'authorization_code', code: 'c&1' }, { id: 'id1', secret: 's=2' }));
  assert.deepEqual(Object.fromEntries(form), { grant_type: 'authorization_code', code: 'c&1', client_id: 'id1', client_secret: 's=2' });
  assert.equal(new URLSearchParams(tokenForm({ grant_type: 'refresh_token', refresh_token: 'r' }, { id: 'id1', secret: '' })).has('client_secret'), false);
});

test('tokens expire by the answer, and are refreshed five minutes before', () => {
  const now = 1_000_000;
  const tokens = tokensFromAnswer({ access_token: 'a', expires_in: 3600, refresh_token: 'r', refresh_expires_in: 7_776_000, membership_id: 42 }, now, { origin: 'o' });
  assert.equal(tokens.expiresAt, now + 3_600_000);
  assert.equal(tokens.refreshExpiresAt, now + 7_776_000_000);
  assert.equal(tokens.membershipId, '42');
  assert.equal(tokens.origin, 'o');
  assert.equal(needsRefresh(tokens, now + 3_000_000), false);
  assert.equal(needsRefresh(tokens, now + 3_300_000), true);
  assert.equal(canRefresh(tokens, now), true);
  const publicTokens = tokensFromAnswer({ access_token: 'a', expires_in: 3600 }, now, {});
  assert.equal(publicTokens.refreshToken, null);
  assert.equal(canRefresh(publicTokens, now), false);
  assert.throws(() => tokensFromAnswer({ error: 'x' }, now, {}), { kind: 'unexpected' });
});

test('token endpoint failures become typed errors', () => {
  assert.equal(tokenError(400, { error: 'invalid_client', error_description: 'wrong secret' }).kind, 'bad_api_key');
  assert.match(tokenError(400, { error: 'invalid_client', error_description: 'wrong secret' }).message, /wrong secret/);
  assert.equal(tokenError(400, { error: 'invalid_grant' }).kind, 'signed_out');
  assert.equal(tokenError(502, null).kind, 'unexpected');
});

test('host cookies are set host-only on the configured origin, Secure only over https', () => {
  const https = cookieDetails('https://www.bungie.net', hostCookies[1]);
  assert.deepEqual(https, {
    url: 'https://www.bungie.net/', name: 'bungleatk', value: 'atk-1', path: '/', secure: true, httpOnly: true, expirationDate: 1900000000,
  });
  const sandbox = cookieDetails('http://127.0.0.1:4000', hostCookies[0]);
  assert.equal(sandbox.url, 'http://127.0.0.1:4000/');
  assert.equal(sandbox.secure, false);
  assert.equal('domain' in sandbox, false, 'a cookie for another host is not forced onto this one');
  assert.equal(cookieDetails('https://www.bungie.net', { ...hostCookies[0], domain: '.bungie.net' }).domain, '.bungie.net');
});

test('psn_login requests take a password or an npsso, and refuse empty credentials', () => {
  assert.deepEqual(psnRequest(1, { username: ' a@b.c ', password: ' pw ' }), { id: 1, type: 'psn_login', username: 'a@b.c', password: ' pw ' });
  assert.deepEqual(psnRequest(2, { npsso: ' n ', username: 'ignored' }), { id: 2, type: 'psn_login', npsso: 'n' });
  assert.throws(() => psnRequest(3, { username: 'a', password: '' }), { kind: 'bad_request' });
  assert.throws(() => psnRequest(4, {}), { kind: 'bad_request' });
});

test('way 1: a bungled cookie on the origin is a cookie connection; none is signed out', async () => {
  assert.deepEqual(await currentSession(), { connection: null, authMode: 'cookie' });
  await chrome.cookies.set({ url: 'https://www.bungie.net/', name: 'bungled', value: 'csrf-9' });
  assert.deepEqual(await currentSession(), {
    connection: { origin: 'https://www.bungie.net', apiKey: 'sandbox-api-key', auth: { kind: 'cookie', bungled: 'csrf-9' } },
    authMode: 'cookie',
  });
});

test('way 2: the host\'s cookies are set on the origin, then the session is a psn cookie session', async () => {
  fake.nativeAnswer = (message) => ({ id: message.id, ok: true, cookies: hostCookies, bungieMembershipId: '7' });
  await signInPsn({ username: 'guardian@example.com', password: 'sandbox-password' });
  const [sent] = fake.nativeMessages;
  assert.equal(sent.host, 'dev.courier.host');
  assert.equal(sent.message.type, 'psn_login');
  assert.equal(sent.message.password, 'sandbox-password', 'the password goes straight to the host');
  assert.equal((await chrome.cookies.get({ url: 'https://www.bungie.net/', name: 'bungleatk' })).httpOnly, true);
  const session = await currentSession();
  assert.equal(session.authMode, 'psn');
  assert.equal(session.connection.auth.bungled, 'csrf-1');
  assert.equal(JSON.stringify([...fake.store.values()]).includes('sandbox-password'), false, 'no password in storage');
  await signOut();
  assert.equal(await chrome.cookies.get({ url: 'https://www.bungie.net/', name: 'bungled' }), null);
  assert.equal((await currentSession()).connection, null);
});

test('way 2 without the host: a host_missing error that says to run courier-host install', async () => {
  fake.nativeAnswer = { lastError: 'Specified native messaging host not found.' };
  await assert.rejects(signInPsn({ npsso: 'x' }), { kind: 'host_missing', message: /courier-host install/ });
  fake.nativeAnswer = (message) => ({ id: message.id, ok: false, error: { kind: 'invalid_credentials', message: 'Sony refused that password.' } });
  await assert.rejects(signInPsn({ username: 'a', password: 'b' }), { kind: 'invalid_credentials', message: 'Sony refused that password.' });
});

/** A token endpoint on 127.0.0.1 that answers with `answer(form)` and records the forms. */
async function tokenServer(answer) {
  const forms = [];
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => { body += chunk; });
    request.on('end', () => {
      const form = Object.fromEntries(new URLSearchParams(body));
      forms.push({ path: request.url, apiKey: request.headers['x-api-key'], form });
      const [status, json] = answer(form);
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(json));
    });
  });
  await new Promise((resolve) => { server.listen(0, '127.0.0.1', resolve); });
  return { origin: `http://127.0.0.1:${server.address().port}`, forms, close: () => server.close() };
}

test('way 3: OAuth trades the code for tokens, uses them as bearer, and refreshes before expiry', async () => {
  let issued = 0;
  const server = await tokenServer((form) => {
    issued += 1;
    if (form.grant_type === 'refresh_token' && form.refresh_token !== `refresh-${issued - 1}`) return [400, { error: 'invalid_grant' }];
    return [200, { access_token: `access-${issued}`, expires_in: 3600, refresh_token: `refresh-${issued}`, refresh_expires_in: 7776000, membership_id: '9' }];
  });
  try {
    await saveOptions({ signInMode: 'oauth', bungieOrigin: server.origin, oauthClientId: 'client-1', oauthClientSecret: 'secret-1' });
    fake.authRedirect = (url) => {
      const state = new URL(url).searchParams.get('state');
      return `https://nikakecbkkfjobcpnlceoecocaphahof.chromiumapp.org/?code=code-1&state=${state}`;
    };
    await signInOauth();
    assert.deepEqual(server.forms[0], {
      path: '/Platform/App/OAuth/token/',
      apiKey: 'sandbox-api-key',
      form: { grant_type: 'authorization_code', code: 'code-1', client_id: 'client-1', client_secret: 'secret-1' },
    });
    const now = Date.now();
    assert.deepEqual((await currentSession(now)).connection.auth, { kind: 'bearer', token: 'access-1' });
    const later = now + 3_500_000;
    assert.deepEqual((await currentSession(later)).connection.auth, { kind: 'bearer', token: 'access-2' }, 'refreshed before expiry');
    assert.equal(server.forms[1].form.refresh_token, 'refresh-1');
    assert.equal((await currentSession(later)).connection.auth.token, 'access-2', 'a fresh token is not refreshed again');

    // bungie.net refused access-2 although it looked valid: it is refreshed at once.
    assert.equal(await refreshRefusedToken(later), true);
    assert.equal((await currentSession(later)).connection.auth.token, 'access-3');
    assert.equal(server.forms[2].form.refresh_token, 'refresh-2');
    await signOut();
    assert.equal(await refreshRefusedToken(later), false, 'no tokens, nothing to refresh');
  } finally {
    server.close();
  }
});

test('way 3 needs a client id, and a closed sign-in window is a typed error', async () => {
  await assert.rejects(signInOauth(), { kind: 'oauth_setup' });
  await saveOptions({ oauthClientId: 'c' });
  await assert.rejects(signInOauth(), { kind: 'oauth_cancelled' });
});
