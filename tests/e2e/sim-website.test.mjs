// The simulator's bungie.net website in a real browser: a person signs in with PlayStation on
// the real host names and leaves the three bungie.net session cookies in the browser.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { browserMissing, launch } from './lib/browser.mjs';
import { startSim } from './lib/sim.mjs';

const skip = browserMissing();
let sim;
let browser;

before(async () => {
  if (skip) return;
  sim = await startSim([
    '--https', '127.0.0.1:0',
    '--bungie-origin', 'https://www.bungie.net',
    '--psn-origin', 'https://auth.api.sonyentertainmentnetwork.com',
  ]);
  browser = await launch(sim);
});

after(async () => {
  await browser?.close();
  sim?.stop();
});

test('a person signs in on the website and keeps the session cookies', { skip: skip ?? false }, async () => {
  const page = await browser.context.newPage();
  await page.goto('https://www.bungie.net/');
  await page.getByRole('link', { name: 'Sign in with PlayStation' }).click();
  await page.waitForURL(/^https:\/\/auth\.api\.sonyentertainmentnetwork\.com\/login\.jsp/);

  // A wrong password first: Sony says so on its own page and nothing is set on bungie.net.
  await page.locator('input[name="j_username"]').fill('guardian@example.com');
  await page.locator('input[name="j_password"]').fill('not-the-password');
  await page.locator('form').evaluate((form) => form.requestSubmit());
  await page.waitForURL(/authentication_error=true/);
  assert.equal((await browser.context.cookies('https://www.bungie.net')).length, 0);

  await page.locator('input[name="j_username"]').fill('guardian@example.com');
  await page.locator('input[name="j_password"]').fill('sandbox-password');
  await page.locator('form').evaluate((form) => form.requestSubmit());
  await page.waitForURL('https://www.bungie.net/');
  await page.getByText('SandboxGuardian').first().waitFor();

  const cookies = await browser.context.cookies('https://www.bungie.net');
  const byName = Object.fromEntries(cookies.map((c) => [c.name, c]));
  for (const name of ['bungled', 'bungleatk', 'bungledid']) {
    assert.ok(byName[name], `${name} is set`);
    assert.equal(byName[name].domain, 'www.bungie.net', `${name} is host-only`);
    assert.equal(byName[name].secure, true, `${name} is Secure over HTTPS`);
  }
  assert.equal(byName.bungleatk.httpOnly, true);
  assert.equal(byName.bungled.httpOnly, false);

  // The browser's session works on the Platform API, with X-CSRF equal to bungled.
  const answer = await page.evaluate(async ([apiKey, csrf]) => {
    const response = await fetch('/Platform/User/GetMembershipsForCurrentUser/', {
      headers: { 'X-API-Key': apiKey, 'X-CSRF': csrf },
      credentials: 'include',
    });
    return response.json();
  }, [sim.apiKey, byName.bungled.value]);
  assert.equal(answer.ErrorCode, 1, answer.Message);
  assert.equal(answer.Response.bungieNetUser.displayName, 'SandboxGuardian');

  const log = await sim.control('log');
  const login = log.filter((entry) => entry.path === '/login.do');
  assert.equal(login.length, 2, 'one wrong and one right password');
  assert.ok(login.every((entry) => entry.body.j_password === '(redacted)'), 'passwords never reach the log');
});
