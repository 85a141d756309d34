import { WsconformOptionError } from './api-errors.js';
import { parseRunArgs, type RunArgs } from './args.js';
import { loadConfigFile } from './config-file.js';
import { UsageError } from '../src/util/usage.js';
import type { EngineEvent } from '../src/engine/events.js';
import type { Protocol, SuiteName } from '../src/engine/types.js';

// The options of run() are the flags of `wsconform run` in camelCase (README, "Programmatic
// API"). They are turned back into the command line and go through the CLI's own parser
// (cli/args.ts), so that the API and the CLI accept exactly the same values with the same
// checks and defaults. Only the parser's messages are translated: `--rate-msgs` → `rateMsgs`.

/** A suite's name (checked at run time, so that a list read from the environment type-checks). */
export type SuiteInput = SuiteName | (string & {});

/** The options of run(): every flag of `wsconform run` (but --help and --list), in camelCase. */
export interface RunOptions {
  /** ws:// or wss:// URL(s) of the servers; without it the bundled reference server is started */
  target?: string | string[];
  /** atheria | evolution | generic (default: from the URL path, /ws or /v1/evolution) */
  protocol?: Protocol;
  /** the target echoes every message: run the echo-based wire cases (with protocol 'generic') */
  echo?: boolean;
  /** suites to run (default all); a string may list several, comma-separated */
  suite?: SuiteInput | SuiteInput[];
  /** case ids to run, e.g. 'EVO-AUTH-*' (comma-separated globs) */
  case?: string;
  /** the target's HS256 secret (auth cases are unimplemented without it) */
  jwtSecret?: string;
  /** read the secret from this environment variable instead */
  jwtSecretEnv?: string;
  /** an origin on the target's allow-list */
  originAllowed?: string;
  rateMsgs?: number;
  rateConns?: number;
  rateBytes?: number;
  authTimeoutMs?: number;
  /** the largest message the target accepts, in bytes */
  maxMessageSize?: number;
  binaryFormats?: 'msgpack' | 'cbor' | ('msgpack' | 'cbor')[];
  seed?: number;
  runs?: number;
  /** the report's `strict`; see runFailed() */
  strict?: boolean;
  /** also write the report folder (report.json, junit.xml, index.html, summary.md) here */
  out?: string;
  /** accepted for symmetry with the CLI; run() prints nothing either way */
  quiet?: boolean;
  image?: string;
  containerPort?: number;
  concurrency?: number;
  timeoutScale?: number;
  /** a wsconform.config.json to read (run() reads none unless given one) */
  config?: string;
  /** a file `{ "<case id>": "<why>" }`, or that object itself */
  expectedFailures?: string | Record<string, string>;
  /** every engine event of the run (run-start, case-start, case-end, run-end) */
  onEvent?: (event: EngineEvent) => void;
}

type Kind = 'string' | 'strings' | 'number' | 'boolean';

/** option → [flag, kind]; `strings` options take a string or an array (a repeatable or list flag). */
const OPTIONS: Record<Exclude<keyof RunOptions, 'onEvent' | 'expectedFailures'>, [string, Kind]> = {
  target: ['target', 'strings'],
  protocol: ['protocol', 'string'],
  echo: ['echo', 'boolean'],
  suite: ['suite', 'strings'],
  case: ['case', 'string'],
  jwtSecret: ['jwt-secret', 'string'],
  jwtSecretEnv: ['jwt-secret-env', 'string'],
  originAllowed: ['origin-allowed', 'string'],
  rateMsgs: ['rate-msgs', 'number'],
  rateConns: ['rate-conns', 'number'],
  rateBytes: ['rate-bytes', 'number'],
  authTimeoutMs: ['auth-timeout-ms', 'number'],
  maxMessageSize: ['max-message-size', 'number'],
  binaryFormats: ['binary-formats', 'strings'],
  seed: ['seed', 'number'],
  runs: ['runs', 'number'],
  strict: ['strict', 'boolean'],
  out: ['out', 'string'],
  quiet: ['quiet', 'boolean'],
  image: ['image', 'string'],
  containerPort: ['container-port', 'number'],
  concurrency: ['concurrency', 'number'],
  timeoutScale: ['timeout-scale', 'number'],
  config: ['config', 'string'],
};

/** The option names run() takes (for messages and the test that keeps them equal to the CLI's flags). */
export const OPTION_NAMES: readonly string[] = [...Object.keys(OPTIONS), 'expectedFailures', 'onEvent'];

