// `wsconform bench` flags → checked BenchOptions. Every problem is a UsageError: one line, exit 2.
import { availableParallelism } from 'node:os';
import { intFlag, parseFlags, UsageError } from '../src/util/usage.js';
import type { BenchFormat, BenchProtocol } from './types.js';

export interface BenchOptions {
  target: string | null;
  protocol: BenchProtocol;
  clients: number;
  /** global client ids measured here (--shard I/N keeps ids with id mod N == I) */
  clientIds: number[];
  shard: { index: number; count: number } | null;
  durationS: number;
  warmupS: number;
  format: BenchFormat;
  grid: number;
  fps: number;
  baseline: boolean;
  rounds: number;
  workers: number;
  jwtSecret: string | null;
  pingMs: number;
  http: boolean;
  httpDurationS: number;
  out: string;
  quiet: boolean;
}

export const BENCH_FLAGS = {
  target: { type: 'string' },
  protocol: { type: 'string' },
  clients: { type: 'string' },
  duration: { type: 'string' },
  warmup: { type: 'string' },
  format: { type: 'string' },
  grid: { type: 'string' },
  fps: { type: 'string' },
  baseline: { type: 'boolean' },
  rounds: { type: 'string' },
  workers: { type: 'string' },
  shard: { type: 'string' },
  'jwt-secret': { type: 'string' },
  'ping-ms': { type: 'string' },
  http: { type: 'boolean' },
  'http-duration': { type: 'string' },
  out: { type: 'string' },
  quiet: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export const BENCH_HELP = `wsconform bench [--target URL] [--protocol atheria|evolution] [--clients N] [--duration SECONDS]
                [--warmup SECONDS] [--format json|msgpack] [--grid N] [--fps N] [--baseline] [--rounds N]
                [--workers N] [--shard I/N] [--jwt-secret S] [--ping-ms MS] [--http] [--out DIR] [--quiet]
wsconform bench merge [--out DIR] FILE...
wsconform bench matrix [--out DIR] [--duration SECONDS]

Without --target the bundled reference server runs in-process (with --grid and --fps).
--baseline alternates the target with a ws broadcast loop and a raw TCP pump replaying the
target's own frame over --rounds rounds (default 3). Results: --out DIR/bench.json (default
./wsconform-bench/).`;

/** Seconds given as a positive number (decimals allowed, so tests can run short windows). */
export function secondsFlag(name: string, value: string | undefined, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value) || n < min)
    throw new UsageError(`--${name} takes seconds >= ${min}, got '${value}'`);
  return n;
}

function protocolOf(target: string | null, flag: string | undefined): BenchProtocol {
  if (flag !== undefined) {
    if (flag !== 'atheria' && flag !== 'evolution') {
      throw new UsageError(`--protocol takes atheria or evolution, got '${flag}'`);
    }
    return flag;
  }
  if (target === null) return 'atheria';
  const path = new URL(target).pathname.replace(/\/+$/, '');
  if (path === '/ws') return 'atheria';
  if (path === '/v1/evolution') return 'evolution';
  throw new UsageError(`cannot tell the protocol from the path '${path}' — add --protocol atheria|evolution`);
}

function parseShard(value: string | undefined): { index: number; count: number } | null {
  if (value === undefined) return null;
  const m = /^(\d+)\/(\d+)$/.exec(value);
  const index = Number(m?.[1]);
  const count = Number(m?.[2]);
  if (!m || count < 1 || index >= count)
    throw new UsageError(`--shard takes I/N with 0 <= I < N (e.g. 0/4), got '${value}'`);
  return { index, count };
}

export function parseBenchOptions(argv: string[]): BenchOptions | 'help' {
  const { values: v } = parseFlags('bench', argv, BENCH_FLAGS);
  if (v.help) return 'help';
  const target = v.target ?? null;
  if (target !== null && !/^wss?:\/\/[^/]+/.test(target)) {
    throw new UsageError(`--target takes a ws:// or wss:// URL, got '${target}'`);
  }
  const protocol = protocolOf(target, v.protocol);
  const format = v.format ?? 'json';
  if (format !== 'json' && format !== 'msgpack')
    throw new UsageError(`--format takes json or msgpack, got '${format}'`);
  if (protocol === 'evolution' && format === 'msgpack') {
    throw new UsageError('--format msgpack applies to Atheria only (Evolution events are JSON text)');
  }
  const clients = intFlag('clients', v.clients, 10, 1);
  const shard = parseShard(v.shard);
  const clientIds = Array.from({ length: clients }, (_, i) => i).filter(
    (i) => !shard || i % shard.count === shard.index,
  );
  if (clientIds.length === 0)
    throw new UsageError(`--shard ${v.shard} selects none of ${clients} clients — use fewer shards`);
  const fps = Number(v.fps ?? 60);
  // A3: fps in (0, 120]
  if (!/^\d+(\.\d+)?$/.test(v.fps ?? '60') || fps <= 0 || fps > 120) {
    throw new UsageError(`--fps takes a number in (0, 120], got '${v.fps}'`);
  }
  const grid = intFlag('grid', v.grid, 64, 1);
  if (grid > 1024) throw new UsageError(`--grid takes a whole number in 1..1024, got '${v.grid}'`);
  const baseline = v.baseline ?? false;
  const jwtSecret = v['jwt-secret'] ?? null;
  if (protocol === 'evolution' && target !== null && jwtSecret === null) {
    throw new UsageError('an Evolution target needs --jwt-secret to authenticate the bench clients (E2)');
  }
  const spare = Math.max(1, availableParallelism() - (target === null ? 1 : 0));
  return {
    target,
    protocol,
    clients,
    clientIds,
    shard,
    durationS: secondsFlag('duration', v.duration, 5, 0.5),
    warmupS: secondsFlag('warmup', v.warmup, 1, 0),
    format,
    grid,
    fps,
    baseline,
    rounds: intFlag('rounds', v.rounds, baseline ? 3 : 1, 1),
    workers: intFlag('workers', v.workers, Math.min(spare, 8, clientIds.length), 1),
    jwtSecret,
    pingMs: intFlag('ping-ms', v['ping-ms'], 1000, 0),
    http: v.http ?? false,
    httpDurationS: secondsFlag('http-duration', v['http-duration'], 3, 0.5),
    out: v.out ?? 'wsconform-bench',
    quiet: v.quiet ?? false,
  };
}
