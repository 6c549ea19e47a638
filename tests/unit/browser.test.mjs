// The chrome.* wrapper: who may talk to the worker, native-messaging failures, messages.
import assert from 'node:assert/strict';
import { beforeEach, test } from 'node:test';

import { FAKE_EXTENSION_ID, installFakeChrome } from './fake-chrome.mjs';
import { isOwnSender, nativeError, onMessage, sendNative } from '../../extension/lib/browser.js';

let fake;
beforeEach(() => { fake = installFakeChrome(); });

const own = { id: FAKE_EXTENSION_ID, url: `chrome-extension://${FAKE_EXTENSION_ID}/popup.html` };

test('only the extension\'s own pages are its senders', () => {
  assert.equal(isOwnSender(own), true);
  assert.equal(isOwnSender({ id: FAKE_EXTENSION_ID, url: 'https://www.light.gg/db/items/1/' }), false, 'a content script on a web page');
  assert.equal(isOwnSender({ id: 'another-extension', url: `chrome-extension://another-extension/x.html` }), false);
  assert.equal(isOwnSender({ id: FAKE_EXTENSION_ID }), false);
  assert.equal(isOwnSender(undefined), false);
});

test('messages from elsewhere get no answer; the extension\'s own get the handler\'s', async () => {
  const handled = [];
  onMessage(async (message) => { handled.push(message); return { ok: true }; });
  const [listener] = fake.runtime.onMessage.listeners;
  const answers = [];
  assert.equal(listener({ type: 'state' }, { id: 'evil', url: 'https://evil.example/' }, (a) => answers.push(a)), false);
  assert.equal(listener({ type: 'state' }, own, (a) => answers.push(a)), true, 'the answer comes later');
  await new Promise((resolve) => { setImmediate(resolve); });
  assert.deepEqual(handled, [{ type: 'state' }]);
  assert.deepEqual(answers, [{ ok: true }]);
});

test('native-messaging failures become typed errors', async () => {
  assert.equal(nativeError('Specified native messaging host not found.').kind, 'host_missing');
  assert.match(nativeError('Specified native messaging host not found.').message, /courier-host install/);
  assert.equal(nativeError('Access to the specified native messaging host is forbidden.').kind, 'host_missing');
  assert.equal(nativeError('Native host has exited.').kind, 'host_failed');
  fake.nativeAnswer = { id: 1, ok: true, version: '0.1.0' };
  assert.deepEqual(await sendNative({ id: 1, type: 'hello' }), { id: 1, ok: true, version: '0.1.0' });
  assert.equal(fake.nativeMessages[0].host, 'dev.courier.host');
  fake.nativeAnswer = { lastError: 'Native host has exited.' };
  await assert.rejects(sendNative({ id: 2, type: 'hello' }), { kind: 'host_failed' });
  fake.nativeAnswer = null;
  await assert.rejects(sendNative({ id: 3, type: 'hello' }), { kind: 'host_failed', message: /without an answer/ });
});
