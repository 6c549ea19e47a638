// Signing in from the popup with PlayStation: through the real native host when it is
// installed (the password goes to the host and nowhere else), and the install instructions when
// it is not.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { browserMissing, extensionWorker, launch } from './lib/browser.mjs';
import { DIST, hostEnv, installHost, requireBuilt } from './lib/extension.mjs';
import { byTestId, openPopup, popupSettled } from './lib/popup.mjs';
import { REAL_HOST_FLAGS, startSim } from './lib/sim.mjs';
import { DEMO_PLAYER } from './lib/website.mjs';

const skip = browserMissing();
let sim;

before(async () => {
  if (skip) return;
  requireBuilt();
  sim = await startSim(REAL_HOST_FLAGS);
});

after(() => sim?.stop());

/** Fills the popup's PlayStation form and submits it. */
async function submitPlayStation(page, { username, password }) {
  const form = byTestId(page, 'psn-form');
  await form.locator('input[name="username"]').fill(username);
  await form.locator('input[name="password"]').fill(password);
  await form.getByRole('button', { name: 'Sign in with PlayStation' }).click();
}

test('without the native host, the popup says how to install it', { skip: skip ?? false }, async () => {
  const browser = await launch(sim, { extension: DIST });
  try {
    const page = await openPopup(browser.context, 'signed-out');
    assert.equal(await byTestId(page, 'host-help').isHidden(), true, 'no install help before it is needed');
    await submitPlayStation(page, DEMO_PLAYER);
    await byTestId(page, 'error', { kind: 'host_missing' }).waitFor();
    assert.match(await byTestId(page, 'error').textContent(), /courier-host install/);
    assert.equal(await byTestId(page, 'host-help').isVisible(), true);
    assert.match(await byTestId(page, 'host-help').textContent(), /courier-host install/);
    assert.equal(await page.locator('input[name="password"]').inputValue(), '', 'the password is not kept in the form');
  } finally {
    await browser.close();
  }
});

test('with the native host, PlayStation sign-in leaves a bungie.net session and shows the gear', { skip: skip ?? false }, async () => {
  const profileDir = mkdtempSync(path.join(tmpdir(), 'courier-e2e-sign-in-'));
  await installHost(profileDir, hostEnv(sim));
  const browser = await launch(sim, { extension: DIST, profileDir, env: hostEnv(sim) });
  try {
    const page = await openPopup(browser.context, 'signed-out');
    await submitPlayStation(page, { ...DEMO_PLAYER, password: 'not-the-password' });
    await byTestId(page, 'error', { kind: 'invalid_credentials' }).waitFor({ timeout: 30_000 });
    assert.equal((await browser.context.cookies('https://www.bungie.net')).length, 0);

    await submitPlayStation(page, DEMO_PLAYER);
    await popupSettled(page);
    const state = (await sim.control('state')).world;
    assert.deepEqual(
      (await byTestId(page, 'character').evaluateAll((els) => els.map((el) => el.dataset.characterId))).sort(),
      state.characters.map((c) => c.id).sort(),
    );
    const names = (await browser.context.cookies('https://www.bungie.net')).map((c) => c.name).sort();
    assert.deepEqual(names, ['bungleatk', 'bungled', 'bungledid']);

    const worker = await extensionWorker(browser.context);
    const stored = await worker.evaluate(async () => JSON.stringify(await chrome.storage.local.get(null)));
    assert.equal(stored.includes(DEMO_PLAYER.password), false, 'the password is stored nowhere');
    assert.equal(stored.includes('not-the-password'), false);

    const logins = (await sim.control('log')).filter((entry) => entry.path === '/login.do');
    assert.equal(logins.length, 2, 'the host signed in at Sony twice (a wrong password, then the right one)');
  } finally {
    await browser.close();
    rmSync(profileDir, { recursive: true, force: true });
  }
});
