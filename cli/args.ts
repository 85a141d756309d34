import type { Protocol, SuiteName } from '../src/engine/types.js';
import { SUITES } from '../src/engine/types.js';
import type { ConfigFile, ExpectedFailuresSource, FlagValues } from './config-file.js';
import { intFlag, parseFlags, UsageError } from '../src/util/usage.js';

// The flags of `wsconform run` (CLI-CONTRACT.md) turned into checked values, over the values of a
// config file (cli/config-file.ts) when there is one: a flag on the command line overrides the
// file's key of the same name. Pure: the file is read by the caller (RunArgSources), and no
// module with protocol knowledge is loaded here, so bad usage is reported at once.

export const RUN_USAGE = `wsconform run — test WebSocket servers against the Atheria / evolution conformance profile

  --target URL            ws:// or wss:// URL of a server (repeatable); without it the bundled
                          reference server is started in-process and both protocols are tested
  --protocol P            atheria | evolution | generic (default: from the URL path, /ws or
                          /v1/evolution); generic: any WebSocket endpoint, the protocol-independent
                          cases only (framing: RFC 6455 wire cases at Autobahn breadth)
  --echo                  the target echoes every message back (an echo endpoint): runs the
                          echo-based wire cases, which are unimplemented without it
  --suite LIST            comma-separated suites: ${SUITES.join(', ')}
  --case GLOB             case ids to run, e.g. 'EVO-AUTH-*' (comma-separated globs)
  --jwt-secret S          the target's HS256 secret (auth cases are unimplemented without it)
  --jwt-secret-env NAME   read the secret from this environment variable instead
  --origin-allowed O      an origin on the target's allow-list (origin cases need it)
  --rate-msgs N           the target's messages per second per connection (default: profile, 100)
  --rate-conns N          the target's connections per user (default: profile, 10)
  --rate-bytes N          the target's inbound bytes per minute per connection (default: profile)
  --auth-timeout-ms N     the target's auth timeout (default: profile, 10000)
  --max-message-size B    the largest message the target accepts, in bytes (default: profile, 1 MiB)
  --binary-formats LIST   binary formats the target offers: msgpack,cbor (default both)
  --seed N                seed of the property cases (default: random, printed and stored)
  --runs N                runs per property case (default 100)
  --strict                non-strict verdicts (SHOULD not met) also fail the run
  --out DIR               report folder (default ./wsconform-report/)
  --quiet                 print only the final summary line
  --image IMAGE           start this container image (needs --container-port) and test it
  --container-port P      the port the image listens on
  --concurrency N         cases at a time (default 6)
  --timeout-scale X       multiply every case timeout (slow machines, remote targets; default 1)
  --list                  print the cases the filters select (id, rule, suite, title) and exit
  --config FILE           settings file (default ./wsconform.config.json when present): keys are
                          these flags' long names plus jwt-secret-env; flags given here override it
  --expected-failures F   JSON { "<case id>": "<why>" }: known deviations that do not fail the run;
                          a listed case that passes is reported fixed (and fails the run under --strict)

exit: 0 no failure, 1 a conformance failure or a case that could not be judged (error; with
--strict also non-strict), 2 bad usage, bad configuration or unreachable target`;

export type BinaryFormat = 'msgpack' | 'cbor';
export const BINARY_FORMATS: readonly BinaryFormat[] = ['msgpack', 'cbor'];
/** The largest --max-message-size: the size cases allocate a message just over it. */
export const MAX_MESSAGE_SIZE_LIMIT = 2 ** 30;

export interface RunArgs {
  help: boolean;
  /** print the selected cases instead of running them */
  list: boolean;
  targets: string[];
  protocol?: Protocol;
  suites?: SuiteName[];
  caseGlob?: string;
  jwtSecret?: string;
  originAllowed?: string;
  rateMsgs?: number;
  rateConns?: number;
  rateBytes?: number;
  authTimeoutMs?: number;
  /** C3: --max-message-size */
  maxMessageBytes?: number;
  /** A6: --binary-formats, the formats the target offers (default both) */
  binaryFormats: BinaryFormat[];
  /** --expected-failures, or the config file's "expected-failures" */
  expectedFailures?: ExpectedFailuresSource;
  /** the config file read, if any */
  configFile?: string;
  seed?: number;
  runs: number;
  strict: boolean;
  out: string;
  quiet: boolean;
  image?: string;
  containerPort?: number;
  concurrency: number;
  timeoutScale: number;
  /** --echo: the target echoes every message (the echo-based framing cases need it) */
  echo: boolean;
}

