// Rules of the extension's code that hold file by file: one module touches the browser API, no
// markup is ever built from strings, the worker registers its listeners at the top level, and
// the manifest keeps its pinned key and the permissions the features need.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';

const EXTENSION = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../extension');
const PINNED_ID = 'nikakecbkkfjobcpnlceoecocaphahof';

/** Every JavaScript file of the extension, relative to its folder, with its text. */
function sources() {
  const found = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.js')) found.push({ file: path.relative(EXTENSION, full), text: readFileSync(full, 'utf8') });
    }
  };
  walk(EXTENSION);
  return found;
}

/** The text without comments (so a comment may name what the code must not do). */
const code = (text) => text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:])\/\/.*$/gm, '$1');

test('only lib/browser.js touches chrome.* or browser.*', () => {
  const touching = sources()
    .filter(({ file, text }) => file !== path.join('lib', 'browser.js') && /\b(chrome|browser)\s*\.\s*(runtime|storage|cookies|alarms|contextMenus|menus|action|notifications|identity|tabs|permissions|i18n)\b/.test(code(text)))
    .map(({ file }) => file);
  assert.deepEqual(touching, []);
});

test('no markup is built from strings anywhere', () => {
  const building = sources()
    .filter(({ text }) => /\b(innerHTML|outerHTML|insertAdjacentHTML|document\.write|createContextualFragment|DOMParser)\b/.test(code(text)))
    .map(({ file }) => file);
  assert.deepEqual(building, []);
});

test('the worker registers every listener at the top level and awaits nothing there', () => {
  const worker = code(readFileSync(path.join(EXTENSION, 'background.js'), 'utf8'));
  assert.match(worker, /^import init, \* as core from '\.\/wasm\/courier_wasm\.js';$/m, 'the wasm core is a static import');
  for (const listener of ['onMessage', 'onMenuClicked', 'onAlarm', 'onInstalled', 'onStartup']) {
    assert.match(worker, new RegExp(`^${listener}\\(`, 'm'), `${listener} is registered at the top level`);
  }
  const topLevel = worker.split('\n').filter((line) => /^\S/.test(line));
  assert.deepEqual(topLevel.filter((line) => /\bawait\b/.test(line)), [], 'no top-level await');
  assert.doesNotMatch(worker, /\bimport\(/, 'no dynamic import (refused in service workers)');
});

test('the manifest keeps the pinned key, MV3 entry points, permissions and the wasm CSP', () => {
  const manifest = JSON.parse(readFileSync(path.join(EXTENSION, 'manifest.json'), 'utf8'));
  assert.equal(manifest.manifest_version, 3);
  assert.deepEqual(manifest.background, { service_worker: 'background.js', type: 'module' });
  assert.equal(manifest.action.default_popup, 'popup.html');
  assert.equal(manifest.options_ui.page, 'options.html');
  for (const permission of ['cookies', 'contextMenus', 'nativeMessaging', 'storage', 'alarms', 'identity']) {
    assert.ok(manifest.permissions.includes(permission), permission);
  }
  for (const host of ['https://www.bungie.net/*', 'https://*.bungie.net/*', 'http://127.0.0.1/*', 'http://localhost/*']) {
    assert.ok(manifest.host_permissions.includes(host), host);
  }
  assert.equal(manifest.content_security_policy.extension_pages, "script-src 'self' 'wasm-unsafe-eval'; object-src 'self'");
  // The id is the first 32 hex digits of sha256(DER key), 0-f mapped to a-p.
  const digest = createHash('sha256').update(Buffer.from(manifest.key, 'base64')).digest('hex').slice(0, 32);
  assert.equal([...digest].map((c) => String.fromCharCode(97 + parseInt(c, 16))).join(''), PINNED_ID);
  for (const icon of Object.values(manifest.icons)) readFileSync(path.join(EXTENSION, icon));
});
