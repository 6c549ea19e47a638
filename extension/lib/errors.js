// Typed failures: every error the worker answers has a `kind` (snake_case, the same names core's
// errors use) and a `message` that tells a person what happened and what to do.

/** A failure with a kind for code to branch on and a sentence for a person. */
export class CourierError extends Error {
  /**
   * @param {string} kind what went wrong, e.g. `host_missing`, `signed_out`
   * @param {string} message what happened and what to do
   */
  constructor(kind, message) {
    super(message);
    this.name = 'CourierError';
    this.kind = kind;
  }
}

/**
 * The `{kind, message}` body of a failure answer, from anything thrown: typed errors (ours or
 * the wasm core's, which carry `kind`) keep theirs; anything else is an `internal` error.
 */
export function errorBody(error) {
  if (error && typeof error.kind === 'string' && typeof error.message === 'string') {
    return { kind: error.kind, message: error.message };
  }
  const detail = error instanceof Error ? error.message : String(error);
  return {
    kind: 'internal',
    message: `Courier hit an unexpected problem (${detail}). Close the popup and try again; if it keeps happening, reload the extension.`,
  };
}

/** A failure answer: `{ok:false, error:{kind, message}}`. */
export function failure(error) {
  return { ok: false, error: errorBody(error) };
}
