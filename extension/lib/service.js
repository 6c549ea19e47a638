// The worker's handlers: one per popup/options request, named exactly as core's `PopupRequest`
// (core/src/popup.rs). Each answers `{ok:true, ...}` or `{ok:false, error:{kind, message}}`.
// The wasm core is passed in, so this module loads (and is tested) without it.

import { badge, storageGet, storageSet } from './browser.js';
import { currentSession, refreshRefusedToken, signInOauth, signInPsn, signOut } from './auth.js';
import { CourierError, failure } from './errors.js';
import { createMenuHandler, menuCharacters, retitleMenus } from './menu.js';
import { loadOptions, saveOptions } from './options.js';
import { createRunner } from './runs.js';
import {
  cachedDefinitions, cachedInventory, forgetInventory, offerInventory, saveDefinitions,
} from './state.js';

const LAST_MENU = 'lastMenuResult';
/** How long the popup mentions the last right-click action. */
const MENU_RESULT_MS = 10 * 60 * 1000;

/** The state answer when nobody is signed in. */
export function signedOutSnapshot(authMode) {
  return {
    ok: true,
    signedIn: false,
    authMode,
    characters: [],
    vault: { count: 0, capacity: 0 },
    postmaster: [],
    stale: false,
    mintedAt: null,
    stores: [],
  };
}

const text = (value, what) => {
  if (typeof value !== 'string') throw new CourierError('bad_request', `${what} must be text.`);
  return value;
};
const object = (value, what) => {
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new CourierError('bad_request', `${what} must be an object.`);
  return value;
};

