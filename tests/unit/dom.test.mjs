// The pages' element helpers that need no document: CSS url() text for background images.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { cssUrl } from '../../extension/lib/dom.js';

test('a URL becomes a CSS url() whose string nothing in the URL can end or escape', () => {
  assert.equal(cssUrl('https://www.bungie.net/common/icon.jpg'), 'url("https://www.bungie.net/common/icon.jpg")');
  assert.equal(cssUrl('https://x.test/a?b"c\\d'), 'url("https://x.test/a?b\\22 c\\5c d")');
  assert.equal(cssUrl('https://x.test/\n'), 'url("https://x.test/\\a ")');
});
