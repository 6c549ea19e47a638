// The options: defaults, validation of what the options page sends, storage.
import assert from 'node:assert/strict';
import { beforeEach, test } from 'node:test';

import { installFakeChrome } from './fake-chrome.mjs';
import { defaultOptions, loadOptions, normalizeOrigin, saveOptions, validateOptions } from '../../extension/lib/options.js';

beforeEach(() => installFakeChrome());

test('the defaults come from config.js', () => {
  assert.deepEqual(defaultOptions(), {
    signInMode: 'session',
    apiKey: 'sandbox-api-key',
    bungieOrigin: 'https://www.bungie.net',
    makeRoom: 'never',
    oauthClientId: '',
    oauthClientSecret: '',
  });
});

test('an origin is reduced to scheme, host and port, and only bungie.net or loopback pass', () => {
  assert.equal(normalizeOrigin('https://www.bungie.net/'), 'https://www.bungie.net');
  assert.equal(normalizeOrigin(' http://127.0.0.1:41234/en/ '), 'http://127.0.0.1:41234');
  assert.equal(normalizeOrigin('http://localhost:8080'), 'http://localhost:8080');
  assert.throws(() => normalizeOrigin('http://www.bungie.net'), { kind: 'bad_options' }, 'bungie.net only over https');
  assert.throws(() => normalizeOrigin('https://evil.example'), { kind: 'bad_options', message: /not https:\/\/evil\.example/ });
  assert.throws(() => normalizeOrigin('https://bungie.net.evil.example'), { kind: 'bad_options' });
  assert.throws(() => normalizeOrigin('not a url'), { kind: 'bad_options', message: /not a web address/ });
});

test('validation merges over the current options, trims, and falls back to defaults for empty fields', () => {
  const current = { ...defaultOptions(), apiKey: 'mine', makeRoom: 'allowed' };
  const options = validateOptions({ apiKey: '  ', oauthClientId: ' 123 ', bungieOrigin: '' }, current);
  assert.equal(options.apiKey, 'sandbox-api-key', 'an empty key means the built-in one');
  assert.equal(options.oauthClientId, '123');
  assert.equal(options.makeRoom, 'allowed', 'unsent fields keep their value');
  assert.equal(options.bungieOrigin, 'https://www.bungie.net');
  assert.throws(() => validateOptions({ makeRoom: 'always' }), { kind: 'bad_options', message: /never, allowed/ });
  assert.throws(() => validateOptions({ signInMode: 'magic' }), { kind: 'bad_options' });
  assert.throws(() => validateOptions({ apiKey: 5 }), { kind: 'bad_options', message: /must be text/ });
  assert.throws(() => validateOptions(null), { kind: 'bad_options' });
});

test('saved options are what loads next, and unreadable stored options fall back to defaults', async () => {
  const fake = installFakeChrome();
  const saved = await saveOptions({ bungieOrigin: 'http://127.0.0.1:9000/', signInMode: 'oauth' });
  assert.equal(saved.bungieOrigin, 'http://127.0.0.1:9000');
  assert.deepEqual(await loadOptions(), saved);
  fake.store.set('options', { makeRoom: 'sometimes' });
  assert.deepEqual(await loadOptions(), defaultOptions());
});