/** The worker's service over the wasm `core`: `dispatch(message)`, the menu handler, resume. */
export function createService(core) {
  async function session() {
    const found = await currentSession();
    if (!found.connection) return found;
    const membership = (await cachedInventory(found.connection.origin))?.membership;
    return { ...found, connection: membership ? { ...found.connection, membership } : found.connection };
  }

  async function signedIn() {
    const found = await session();
    if (!found.connection) {
      throw new CourierError('signed_out', 'You are not signed in to bungie.net. Sign in from Courier\'s toolbar button.');
    }
    return found;
  }

  /** Loads the cached definitions into the core (once the wasm is ready). */
  async function loadDefinitions() {
    const cached = await cachedDefinitions();
    if (cached) core.setDefinitions(cached.bytes);
  }

  /** Fetches newer definitions when the manifest changed; a failure leaves the old ones. */
  async function updateDefinitions(connection) {
    try {
      const cached = await cachedDefinitions();
      const fresh = await core.fetchDefinitions(connection, cached?.version);
      if (fresh) {
        core.setDefinitions(fresh.bytes);
        await saveDefinitions(fresh.version, fresh.bytes);
      }
    } catch {
      // Names and capacities fall back to hashes and defaults until the next refresh works.
    }
  }

  /**
   * The profile; when bungie.net refuses an OAuth token that looked valid, once more with a
   * refreshed one.
   */
  async function fetchProfile(connection) {
    try {
      return { connection, ...(await core.fetchProfile(connection)) };
    } catch (error) {
      if (error?.kind !== 'signed_out' || connection.auth?.kind !== 'bearer' || !(await refreshRefusedToken())) throw error;
      const { connection: retried } = await session();
      return { connection: retried, ...(await core.fetchProfile(retried)) };
    }
  }

  /** Reads the inventory from bungie.net and caches it unless the cached one is newer. */
  async function refreshInventory(given) {
    const { connection, ...profile } = await fetchProfile(given);
    await updateDefinitions(connection);
    const entry = await offerInventory(connection.origin, profile);
    await retitleMenus(menuCharacters(entry));
    return entry;
  }

  /** The cached profile entry, or a fresh one when nothing is cached. */
  async function current() {
    const { connection } = await signedIn();
    return (await cachedInventory(connection.origin)) ?? refreshInventory(connection);
  }

  /** The current inventory's text, for the core. */
  async function inventory() {
    return (await current()).inventory;
  }

  /**
   * The signed-in answer for a cached `entry`, with `savedAt` (when the worker cached it) so the
   * popup can tell a copy it already shows from a new one (the popup keeps what it draws as its
   * next first view; the right-click result is for this answer only).
   */
  async function snapshotOf(entry, authMode, stale) {
    const [options, { [LAST_MENU]: menu }] = await Promise.all([loadOptions(), storageGet(LAST_MENU)]);
    const recent = menu && Date.now() - menu.at < MENU_RESULT_MS ? menu : null;
    const snapshot = {
      ...core.snapshot(entry.inventory, true, authMode, stale),
      origin: options.bungieOrigin,
      signInMode: options.signInMode,
      savedAt: entry.savedAt ?? null,
    };
    return { ...snapshot, menuResult: recent };
  }

  async function signedOut(authMode) {
    const options = await loadOptions();
    return { ...signedOutSnapshot(authMode), origin: options.bungieOrigin, signInMode: options.signInMode, menuResult: null };
  }

  const runner = createRunner({
    core,
    connect: async () => (await session()).connection,
    onFinished: async (run) => {
      if (!run.profile) return;
      const options = await loadOptions();
      await offerInventory(options.bungieOrigin, run.profile);
    },
  });

  const handleMenuClick = createMenuHandler({
    core,
    current,
    run: async (current, intent) => {
      const started = await runner.start(current, [intent], 'never');
      await runner.finished(started.id);
      return runner.progress(started.id);
    },
    remember: (outcome) => storageSet({ [LAST_MENU]: { ok: outcome.ok, message: outcome.message, at: Date.now() } }),
  });

  const handlers = {
    async state() {
      // The popup is open: its badge goes while the session is looked up. The cached inventory
      // is read once, below (session() would read it first for the membership it holds).
      const [{ connection, authMode }] = await Promise.all([currentSession(), badge('')]);
      if (!connection) return signedOut(authMode);
      const cached = await cachedInventory(connection.origin);
      if (cached) return snapshotOf(cached, authMode, true);
      try {
        return await snapshotOf(await refreshInventory(connection), authMode, false);
      } catch (error) {
        if (error?.kind === 'signed_out') return signedOut(authMode);
        throw error;
      }
    },

    async refresh() {
      const { connection, authMode } = await signedIn();
      return snapshotOf(await refreshInventory(connection), authMode, false);
    },

    async search(message) {
      const result = core.search(await inventory(), text(message.query, 'The search'));
      return { ok: true, ...result };
    },

    async plan(message) {
      const options = await loadOptions();
      const allowed = message.allowMakeRoom ?? options.makeRoom === 'allowed';
      const plan = core.plan(await inventory(), object(message.intent, 'The intent'), allowed ? 'allowed' : 'never');
      return { ok: true, plan };
    },

    async run(message) {
      const intent = object(message.intent, 'The intent');
      const run = await runner.start(await inventory(), [intent], message.allowMakeRoom === true ? 'allowed' : 'never');
      return { ok: true, runId: run.id };
    },

    async progress(message) {
      return runner.progress(text(message.runId, 'The run id'));
    },

    async cancel(message) {
      return runner.cancel(text(message.runId, 'The run id'));
    },

    async xur() {
      const { connection } = await signedIn();
      const cached = await cachedInventory(connection.origin);
      const digest = await core.fetchXur(connection, cached?.inventory);
      return { ok: true, ...digest };
    },

    async sign_in(message) {
      if (message.method === 'psn') await signInPsn(message);
      else if (message.method === 'oauth') await signInOauth();
      else throw new CourierError('bad_request', 'sign_in\'s method must be "psn" or "oauth".');
      await forgetInventory();
      const { connection, authMode } = await signedIn();
      return snapshotOf(await refreshInventory(connection), authMode, false);
    },

    async sign_out() {
      await signOut();
      await forgetInventory();
      await retitleMenus([]);
      return { ok: true };
    },

    async options() {
      return { ok: true, options: await loadOptions() };
    },

    async set_options(message) {
      const before = await loadOptions();
      const options = await saveOptions(object(message.options, 'options'));
      if (options.bungieOrigin !== before.bungieOrigin) {
        await forgetInventory();
        await retitleMenus([]);
      }
      return { ok: true, options };
    },
  };

  /** Answers one request from the extension's pages. */
  async function dispatch(message) {
    const type = message?.type;
    if (typeof type !== 'string' || !Object.hasOwn(handlers, type)) {
      return failure(new CourierError('bad_request', `Courier's worker does not know the request ${JSON.stringify(type)}.`));
    }
    try {
      return await handlers[type](message);
    } catch (error) {
      return failure(error);
    }
  }

  return { dispatch, handleMenuClick, loadDefinitions, resume: runner.resume };
}