const RUN_FLAGS = {
  help: { type: 'boolean', short: 'h' },
  list: { type: 'boolean' },
  target: { type: 'string', multiple: true },
  protocol: { type: 'string' },
  suite: { type: 'string', multiple: true },
  case: { type: 'string' },
  'jwt-secret': { type: 'string' },
  'jwt-secret-env': { type: 'string' },
  'origin-allowed': { type: 'string' },
  'rate-msgs': { type: 'string' },
  'rate-conns': { type: 'string' },
  'rate-bytes': { type: 'string' },
  'auth-timeout-ms': { type: 'string' },
  'max-message-size': { type: 'string' },
  'binary-formats': { type: 'string' },
  config: { type: 'string' },
  'expected-failures': { type: 'string' },
  seed: { type: 'string' },
  runs: { type: 'string' },
  strict: { type: 'boolean' },
  out: { type: 'string' },
  quiet: { type: 'boolean', short: 'q' },
  image: { type: 'string' },
  'container-port': { type: 'string' },
  concurrency: { type: 'string' },
  'timeout-scale': { type: 'string' },
  echo: { type: 'boolean' },
} as const;

export function parseProtocol(value: string | undefined): Protocol | undefined {
  if (value === undefined) return undefined;
  if (value !== 'atheria' && value !== 'evolution' && value !== 'generic') {
    throw new UsageError(`--protocol takes atheria, evolution or generic, got '${value}'`);
  }
  return value;
}

/** A ws:// or wss:// URL, or a UsageError naming the flag. */
export function parseWsUrl(value: string, flag = '--target'): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`${flag} takes a ws:// or wss:// URL, got '${value}'`);
  }
  if (url.protocol !== 'ws:' && url.protocol !== 'wss:') {
    throw new UsageError(`${flag} takes a ws:// or wss:// URL, got '${value}'`);
  }
  return url.href;
}

function optionalInt(name: string, value: string | undefined, min: number): number | undefined {
  return value === undefined ? undefined : intFlag(name, value, 0, min);
}

export function parseBinaryFormats(value: string | string[] | undefined): BinaryFormat[] {
  if (value === undefined) return [...BINARY_FORMATS];
  const given = (Array.isArray(value) ? value : [value]).flatMap((s) => s.split(',')).map((s) => s.trim());
  const bad = given.find((f) => !(BINARY_FORMATS as readonly string[]).includes(f));
  if (bad !== undefined || given.length === 0) {
    throw new UsageError(`--binary-formats takes msgpack, cbor or msgpack,cbor, got '${given.join(',')}'`);
  }
  return BINARY_FORMATS.filter((f) => given.includes(f));
}

/** What the command line is read over: the config file and the environment (for jwt-secret-env). */
export interface RunArgSources {
  /**
   * Reads the config file: the path of --config, or undefined for the default
   * ./wsconform.config.json; returns undefined when there is none. Without it no file is read.
   */
  config?: (explicitPath: string | undefined) => ConfigFile | undefined;
  env?: Readonly<Record<string, string | undefined>>;
}

type RunFlagValues = ReturnType<typeof parseFlags<typeof RUN_FLAGS>>['values'];

/** Command-line values over the file's: a flag given overrides its key, never merges with it. */
function merge(cli: RunFlagValues, file: FlagValues): RunFlagValues {
  const out: Record<string, unknown> = { ...file };
  for (const [k, val] of Object.entries(cli)) if (val !== undefined) out[k] = val;
  return out as RunFlagValues;
}

/** --jwt-secret, else --jwt-secret-env; the command line's pair overrides the file's. */
function jwtSecretOf(
  cli: RunFlagValues,
  file: ConfigFile | undefined,
  env: RunArgSources['env'],
  required: boolean,
): string | undefined {
  if (cli['jwt-secret'] !== undefined && cli['jwt-secret-env'] !== undefined)
    throw new UsageError('give --jwt-secret or --jwt-secret-env, not both');
  if (cli['jwt-secret'] !== undefined) return cli['jwt-secret'];
  const name = cli['jwt-secret-env'] ?? file?.jwtSecretEnv;
  if (name === undefined) return undefined;
  const from = cli['jwt-secret-env'] !== undefined ? '--jwt-secret-env' : `${file?.path} "jwt-secret-env"`;
  const secret = env?.[name];
  if (secret === undefined || secret === '') {
    if (!required) return undefined;
    throw new UsageError(
      `${from} names the environment variable ${name}, which is not set — export ${name} with the target's JWT secret`,
    );
  }
  return secret;
}

