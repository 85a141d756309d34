// The errors of the programmatic API (cli/api.ts), exported so that callers can tell them apart
// with instanceof. They are what the CLI reports as exit 2 (CLI-CONTRACT "Exit codes"): the run did
// not start. A run that starts always resolves with its report, whatever its verdicts.

/** Base class of every error the API throws on purpose. */
export class WsconformError extends Error {
  override name = 'WsconformError';
}

/** An option that run() does not know, or a value an option does not take; `option` names it. */
export class WsconformOptionError extends WsconformError {
  override name = 'WsconformOptionError';
  constructor(
    /** the option as the caller spelt it, e.g. 'rateMsgs' */
    readonly option: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The run could not start: the target does not answer, no case matches the filters, the config or
 * expected-failures file is missing or malformed, the image does not start.
 */
export class WsconformUsageError extends WsconformError {
  override name = 'WsconformUsageError';
}
