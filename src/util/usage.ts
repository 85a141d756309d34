import { parseArgs, type ParseArgsConfig } from 'node:util';

/** Bad usage or configuration: the CLI prints the message as one line and exits 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** What parseFlags returns, spelled out so that the shipped .d.ts can name it (package.json `types`). */
type ParsedFlags<T extends NonNullable<ParseArgsConfig['options']>> = ReturnType<
  typeof parseArgs<{ args: string[]; options: T; strict: true; allowPositionals: boolean }>
>;

/**
 * node:util parseArgs in strict mode, with its errors turned into one-line UsageErrors that say
 * what to do.
 */
export function parseFlags<T extends NonNullable<ParseArgsConfig['options']>>(
  verb: string,
  argv: string[],
  options: T,
  allowPositionals = false,
): ParsedFlags<T> {
  try {
    return parseArgs({ args: argv, options, strict: true, allowPositionals });
  } catch (err) {
    const msg = err instanceof Error ? err.message.split('\n')[0] : String(err);
    throw new UsageError(`${msg} — see 'wsconform ${verb} --help'`);
  }
}

/** Parses a non-negative integer flag value or throws a UsageError naming the flag. */
export function intFlag(name: string, value: string | undefined, fallback: number, min = 0): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) < min) {
    throw new UsageError(`--${name} takes a whole number >= ${min}, got '${value}'`);
  }
  return Number(value);
}
