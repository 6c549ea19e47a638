// Arrow-key movement between items laid out in rows.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { itemTowards } from '../../extension/lib/grid.js';

// Two rows: a b c on top, d e below (e sits under b and c, nearer to b).
const boxes = {
  a: { top: 0, left: 0 }, b: { top: 0, left: 50 }, c: { top: 0, left: 100 },
  d: { top: 50, left: 0 }, e: { top: 50, left: 60 },
};
const items = Object.keys(boxes);
const boxOf = (item) => ({ ...boxes[item], height: 44, bottom: boxes[item].top + 44 });
const go = (from, key) => itemTowards(items, from, key, boxOf);

test('left and right step through reading order, Home and End jump to the ends', () => {
  assert.equal(go('b', 'ArrowRight'), 'c');
  assert.equal(go('c', 'ArrowRight'), 'd', 'the end of a row continues on the next');
  assert.equal(go('a', 'ArrowLeft'), null);
  assert.equal(go('c', 'Home'), 'a');
  assert.equal(go('a', 'End'), 'e');
});

test('up and down go to the nearest item in the next row, or nowhere', () => {
  assert.equal(go('b', 'ArrowDown'), 'e');
  assert.equal(go('c', 'ArrowDown'), 'e');
  assert.equal(go('a', 'ArrowDown'), 'd');
  assert.equal(go('e', 'ArrowUp'), 'b');
  assert.equal(go('d', 'ArrowDown'), null);
  assert.equal(go('a', 'ArrowUp'), null);
  assert.equal(go('a', 'Tab'), null);
});
