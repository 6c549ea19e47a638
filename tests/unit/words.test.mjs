// The sentences Courier shows.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { errorSentence, formatDuration, placeName, refusalSentence, runSummary } from '../../extension/lib/words.js';

const characters = [{ id: '1', className: 'Titan' }, { id: '2', className: 'Warlock' }];

test('errors read as sentences by kind, else as core wrote them', () => {
  assert.match(errorSentence({ kind: 'host_missing', message: 'x' }), /courier-host install/);
  assert.match(errorSentence({ kind: 'signed_out', message: 'x' }), /Sign in/);
  assert.match(errorSentence({ kind: 'bad_api_key', message: 'x' }), /options/);
  assert.equal(errorSentence({ kind: 'throttled', message: 'Wait 10 seconds.' }), 'Wait 10 seconds.');
  assert.match(errorSentence({ kind: 'weird' }), /weird/);
  assert.match(errorSentence(null), /Try again/);
});

test('places and refusals', () => {
  assert.equal(placeName('vault', characters), 'the vault');
  assert.equal(placeName('2', characters), 'your Warlock');
  assert.equal(placeName({ kind: 'postmaster', characterId: '1' }, characters), "your Titan's postmaster");
  assert.equal(placeName({ kind: 'character', characterId: '9' }, characters), 'your character');
  assert.equal(refusalSentence({ kind: 'no_room', place: 'The vault' }), 'The vault is full. Allow Courier to make room, or move something out first.');
  assert.equal(refusalSentence({ kind: 'wrong_class', name: 'Vest', class: 'Hunter', characterClass: 'Titan' }), 'Vest is Hunter gear and cannot go to a Titan.');
  assert.equal(refusalSentence({ kind: 'invalid', reason: 'Bad amount.' }), 'Bad amount.');
  assert.equal(refusalSentence({ kind: 'no_room', message: 'Core said so.' }), 'Core said so.');
});

test('durations and run summaries', () => {
  assert.equal(formatDuration(0), '');
  assert.equal(formatDuration(2100), 'about 3 s');
  assert.equal(formatDuration(150_000), 'about 3 min');
  assert.deepEqual(runSummary({ report: { intents: [{ done: true }], movedAside: [{}], stepsDone: 3 } }),
    { ok: true, text: 'Done: 3 actions done; 1 item was moved aside to make room.', failures: [] });
  const failed = runSummary({ report: { intents: [{ done: false, message: 'The vault is full.' }], stepsDone: 1 } });
  assert.equal(failed.ok, false);
  assert.deepEqual(failed.failures, ['The vault is full.']);
  assert.equal(runSummary({ report: null, cancelled: true }).text, 'Cancelled after 0 actions done.');
  assert.match(runSummary({ report: null, error: { kind: 'signed_out' } }).text, /^Stopped: You are signed out/);
});

test('a failed bulk move names each item that did not get there, with its reason', () => {
  const report = {
    stepsDone: 1,
    intents: [{
      done: false,
      message: 'bungie.net failed 4 times in a row; try again later.',
      items: [
        { itemId: '1', itemHash: 10, location: { kind: 'vault' } },
        { itemId: '2', itemHash: 20, failure: { kind: 'unavailable', message: 'bungie.net failed 4 times in a row; try again later.' } },
        { itemId: '3', itemHash: 30, failure: { kind: 'not_tried', message: 'Courier did not try this one.' } },
      ],
    }],
  };
  const names = { 10: 'Thorn', 20: 'Ace of Spades', 30: 'Riskrunner' };
  assert.deepEqual(runSummary({ report }, (end) => names[end.itemHash]).failures, [
    'Ace of Spades: bungie.net failed 4 times in a row; try again later.',
    'Riskrunner: Courier did not try this one.',
  ]);
  assert.deepEqual(runSummary({ report }).failures, ['bungie.net failed 4 times in a row; try again later.'],
    'without names, the part\'s reason alone');
});
