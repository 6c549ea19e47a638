// Bungie's OAuth, the third way to sign in: chrome.identity.launchWebAuthFlow opens the
// simulator's authorize page, the player approves, the code becomes tokens, requests go with the
// bearer token, and a token bungie.net refuses as expired is refreshed and the request retried.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { browserMissing } from './lib/browser.mjs';
import { EXTENSION_ID, ask, extensionUrl, requireBuilt } from './lib/extension.mjs';
import { signedInBrowser } from './lib/popup.mjs';
import { REAL_HOST_FLAGS, startSim } from './lib/sim.mjs';

const CLIENT_ID = '4242';
const CLIENT_SECRET = 'courier-test-secret';
const REDIRECT = `https://${EXTENSION_ID}.chromiumapp.org/`;
const PROFILE_PATH = /^\/Platform\/Destiny2\/\d+\/Profile\//;
const TOKEN_PATH = '/Platform/App/OAuth/token/';

const skip = browserMissing();
let sim;
let browser;

before(async () => {
  if (skip) return;
  requireBuilt();
  sim = await startSim([...REAL_HOST_FLAGS, '--oauth-client', `${CLIENT_ID}:${CLIENT_SECRET}:${REDIRECT}`]);
  // The website session lets the authorize page go straight to its Approve button.
  browser = await signedInBrowser(sim);
});

after(async () => {
  await browser?.close();
  sim?.stop();
});

test('OAuth: approve on Bungie\'s page, then requests go with a bearer token that is refreshed when refused', { skip: skip ?? false }, async () => {
  const page = await browser.context.newPage();
  await page.goto(extensionUrl('options.html'));
  const set = await ask(page, {
    type: 'set_options',
    options: { signInMode: 'oauth', oauthClientId: CLIENT_ID, oauthClientSecret: CLIENT_SECRET },
  });
  assert.equal(set.ok, true, JSON.stringify(set));
  await sim.control('log', undefined, 'DELETE');

  const authorizePage = browser.context.waitForEvent('page', { predicate: (p) => p.url().includes('/en/OAuth/Authorize') });
  const answer = ask(page, { type: 'sign_in', method: 'oauth' });
  const authorize = await authorizePage;
  const url = new URL(authorize.url());
  assert.equal(url.searchParams.get('client_id'), CLIENT_ID);
  assert.equal(url.searchParams.get('response_type'), 'code');
  assert.ok(url.searchParams.get('state'), 'a state goes along');
  await authorize.locator('#approve').click();
  const signedIn = await answer;
  assert.equal(signedIn.ok, true, JSON.stringify(signedIn));
  assert.deepEqual([signedIn.signedIn, signedIn.authMode], [true, 'oauth']);

  const log = await sim.control('log');
  const token = log.find((entry) => entry.path === TOKEN_PATH);
  assert.equal(token.body.grant_type, 'authorization_code');
  const profiles = log.filter((entry) => PROFILE_PATH.test(entry.path));
  assert.ok(profiles.length > 0 && profiles.every((entry) => entry.auth === 'bearer'), JSON.stringify(profiles.map((e) => e.auth)));

  // An hour later on bungie.net's clock the token is refused; Courier refreshes it and goes on.
  await sim.control('clock', { advanceSeconds: 3601 });
  await sim.control('log', undefined, 'DELETE');
  const refreshed = await ask(page, { type: 'refresh' });
  assert.equal(refreshed.ok, true, JSON.stringify(refreshed));
  const after = await sim.control('log');
  assert.equal(after.find((entry) => entry.path === TOKEN_PATH)?.body.grant_type, 'refresh_token');
  assert.equal(after.filter((entry) => PROFILE_PATH.test(entry.path)).at(-1).errorCode, 1);

  const stored = await page.evaluate(async () => JSON.stringify(await chrome.storage.local.get('oauthTokens')));
  assert.ok(stored.includes('accessToken'), 'the tokens are kept in extension storage');
  await page.close();
});
