// Main-thread side of one measured phase: spreads the clients over worker threads, waits until all
// are connected and streaming, opens one shared measurement window after the warm-up, samples the
// server's drop counter and every thread's event-loop utilisation, and collects the reports.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type EventLoopUtilization, performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { packageRoot } from '../src/util/package-root.js';
import { combineReports } from './aggregate.js';
import { cpuCheck, cpuShare, cpuSnapshot } from './cpu.js';
import { TargetError } from './errors.js';
import { nowMs } from './msg.js';
import type {
  BenchFormat,
  BenchProtocol,
  PhaseName,
  PhaseResult,
  WorkerConfig,
  WorkerReport,
  WorkerToMain,
} from './types.js';

export interface PhaseSpec {
  name: PhaseName;
  round: number;
  url: string;
  protocol: BenchProtocol;
  format: BenchFormat;
  fps: number;
  clientIds: number[];
  workers: number;
  jwtSecret: string | null;
  pingIntervalMs: number;
  warmupMs: number;
  durationMs: number;
  connectTimeoutMs: number;
  /** the server's cumulative dropped-frame counter, or null when it cannot be read */
  readDropped: () => Promise<number | null>;
  /** true when the server runs on this (main) thread, so its event-loop utilisation is measurable */
  serverOnMainThread: boolean;
  /** called once every client has connected, before the warm-up (the baselines start there) */
  onConnected?: () => void;
  onProgress?: (elapsedS: number, framesPerSecond: number, bytesPerSecond: number) => void;
}

/** dist/bench/worker.js next to this file when compiled; from the sources (vitest) the built copy. */
export function workerFile(): string {
  const here = fileURLToPath(new URL('./worker.js', import.meta.url));
  if (existsSync(here)) return here;
  const built = join(packageRoot(), 'dist', 'bench', 'worker.js');
  if (existsSync(built)) return built;
  throw new Error(`bench worker not built (${built}) — run 'npm run build' first`);
}

function waitFor<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export async function runPhase(spec: PhaseSpec): Promise<PhaseResult> {
  const count = Math.max(1, Math.min(spec.workers, spec.clientIds.length));
  const shares: number[][] = Array.from({ length: count }, () => []);
  for (const [i, id] of spec.clientIds.entries()) shares[i % count]!.push(id);
  const file = workerFile();
  const workers = shares.map((clientIds) => {
    const cfg: WorkerConfig = {
      url: spec.url,
      protocol: spec.protocol,
      format: spec.format,
      clientIds,
      mode: spec.name === 'target' ? 'target' : 'baseline',
      fps: spec.fps,
      jwtSecret: spec.jwtSecret,
      pingIntervalMs: spec.name === 'target' ? spec.pingIntervalMs : 0,
      connectTimeoutMs: spec.connectTimeoutMs,
    };
    return new Worker(file, { workerData: cfg });
  });
  const ticks = workers.map(() => ({ frames: 0, bytes: 0 }));
  const ready = workers.map(
    (w, i) =>
      new Promise<Extract<WorkerToMain, { kind: 'ready' }>>((resolve, reject) => {
        w.on('error', reject);
        w.on('message', (m: WorkerToMain) => {
          if (m.kind === 'ready') resolve(m);
          else if (m.kind === 'tick') ticks[i] = { frames: m.frames, bytes: m.bytes };
        });
      }),
  );
  const reports = workers.map(
    (w) =>
      new Promise<WorkerReport>((resolve, reject) => {
        w.on('error', reject);
        w.on('message', (m: WorkerToMain) => m.kind === 'report' && resolve(m.report));
        w.on('exit', () => reject(new Error('bench worker exited before reporting')));
      }),
  );
  // a worker that fails after the phase gave up must not become an unhandled rejection
  for (const p of [...ready, ...reports]) p.catch(() => {});
  try {
    const connectBudget = spec.connectTimeoutMs + 50 * spec.clientIds.length;
    const states = await waitFor(
      Promise.all(ready),
      connectBudget,
      `${spec.clientIds.length} clients to connect`,
    ).catch((err: unknown) => {
      throw new TargetError(
        `${spec.name}: ${err instanceof Error ? err.message : String(err)} — the server (or this machine) cannot take that many; use fewer --clients or --shard across machines`,
      );
    });
    if (states.every((s) => s.connected === 0)) {
      const err = states.find((s) => s.firstError)?.firstError ?? 'no client connected';
      throw new TargetError(
        `cannot connect to ${spec.url}: ${err} — check --target and that the server is up`,
      );
    }
    spec.onConnected?.();
    const startAt = nowMs() + spec.warmupMs;
    const endAt = startAt + spec.durationMs;
    for (const w of workers) w.postMessage({ kind: 'window', startAt, endAt });
    await sleepUntil(startAt);
    const eluStart = workers.map((w) => w.performance.eventLoopUtilization());
    const mainStart = performance.eventLoopUtilization();
    const cpuStart = cpuSnapshot();
    const droppedSeries: (number | null)[] = [await spec.readDropped()];
    let last = { t: nowMs(), frames: 0, bytes: 0 };
    // one sample per whole second of the window (the last one at its end)
    for (let second = 1; second <= Math.ceil(spec.durationMs / 1000); second++) {
      await sleepUntil(Math.min(endAt, startAt + 1000 * second));
      droppedSeries.push(await spec.readDropped());
      const frames = ticks.reduce((a, t) => a + t.frames, 0);
      const bytes = ticks.reduce((a, t) => a + t.bytes, 0);
      const dt = Math.max(1e-3, (nowMs() - last.t) / 1000);
      spec.onProgress?.((nowMs() - startAt) / 1000, (frames - last.frames) / dt, (bytes - last.bytes) / dt);
      last = { t: nowMs(), frames, bytes };
    }
    const elus: EventLoopUtilization[] = workers.map((w, i) =>
      w.performance.eventLoopUtilization(eluStart[i]),
    );
    const mainElu = performance.eventLoopUtilization(mainStart);
    const machine = cpuShare(cpuStart, cpuSnapshot(), (nowMs() - startAt) / 1000);
    const collected = await waitFor(Promise.all(reports), 10_000, 'worker reports');
    const cpu = cpuCheck(
      elus.map((e) => e.utilization),
      spec.serverOnMainThread ? mainElu.utilization : null,
      machine,
    );
    return combineReports(collected, {
      name: spec.name,
      round: spec.round,
      format: spec.format,
      durationS: spec.durationMs / 1000,
      droppedSeries,
      cpu,
    });
  } finally {
    await Promise.all(workers.map((w) => stopWorker(w)));
  }
}

function sleepUntil(t: number): Promise<void> {
  return new Promise((r) => setTimeout(r, Math.max(0, t - nowMs())));
}

/** Lets a worker close its sockets gracefully (it exits by itself), then terminates it. */
async function stopWorker(w: Worker): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const exited = new Promise<void>((r) => w.once('exit', () => r()));
  w.postMessage({ kind: 'abort' });
  await Promise.race([exited, new Promise((r) => (timer = setTimeout(r, 3000)))]);
  clearTimeout(timer);
  await w.terminate();
}
