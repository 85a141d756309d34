import type { Protocol, SuiteName } from '../engine/types.js';
import { SUITES } from '../engine/types.js';
import { intFlag, parseFlags, UsageError } from './usage.js';

// The flags of `wsconform run` (CLI-CONTRACT.md) turned into checked values. Pure: no module with
// protocol knowledge is loaded here, so bad usage is reported at once.

export const RUN_USAGE = `wsconform run — test WebSocket servers against the Atheria / evolution conformance profile

  --target URL            ws:// or wss:// URL of a server (repeatable); without it the bundled
                          reference server is started in-process and both protocols are tested
  --protocol P            atheria | evolution (default: from the URL path, /ws or /v1/evolution)
  --suite LIST            comma-separated suites: ${SUITES.join(', ')}
  --case GLOB             case ids to run, e.g. 'EVO-AUTH-*' (comma-separated globs)
  --jwt-secret S          the target's HS256 secret (auth cases are unimplemented without it)
  --origin-allowed O      an origin on the target's allow-list (origin cases need it)
  --rate-msgs N           the target's messages per second per connection (default: profile, 100)
  --rate-conns N          the target's connections per user (default: profile, 10)
  --rate-bytes N          the target's inbound bytes per minute per connection (default: profile)
  --auth-timeout-ms N     the target's auth timeout (default: profile, 10000)
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

exit: 0 no failure, 1 a conformance failure (with --strict also non-strict), 2 bad usage or
unreachable target`;

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
  seed?: number;
  runs: number;
  strict: boolean;
  out: string;
  quiet: boolean;
  image?: string;
  containerPort?: number;
  concurrency: number;
  timeoutScale: number;
}

const RUN_FLAGS = {
  help: { type: 'boolean', short: 'h' },
  list: { type: 'boolean' },
  target: { type: 'string', multiple: true },
  protocol: { type: 'string' },
  suite: { type: 'string', multiple: true },
  case: { type: 'string' },
  'jwt-secret': { type: 'string' },
  'origin-allowed': { type: 'string' },
  'rate-msgs': { type: 'string' },
  'rate-conns': { type: 'string' },
  'rate-bytes': { type: 'string' },
  'auth-timeout-ms': { type: 'string' },
  seed: { type: 'string' },
  runs: { type: 'string' },
  strict: { type: 'boolean' },
  out: { type: 'string' },
  quiet: { type: 'boolean', short: 'q' },
  image: { type: 'string' },
  'container-port': { type: 'string' },
  concurrency: { type: 'string' },
  'timeout-scale': { type: 'string' },
} as const;

export function parseProtocol(value: string | undefined): Protocol | undefined {
  if (value === undefined) return undefined;
  if (value !== 'atheria' && value !== 'evolution') {
    throw new UsageError(`--protocol takes atheria or evolution, got '${value}'`);
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

export function parseRunArgs(argv: string[]): RunArgs {
  const { values: v } = parseFlags('run', argv, RUN_FLAGS);
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
  };
  const optional: Partial<RunArgs> = {
    protocol: parseProtocol(v.protocol),
    suites: suites as SuiteName[] | undefined,
    caseGlob: v.case,
    jwtSecret: v['jwt-secret'],
    originAllowed: v['origin-allowed'],
    rateMsgs: optionalInt('rate-msgs', v['rate-msgs'], 1),
    rateConns: optionalInt('rate-conns', v['rate-conns'], 1),
    rateBytes: optionalInt('rate-bytes', v['rate-bytes'], 1),
    authTimeoutMs: optionalInt('auth-timeout-ms', v['auth-timeout-ms'], 1),
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
