// The sentences Courier shows: errors by kind, refusals, places, run summaries, durations.
// Pure functions, shared by the worker (notifications) and the popup.

/** Sentences for error kinds that need the extension's own advice; others keep core's message. */
const ERROR_SENTENCES = {
  signed_out: 'You are signed out of bungie.net. Sign in from Courier\'s toolbar button, then try again.',
  host_missing: 'Courier\'s native helper is not installed, so it cannot sign in with PlayStation. Run `courier-host install` (or `cargo xtask install` in a Courier checkout), then try again, or sign in on bungie.net in this browser.',
  bad_api_key: 'bungie.net refused Courier\'s API key. Open Courier\'s options and check the API key (and the OAuth client, if you use one).',
  maintenance: 'bungie.net is down for maintenance. Try again once it is back.',
  not_json: 'bungie.net sent a web page instead of data; it may be down. Try again in a minute.',
  network: 'Courier could not reach bungie.net. Check your connection, then try again.',
};

/** The sentence to show for a failure `{kind, message}`. */
export function errorSentence(error) {
  if (!error) return 'Something went wrong. Try again.';
  const advice = ERROR_SENTENCES[error.kind];
  if (advice) return advice;
  if (typeof error.message === 'string' && error.message) return error.message;
  return `Something went wrong (${error.kind ?? 'unknown'}). Try again.`;
}

/** The class name of a character id among `characters`, or "character". */
export function className(characters, id) {
  return characters.find((c) => c.id === String(id))?.className ?? 'character';
}

/** Where a location or destination is, in words: "the vault", "your Hunter", ... */
export function placeName(place, characters) {
  if (place === 'vault' || place?.kind === 'vault') return 'the vault';
  if (typeof place === 'string') return `your ${className(characters, place)}`;
  switch (place?.kind) {
    case 'account': return 'your account inventory';
    case 'character': return `your ${className(characters, place.characterId)}`;
    case 'postmaster': return `your ${className(characters, place.characterId)}'s postmaster`;
    default: return 'somewhere unknown';
  }
}

/** The sentence for a planner refusal (`{kind, ...fields}`), as core words it. */
export function refusalSentence(refusal) {
  if (typeof refusal?.message === 'string' && refusal.message) return refusal.message;
  switch (refusal?.kind) {
    case 'not_found': return `${refusal.what} is not in your inventory any more; refresh and try again.`;
    case 'no_room': return `${refusal.place} is full. Allow Courier to make room, or move something out first.`;
    case 'not_transferable': return `${refusal.name} cannot be transferred: it stays on the character that has it.`;
    case 'wrong_class': return `${refusal.name} is ${refusal.class} gear and cannot go to a ${refusal.characterClass}.`;
    case 'in_activity': return 'That character is in an activity. Return to orbit or a social space to equip items.';
    case 'not_equippable': return `${refusal.name} cannot be equipped.`;
    case 'no_replacement': return `${refusal.name} is equipped and there is nothing else to equip in its slot; put another item in that slot first.`;
    case 'side_effects': return `${refusal.name} does something when pulled from the postmaster; pull it in the game.`;
    case 'wrong_place': return `${refusal.name} is not ${refusal.expected}.`;
    case 'invalid': return refusal.reason;
    default: return 'Courier cannot do that.';
  }
}

/** "about 3 s", "about 2 min", or "" for nothing left. */
export function formatDuration(ms) {
  if (!Number.isFinite(ms) || ms <= 0) return '';
  const seconds = Math.ceil(ms / 1000);
  if (seconds < 90) return `about ${seconds} s`;
  return `about ${Math.round(seconds / 60)} min`;
}

/** The sentences for an intent that did not finish: one per item with its reason, when named. */
function intentFailures(intent, nameOf) {
  const items = nameOf ? (intent.items ?? []).filter((end) => end.failure?.message) : [];
  if (items.length === 0) return [intent.message ? intent.message : 'This part did not finish.'];
  return items.map((end) => `${nameOf(end)}: ${end.failure.message}`);
}

/**
 * The summary of a finished run: `{ok, text, failures:[sentence]}` from its progress answer
 * (`report`, `error`, `cancelled`). With `nameOf(itemEnd)` (a report item's name), a failed part
 * lists each item that did not get there with its reason; without, the part's reason alone.
 */
export function runSummary({ report, error, cancelled }, nameOf = null) {
  const intents = report?.intents ?? [];
  const failures = intents.filter((i) => !i.done).flatMap((i) => intentFailures(i, nameOf));
  const steps = report?.stepsDone ?? 0;
  const did = `${steps} ${steps === 1 ? 'action' : 'actions'} done`;
  if (error) return { ok: false, text: `Stopped: ${errorSentence(error)} (${did}.)`, failures };
  if (cancelled) return { ok: false, text: `Cancelled after ${did}.`, failures: [] };
  if (failures.length > 0) return { ok: false, text: `Finished with problems (${did}).`, failures };
  const aside = report?.movedAside?.length ?? 0;
  const extra = aside ? `; ${aside} ${aside === 1 ? 'item was' : 'items were'} moved aside to make room` : '';
  return { ok: true, text: `Done: ${did}${extra}.`, failures: [] };
}
