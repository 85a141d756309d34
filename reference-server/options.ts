// The one place where the reference server's defaults live, and where partial options from a
// caller (tests, `wsconform run`, `wsconform serve`) become a complete, checked ServerOptions.
import { loadManifest } from '../src/schema/manifest.js';
import { realClock } from './clock.js';
import type { ServerOptions } from './endpoint.js';
import { stderrLog } from './log.js';
import { FAULTS, type FaultName, isFaultName } from './faults.js';

/** E10 / C3 limits of the profile, from spec/evolution/protocol.json `limits`. */
export const PROFILE_LIMITS = loadManifest('evolution').limits;

export const DEFAULT_OPTIONS: Omit<ServerOptions, 'faults'> = {
  host: '127.0.0.1',
  port: 0,
  origins: [],
  rateMsgs: PROFILE_LIMITS.messagesPerSecond,
  rateConns: PROFILE_LIMITS.connectionsPerUser,
  rateBytes: PROFILE_LIMITS.bytesPerMinute,
  maxMessageBytes: PROFILE_LIMITS.maxMessageBytes,
  headersTimeoutMs: 5000,
  authTimeoutMs: 10_000,
  jwtLeewaySec: 30,
  grid: 64,
  fps: 30,
  generationMs: 100,
  clock: realClock,
  logError: stderrLog,
};

export type StartOptions = Partial<Omit<ServerOptions, 'faults'>> & { faults?: Iterable<string> };

/** The valid fault names, for error messages and `serve --help`. */
export function faultNames(): string[] {
  return Object.keys(FAULTS);
}

/** Parses fault names; throws an Error naming the unknown one and listing the valid names. */
export function parseFaults(names: Iterable<string>): Set<FaultName> {
  const out = new Set<FaultName>();
  for (const name of names) {
    if (!isFaultName(name)) throw new Error(`unknown fault '${name}' (valid: ${faultNames().join(', ')})`);
    out.add(name);
  }
  return out;
}

function check(cond: boolean, message: string): void {
  if (!cond) throw new Error(message);
}

/** Fills in defaults and rejects values no server can run with (serve turns the Error into exit 2). */
export function resolveOptions(opts: StartOptions = {}): ServerOptions {
  const { faults, ...rest } = opts;
  const defined = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined));
  const o: ServerOptions = { ...DEFAULT_OPTIONS, ...defined, faults: parseFaults(faults ?? []) };
  const isInt = (n: number, min: number, max = Number.MAX_SAFE_INTEGER) =>
    Number.isInteger(n) && n >= min && n <= max;
  check(isInt(o.port, 0, 65535), `port must be an integer in 0..65535, got ${o.port}`);
  check(isInt(o.rateMsgs, 1), `rateMsgs must be an integer >= 1, got ${o.rateMsgs}`);
  check(isInt(o.rateConns, 1), `rateConns must be an integer >= 1, got ${o.rateConns}`);
  check(isInt(o.rateBytes, 1), `rateBytes must be an integer >= 1, got ${o.rateBytes}`);
  check(isInt(o.maxMessageBytes, 1), `maxMessageBytes must be an integer >= 1, got ${o.maxMessageBytes}`);
  check(isInt(o.headersTimeoutMs, 1), `headersTimeoutMs must be an integer >= 1, got ${o.headersTimeoutMs}`);
  check(isInt(o.authTimeoutMs, 1), `authTimeoutMs must be an integer >= 1, got ${o.authTimeoutMs}`);
  // E2: at most 30 s leeway
  check(Number.isFinite(o.jwtLeewaySec) && o.jwtLeewaySec >= 0 && o.jwtLeewaySec <= 30,
    `jwtLeewaySec must be a number in 0..30, got ${o.jwtLeewaySec}`);
  check(isInt(o.grid, 1, 1024), `grid must be an integer in 1..1024, got ${o.grid}`);
  // A3: fps in (0, 120]
  check(Number.isFinite(o.fps) && o.fps > 0 && o.fps <= 120, `fps must be a number in (0, 120], got ${o.fps}`);
  // E6: at least one evolution_update per second while running
  check(isInt(o.generationMs, 5, 1000), `generationMs must be an integer in 5..1000, got ${o.generationMs}`);
  check(typeof o.clock?.now === 'function' && typeof o.clock.setTimeout === 'function', 'clock must be a Clock');
  check(typeof o.logError === 'function', 'logError must be a function');
  check(Array.isArray(o.origins) && o.origins.every((x) => typeof x === 'string' && x !== ''),
    'origins must be a list of non-empty strings');
  return o;
}
