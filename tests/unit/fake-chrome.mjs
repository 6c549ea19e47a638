// A small in-memory stand-in for the parts of chrome.* that extension/lib/browser.js calls, so the
// extension's modules run under Node's test runner. Each test installs a fresh one.

const EXTENSION_ID = 'nikakecbkkfjobcpnlceoecocaphahof';

function events() {
  const listeners = [];
  return {
    listeners,
    addListener: (listener) => listeners.push(listener),
  };
}

/** Installs a fresh fake as globalThis.chrome and returns it (with inspection helpers). */
export function installFakeChrome({ nativeAnswer } = {}) {
  const store = new Map();
  const cookieJar = new Map();
  const alarmTimes = new Map();
  const menus = new Map();
  const badges = [];
  const shownNotifications = [];
  const nativeMessages = [];
  const cookieKey = (url, name) => `${new URL(url).origin}|${name}`;
  const fake = {
    store,
    cookieJar,
    alarmTimes,
    menus,
    badges,
    shownNotifications,
    nativeMessages,
    nativeAnswer: nativeAnswer ?? null,
    authRedirect: null,
    runtime: {
      id: EXTENSION_ID,
      lastError: undefined,
      getURL: (path) => `chrome-extension://${EXTENSION_ID}/${path}`,
      onMessage: events(),
      onInstalled: events(),
      onStartup: events(),
      sendNativeMessage(host, message, callback) {
        nativeMessages.push({ host, message });
        const answer = typeof fake.nativeAnswer === 'function' ? fake.nativeAnswer(message) : fake.nativeAnswer;
        queueMicrotask(() => {
          if (answer?.lastError) {
            fake.runtime.lastError = { message: answer.lastError };
            callback(undefined);
            fake.runtime.lastError = undefined;
          } else {
            callback(answer);
          }
        });
      },
      sendMessage: async () => undefined,
      openOptionsPage: async () => {},
    },
    storage: {
      local: {
        async get(keys) {
          const wanted = keys === null || keys === undefined ? [...store.keys()] : [keys].flat();
          const found = {};
          for (const key of wanted) if (store.has(key)) found[key] = structuredClone(store.get(key));
          return found;
        },
        async set(values) {
          for (const [key, value] of Object.entries(values)) store.set(key, structuredClone(value));
        },
        async remove(keys) {
          for (const key of [keys].flat()) store.delete(key);
        },
      },
    },
    cookies: {
      async get({ url, name }) {
        return cookieJar.get(cookieKey(url, name)) ?? null;
      },
      async getAll({ url }) {
        const origin = new URL(url).origin;
        return [...cookieJar.entries()].filter(([key]) => key.startsWith(`${origin}|`)).map(([, c]) => c);
      },
      async set(details) {
        const cookie = { ...details, domain: details.domain ?? new URL(details.url).hostname };
        cookieJar.set(cookieKey(details.url, details.name), cookie);
        return cookie;
      },
      async remove({ url, name }) {
        cookieJar.delete(cookieKey(url, name));
        return { url, name };
      },
    },
    alarms: {
      async create(name, info) { alarmTimes.set(name, info); },
      async clear(name) { return alarmTimes.delete(name); },
      onAlarm: events(),
    },
    contextMenus: {
      create(properties, callback) {
        if (menus.has(properties.id)) fake.runtime.lastError = { message: `Cannot create item with duplicate id ${properties.id}` };
        else menus.set(properties.id, { ...properties });
        callback?.();
        fake.runtime.lastError = undefined;
      },
      async update(id, properties) {
        if (!menus.has(id)) throw new Error(`Cannot find menu item with id ${id}`);
        menus.set(id, { ...menus.get(id), ...properties });
      },
      async removeAll() { menus.clear(); },
      onClicked: events(),
    },
    action: {
      async setBadgeText({ text }) { badges.push(text); },
      async setBadgeBackgroundColor() {},
    },
    notifications: {
      async create(options) { shownNotifications.push(options); return 'n1'; },
    },
    identity: {
      getRedirectURL: () => `https://${EXTENSION_ID}.chromiumapp.org/`,
      async launchWebAuthFlow({ url }) {
        if (!fake.authRedirect) throw new Error('The user did not approve access.');
        return fake.authRedirect(url);
      },
    },
  };
  globalThis.chrome = fake;
  return fake;
}

/** The fake's extension id. */
export const FAKE_EXTENSION_ID = EXTENSION_ID;
