// Signing in from the popup with PlayStation, scenarios 2 to 4: through the real native host when
// it is installed (the password goes to the host and nowhere else), a wrong password that leaves
// nothing behind, and the install instructions when the host is not there.
import assert from 'node:assert/strict';

import { byTestId, popupSettled } from './lib/popup.mjs';
import { platformCalls } from './lib/requests.mjs';
import { scenario } from './lib/scenario.mjs';
import { DEMO_PLAYER } from './lib/website.mjs';

/** The pages of the PlayStation sign-in, bungie.net's and Sony's. */
const SIGN_IN_PATHS = ['/en/User/SignIn/Psnid', '/2.0/oauth/authorize', '/login.jsp', '/login.do'];
/** The ones the host goes through, in order (it posts Sony's form without loading its page). */
const HOST_SIGN_IN = ['/en/User/SignIn/Psnid', '/2.0/oauth/authorize', '/login.do'];
/** The bungie.net session cookies. */
const SESSION_COOKIES = ['bungleatk', 'bungled', 'bungledid'];

/** Fills the popup's PlayStation form and submits it. */
async function submitPlayStation(page, { username, password }) {
  const form = byTestId(page, 'psn-form');
  await form.locator('input[name="username"]').fill(username);
  await form.locator('input[name="password"]').fill(password);
  await form.getByRole('button', { name: 'Sign in with PlayStation' }).click();
}

/**
 * The bungie.net session cookies in the browser's jar, as the extension's worker reads them.
 * (By name: `chrome.cookies.getAll` leaves out the ones the host got over the simulator's plain
 * HTTP, which carry no Secure flag.)
 */
async function jarCookies(run) {
  const worker = await run.worker();
  const found = await worker.evaluate((names) => Promise.all(
    names.map((name) => chrome.cookies.get({ url: 'https://www.bungie.net/', name })),
  ), SESSION_COOKIES);
  return found.filter(Boolean);
}

scenario('2. No browser session: the popup offers PlayStation sign-in, the native host runs it, the three cookies land in the browser\'s jar and the inventory loads', { host: true }, async (run) => {
  const page = await run.popup('signed-out');
  assert.equal(await byTestId(page, 'psn-form').isVisible(), true, 'the popup offers PlayStation sign-in');
  assert.deepEqual(await jarCookies(run), [], 'no bungie.net session to begin with');

  await submitPlayStation(page, DEMO_PLAYER);
  await popupSettled(page);

  const log = await run.log();
  const signIn = log.filter((entry) => SIGN_IN_PATHS.includes(entry.path));
  assert.deepEqual([...new Set(signIn.map((entry) => entry.path))], HOST_SIGN_IN, 'the host went through bungie.net and Sony');
  const logins = signIn.filter((entry) => entry.path === '/login.do');
  assert.equal(logins.length, 1, 'one sign-in at Sony');
  assert.equal(logins[0].body.j_username, DEMO_PLAYER.username);
  assert.equal(logins[0].origin, null, 'the host, not a browser page, posted the password');
  assert.ok(signIn.some((entry) => entry.path === '/en/User/SignIn/Psnid' && /(^|&)code=/.test(entry.query ?? '')),
    'bungie.net got the code back and set its cookies');

  const jar = await jarCookies(run);
  assert.deepEqual(jar.map((c) => c.name).sort(), SESSION_COOKIES, 'the three cookies are in the jar');
  assert.ok(jar.every((c) => c.domain === 'www.bungie.net' && c.hostOnly), JSON.stringify(jar));
  const contextNames = (await run.context.cookies('https://www.bungie.net')).map((c) => c.name).sort();
  assert.deepEqual(contextNames, SESSION_COOKIES, 'pages see the same cookies');

  // The inventory loaded with that session: the simulator answered the popup's profile read.
  const bungled = jar.find((c) => c.name === 'bungled').value;
  const profiles = platformCalls(log).filter((entry) => /\/Profile\/\d+\/$/.test(entry.path));
  assert.ok(profiles.length > 0 && profiles.every((e) => e.errorCode === 1 && e.csrf === bungled && e.bungled === bungled),
    JSON.stringify(profiles.map((e) => [e.errorCode, e.auth])));
  const world = await run.world();
  const shown = await byTestId(page, 'character').evaluateAll((els) => els.map((el) => el.dataset.characterId));
  assert.deepEqual(shown.sort(), world.characters.map((c) => c.id).sort());
  assert.ok(await byTestId(page, 'item').count() > 0, 'the gear is drawn');

  const worker = await run.worker();
  const stored = await worker.evaluate(async () => JSON.stringify(await chrome.storage.local.get(null)));
  assert.equal(stored.includes(DEMO_PLAYER.password), false, 'the password is stored nowhere');
});

scenario('3. Wrong password: a clear sentence in the popup, no cookies set, and nothing but the sign-in called', { host: true }, async (run) => {
  const page = await run.popup('signed-out');
  await submitPlayStation(page, { ...DEMO_PLAYER, password: 'not-the-password' });
  const error = byTestId(page, 'error', { kind: 'invalid_credentials' });
  await error.waitFor({ timeout: 30_000 });
  const sentence = (await error.innerText()).trim();
  assert.match(sentence, /password/i, 'the sentence says what was wrong');
  assert.match(sentence, /^[A-Z].*[.!]$/s, `a whole sentence: ${sentence}`);
  assert.equal(await page.locator('input[name="password"]').inputValue(), '', 'the password is not kept in the form');
  assert.equal(await byTestId(page, 'popup').getAttribute('data-state'), 'signed-out');

  assert.deepEqual(await jarCookies(run), [], 'no cookie in the jar');
  assert.deepEqual(await run.context.cookies(), [], 'no cookie anywhere in the browser');

  const log = await run.log();
  assert.deepEqual(platformCalls(log), [], 'no Platform call');
  const paths = log.map((entry) => entry.path);
  assert.ok(paths.every((p) => SIGN_IN_PATHS.includes(p)), `only the sign-in was called: ${paths.join(', ')}`);
  const logins = log.filter((entry) => entry.path === '/login.do');
  assert.equal(logins.length, 1, 'one try at Sony');
  assert.equal(logins[0].body.j_password, '(redacted)');
  assert.equal(log.some((entry) => entry.path === '/en/User/SignIn/Psnid' && /(^|&)code=/.test(entry.query ?? '')), false,
    'bungie.net never got a code');
});

scenario('4. Native host not installed: the popup says how to install it', {}, async (run) => {
  const page = await run.popup('signed-out');
  assert.equal(await byTestId(page, 'host-help').isHidden(), true, 'no install help before it is needed');
  await submitPlayStation(page, DEMO_PLAYER);
  await byTestId(page, 'error', { kind: 'host_missing' }).waitFor();
  assert.match(await byTestId(page, 'error').textContent(), /courier-host install/);
  assert.equal(await byTestId(page, 'host-help').isVisible(), true);
  assert.match(await byTestId(page, 'host-help').textContent(), /courier-host install/);
  assert.equal(await page.locator('input[name="password"]').inputValue(), '', 'the password is not kept in the form');
  assert.deepEqual(await run.log(), [], 'nothing reached bungie.net or Sony');
  assert.deepEqual(await jarCookies(run), []);
});