export function parseRunArgs(argv: string[], sources: RunArgSources = {}): RunArgs {
  const { values: cli } = parseFlags('run', argv, RUN_FLAGS);
  // --help needs no config file (a broken one must not hide the help)
  const file = cli.help ? undefined : sources.config?.(cli.config);
  const v = merge(cli, file?.values ?? {});
  const suites = v.suite
    ?.flatMap((s) => s.split(','))
    .map((s) => s.trim())
    .filter(Boolean);
  for (const s of suites ?? []) {
    if (!(SUITES as readonly string[]).includes(s))
      throw new UsageError(`unknown suite '${s}' — use one of: ${SUITES.join(', ')}`);
  }
  let seed: number | undefined;
  if (v.seed !== undefined) {
    if (!/^-?\d+$/.test(v.seed) || Math.abs(Number(v.seed)) > 2 ** 31 - 1) {
      throw new UsageError(`--seed takes a whole number between -2147483647 and 2147483647, got '${v.seed}'`);
    }
    seed = Number(v.seed);
  }
  const timeoutScale = v['timeout-scale'] === undefined ? 1 : Number(v['timeout-scale']);
  if (!(timeoutScale > 0 && timeoutScale <= 100)) {
    throw new UsageError(`--timeout-scale takes a number in (0, 100], got '${v['timeout-scale']}'`);
  }
  let maxMessageBytes: number | undefined;
  if (v['max-message-size'] !== undefined) {
    const raw = v['max-message-size'];
    if (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > MAX_MESSAGE_SIZE_LIMIT) {
      throw new UsageError(
        `--max-message-size takes a whole number of bytes from 1 to ${MAX_MESSAGE_SIZE_LIMIT}, got '${raw}'`,
      );
    }
    maxMessageBytes = Number(raw);
  }
  if (v.image !== undefined && v['container-port'] === undefined) {
    throw new UsageError('--image needs --container-port (the port the image listens on)');
  }
  if (v.image === undefined && v['container-port'] !== undefined) {
    throw new UsageError('--container-port is only used with --image');
  }
  const args: RunArgs = {
    help: v.help ?? false,
    list: v.list ?? false,
    targets: (v.target ?? []).map((t) => parseWsUrl(t)),
    runs: intFlag('runs', v.runs, 100, 1),
    strict: v.strict ?? false,
    out: v.out ?? './wsconform-report/',
    quiet: v.quiet ?? false,
    concurrency: intFlag('concurrency', v.concurrency, 6, 1),
    timeoutScale,
    binaryFormats: parseBinaryFormats(v['binary-formats']),
    echo: v.echo ?? false,
  };
  const optional: Partial<RunArgs> = {
    protocol: parseProtocol(v.protocol),
    suites: suites as SuiteName[] | undefined,
    caseGlob: v.case,
    // --list reaches no target: it needs no secret, so an unset variable is no error there
    jwtSecret: jwtSecretOf(cli, file, sources.env, !v.list),
    originAllowed: v['origin-allowed'],
    rateMsgs: optionalInt('rate-msgs', v['rate-msgs'], 1),
    rateConns: optionalInt('rate-conns', v['rate-conns'], 1),
    rateBytes: optionalInt('rate-bytes', v['rate-bytes'], 1),
    authTimeoutMs: optionalInt('auth-timeout-ms', v['auth-timeout-ms'], 1),
    maxMessageBytes,
    expectedFailures:
      cli['expected-failures'] !== undefined
        ? { kind: 'file', path: cli['expected-failures'] }
        : file?.expectedFailures,
    configFile: file?.path,
    seed,
    image: v.image,
    containerPort: optionalInt('container-port', v['container-port'], 1),
  };
  for (const [k, val] of Object.entries(optional)) if (val !== undefined) Object.assign(args, { [k]: val });
  if (args.containerPort !== undefined && args.containerPort > 65535) {
    throw new UsageError(`--container-port takes a port number 1..65535, got ${args.containerPort}`);
  }
  return args;
}
