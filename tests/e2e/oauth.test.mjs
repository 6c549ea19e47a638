// Bungie's OAuth, the third way to sign in. Scenario 14: from the signed-out popup, "Sign in with
// Bungie" opens the simulator's authorize page (chrome.identity.launchWebAuthFlow), the player signs
// in there and approves, the code becomes tokens, and an item action goes with the bearer token.
// Also: a token bungie.net refuses as expired is refreshed and the request retried.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { browserMissing } from './lib/browser.mjs';
import { EXTENSION_ID, ask, extensionUrl, requireBuilt } from './lib/extension.mjs';
import {
  byTestId, characterOf, CLASS, itemById, movableWeapons, POPUP_TIMEOUT_MS, popupSettled, signedInBrowser,
} from './lib/popup.mjs';
import { actions, PROFILE_PATH, transfers } from './lib/requests.mjs';
import { scenario } from './lib/scenario.mjs';
import { REAL_HOST_FLAGS, startSim } from './lib/sim.mjs';
import { submitSonyLogin } from './lib/website.mjs';

const CLIENT_ID = '4242';
const CLIENT_SECRET = 'courier-test-secret';
const REDIRECT = `https://${EXTENSION_ID}.chromiumapp.org/`;
/** The simulator flag that registers Courier's OAuth client. */
const OAUTH_CLIENT = ['--oauth-client', `${CLIENT_ID}:${CLIENT_SECRET}:${REDIRECT}`];
const TOKEN_PATH = '/Platform/App/OAuth/token/';

const skip = browserMissing();

/** Waits for the authorize page the extension opens and checks what it asks for. */
async function authorizePage(context) {
  const page = await context.waitForEvent('page', { predicate: (p) => p.url().includes('/en/OAuth/Authorize') });
  const url = new URL(page.url());
  assert.equal(url.searchParams.get('client_id'), CLIENT_ID);
  assert.equal(url.searchParams.get('response_type'), 'code');
  assert.ok(url.searchParams.get('state'), 'a state goes along');
  return page;
}

scenario('14. OAuth sign-in through the simulator\'s authorize page, then an item action with a bearer token', { simFlags: OAUTH_CLIENT }, async (run) => {
  const options = await run.context.newPage();
  await options.goto(extensionUrl('options.html'));
  await options.locator('select[name="signInMode"]').selectOption('oauth');
  await options.locator('input[name="oauthClientId"]').fill(CLIENT_ID);
  await options.locator('input[name="oauthClientSecret"]').fill(CLIENT_SECRET);
  await options.getByRole('button', { name: 'Save' }).click();
  await options.locator('#status').filter({ hasText: 'Saved.' }).waitFor();
  await options.close();

  const page = await run.popup('signed-out');
  const authorizing = authorizePage(run.context);
  await byTestId(page, 'oauth-sign-in').click();
  const authorize = await authorizing;
  // Not signed in on bungie.net yet: the authorize page sends the player through PlayStation first.
  await authorize.getByRole('link', { name: 'Sign in with PlayStation' }).click();
  await submitSonyLogin(authorize);
  await authorize.waitForURL(/\/en\/OAuth\/Authorize/);
  await authorize.locator('#approve').click();
  await popupSettled(page);

  let log = await run.log();
  const token = log.filter((entry) => entry.path === TOKEN_PATH);
  assert.deepEqual(token.map((entry) => [entry.body.grant_type, entry.body.client_id, entry.status]),
    [['authorization_code', CLIENT_ID, 200]], 'one code traded for tokens');
  assert.equal(token[0].body.client_secret, '(redacted)');
  const profiles = log.filter((entry) => PROFILE_PATH.test(entry.path));
  assert.ok(profiles.length > 0 && profiles.every((entry) => entry.auth === 'bearer' && entry.errorCode === 1),
    JSON.stringify(profiles.map((e) => [e.auth, e.errorCode])));

  const world = await run.world();
  const hunter = characterOf(world, CLASS.hunter);
  const [item] = movableWeapons(world, hunter.index);
  await byTestId(page, 'character', { 'character-id': hunter.id }).click();
  await byTestId(page, 'item', { 'item-id': item.instanceId }).click();
  await byTestId(page, 'action-move', { to: 'vault' }).click();
  await byTestId(page, 'run-summary', { outcome: 'done' }).waitFor({ timeout: POPUP_TIMEOUT_MS });

  assert.deepEqual(itemById(await run.world(), item.instanceId).place, { kind: 'vault' });
  log = await run.log();
  const sent = actions(log);
  assert.deepEqual(sent.map((entry) => [entry.path, entry.auth, entry.csrf, entry.errorCode]),
    [[transfers(log)[0].path, 'bearer', null, 1]], 'one transfer, with the bearer token and no cookie CSRF');
  assert.equal(String(sent[0].body.itemId), item.instanceId);
  await byTestId(page, 'run-close').click();
});

describe('OAuth tokens', { skip: skip ?? false }, () => {
  let sim;
  let browser;

  before(async () => {
    requireBuilt();
    sim = await startSim([...REAL_HOST_FLAGS, ...OAUTH_CLIENT]);
    // The website session lets the authorize page go straight to its Approve button.
    browser = await signedInBrowser(sim);
  });

  after(async () => {
    await browser?.close();
    sim?.stop();
  });

  test('a bearer token bungie.net refuses as expired is refreshed, and the request retried', async () => {
    const page = await browser.context.newPage();
    await page.goto(extensionUrl('options.html'));
    const set = await ask(page, {
      type: 'set_options',
      options: { signInMode: 'oauth', oauthClientId: CLIENT_ID, oauthClientSecret: CLIENT_SECRET },
    });
    assert.equal(set.ok, true, JSON.stringify(set));
    const authorizing = authorizePage(browser.context);
    const answer = ask(page, { type: 'sign_in', method: 'oauth' });
    await (await authorizing).locator('#approve').click();
    const signedIn = await answer;
    assert.equal(signedIn.ok, true, JSON.stringify(signedIn));
    assert.deepEqual([signedIn.signedIn, signedIn.authMode], [true, 'oauth']);

    // An hour later on bungie.net's clock the token is refused; Courier refreshes it and goes on.
    await sim.control('clock', { advanceSeconds: 3601 });
    await sim.control('log', undefined, 'DELETE');
    const refreshed = await ask(page, { type: 'refresh' });
    assert.equal(refreshed.ok, true, JSON.stringify(refreshed));
    const log = await sim.control('log');
    assert.equal(log.find((entry) => entry.path === TOKEN_PATH)?.body.grant_type, 'refresh_token');
    const profiles = log.filter((entry) => PROFILE_PATH.test(entry.path));
    assert.ok(profiles.length >= 2, 'the refused read, then the retried one');
    assert.equal(profiles.at(-1).errorCode, 1);
    assert.equal(profiles.at(-1).auth, 'bearer');

    const stored = await page.evaluate(async () => JSON.stringify(await chrome.storage.local.get('oauthTokens')));
    assert.ok(stored.includes('accessToken'), 'the tokens are kept in extension storage');
    await page.close();
  });
});
