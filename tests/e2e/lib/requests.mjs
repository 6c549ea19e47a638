// What the simulator's request log (`GET /__sim/log`) says about the requests that reached it.

/** bungie.net's transfer endpoint, as the simulator logs it. */
export const TRANSFER_PATH = '/Platform/Destiny2/Actions/Items/TransferItem/';

/** Where bungie.net's item actions live. */
export const ACTIONS_PREFIX = '/Platform/Destiny2/Actions/';

/** A GetProfile request's path. */
export const PROFILE_PATH = /^\/Platform\/Destiny2\/\d+\/Profile\/\d+\/$/;

/** ErrorCode 36, ThrottleLimitExceededMomentarily. */
export const THROTTLED = 36;

/** The log's TransferItem calls. */
export function transfers(log) {
  return log.filter((entry) => entry.path === TRANSFER_PATH);
}

/** The log's item actions (transfer, equip, lock, pull, ...). */
export function actions(log) {
  return log.filter((entry) => entry.path.startsWith(ACTIONS_PREFIX));
}

/** The log's Platform API calls. */
export function platformCalls(log) {
  return log.filter((entry) => entry.path.startsWith('/Platform/'));
}

/** How many of `entries` name each item id (`body.itemId`), as a Map of id text to count. */
export function countByItem(entries) {
  const counts = new Map();
  for (const entry of entries) {
    const id = String(entry.body?.itemId);
    counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return counts;
}
