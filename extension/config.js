// Build-time defaults. `cargo xtask dist` writes its own copy of this file into dist/ (the API
// key from COURIER_API_KEY); this committed copy is the sandbox's.

/** The bungie.net API key used until the options page sets another. */
export const DEFAULT_API_KEY = 'sandbox-api-key';

/** Where bungie.net is, until the options page says otherwise. */
export const DEFAULT_BUNGIE_ORIGIN = 'https://www.bungie.net';