const FLAG_TO_OPTION = new Map<string, string>(
  Object.entries(OPTIONS).map(([option, [flag]]) => [flag, option]),
);
FLAG_TO_OPTION.set('expected-failures', 'expectedFailures');

/** Close to a known option: `jwt_secret`, `jwt-secret`, `JwtSecret` → `jwtSecret`. */
function suggestion(name: string): string | undefined {
  const squash = (s: string) => s.replace(/[-_\s]/g, '').toLowerCase();
  return OPTION_NAMES.find((o) => squash(o) === squash(name));
}

function typeError(option: string, want: string, value: unknown): WsconformOptionError {
  const got = Array.isArray(value) ? 'an array' : value === null ? 'null' : typeof value;
  return new WsconformOptionError(option, `option '${option}' takes ${want}, got ${got}`);
}

/** The command line these options stand for (without expectedFailures and onEvent). */
export function optionsToArgv(options: Record<string, unknown>): string[] {
  const argv: string[] = [];
  for (const [option, value] of Object.entries(options)) {
    if (option === 'onEvent' || option === 'expectedFailures') continue;
    const spec = (OPTIONS as Record<string, [string, Kind]>)[option];
    if (!spec) {
      const hint = suggestion(option);
      throw new WsconformOptionError(
        option,
        `unknown option '${option}'${hint ? ` (did you mean '${hint}'?)` : ''} — run() takes: ${OPTION_NAMES.join(', ')}`,
      );
    }
    if (value === undefined) continue;
    const [flag, kind] = spec;
    if (kind === 'boolean') {
      if (typeof value !== 'boolean') throw typeError(option, 'true or false', value);
      if (value) argv.push(`--${flag}`);
    } else if (kind === 'number') {
      if (typeof value !== 'number' || !Number.isFinite(value)) throw typeError(option, 'a number', value);
      argv.push(`--${flag}=${value}`);
    } else if (kind === 'strings') {
      const list = Array.isArray(value) ? value : [value];
      if (!list.every((v) => typeof v === 'string')) throw typeError(option, 'a string or strings', value);
      for (const v of list) argv.push(`--${flag}=${v}`);
    } else {
      if (typeof value !== 'string') throw typeError(option, 'a string', value);
      argv.push(`--${flag}=${value}`);
    }
  }
  return argv;
}

/** A CLI parser message with the flags written as the API's options (`--rate-msgs` → `rateMsgs`). */
export function apiMessage(message: string): { text: string; option?: string } {
  let first: string | undefined;
  const text = message
    .replace(/ — see 'wsconform run --help'$/, '')
    .replace(/'?--([a-z][a-z-]*)'?/g, (whole, flag: string) => {
      const option = FLAG_TO_OPTION.get(flag);
      if (!option) return whole;
      first ??= option;
      return `option '${option}'`;
    });
  return first === undefined ? { text } : { text, option: first };
}

/** The checked run arguments of these options, as `wsconform run` would have them. */
export function toRunArgs(options: RunOptions): RunArgs {
  if (options === null || typeof options !== 'object' || Array.isArray(options))
    throw new WsconformOptionError(
      '(options)',
      'run() takes an options object, e.g. run({ suite: "heartbeat" })',
    );
  const argv = optionsToArgv(options as Record<string, unknown>);
  if (options.onEvent !== undefined && typeof options.onEvent !== 'function')
    throw typeError('onEvent', 'a function', options.onEvent);
  let args: RunArgs;
  try {
    args = parseRunArgs(argv, {
      // unlike the CLI, no ./wsconform.config.json is read unless `config` names one
      config: (explicit) => (explicit === undefined ? undefined : loadConfigFile(explicit, process.cwd())),
      env: process.env,
    });
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    const { text, option } = apiMessage(err.message);
    // the parser's messages without a flag: 'unknown suite ...', or a config file problem
    throw new WsconformOptionError(option ?? (text.startsWith('unknown suite') ? 'suite' : 'config'), text);
  }
  const ef = options.expectedFailures;
  if (typeof ef === 'string') args.expectedFailures = { kind: 'file', path: ef };
  else if (ef !== undefined) {
    if (
      ef === null ||
      typeof ef !== 'object' ||
      Array.isArray(ef) ||
      !Object.values(ef).every((why) => typeof why === 'string')
    )
      throw typeError('expectedFailures', 'a file path or an object { "<case id>": "<why>" }', ef);
    args.expectedFailures = { kind: 'inline', entries: { ...ef }, from: "run()'s expectedFailures" };
  }
  return args;
}
