// One load-generator thread: connects its share of the clients, starts their streams, measures the
// window main gives it, reports, and closes. Runs from dist/bench/worker.js (see pool.ts).
import { parentPort, workerData } from 'node:worker_threads';
import { WebSocket } from 'ws';
import { makeDriver } from './driver.js';
import { initHistograms } from './hist.js';
import { nowMs } from './msg.js';
import { Recorder } from './recorder.js';
import type { MainToWorker, WorkerConfig, WorkerToMain } from './types.js';

const cfg = workerData as WorkerConfig;
const port = parentPort!;
const post = (m: WorkerToMain) => port.postMessage(m);

initHistograms();
const rec = new Recorder(cfg.clientIds.length);
const driver = makeDriver(cfg, rec);
const sockets: (WebSocket | null)[] = cfg.clientIds.map(() => null);
let closing = false;
let firstError: string | null = null;

function connectOne(ci: number): Promise<void> {
  return new Promise((resolve) => {
    const t0 = nowMs();
    const ws = new WebSocket(cfg.url, {
      // no compression offer: the bench compares servers on the same uncompressed bytes
      perMessageDeflate: false,
      // the bench measures delivery; conformance of the bytes is `run`'s job
      skipUTF8Validation: true,
      handshakeTimeout: cfg.connectTimeoutMs,
      maxPayload: 256 * 1024 * 1024,
    });
    let opened = false;
    ws.on('open', () => {
      opened = true;
      rec.connected((nowMs() - t0) * 1000);
      sockets[ci] = ws;
      if (cfg.mode === 'target') driver.start(ws, ci);
      resolve();
    });
    ws.on('message', (data, isBinary) => {
      const now = nowMs();
      const buf = Buffer.isBuffer(data)
        ? data
        : Array.isArray(data)
          ? Buffer.concat(data)
          : Buffer.from(data);
      driver.onMessage(ci, buf, isBinary, now);
    });
    ws.on('pong', (data) => driver.onPong(ci, data, nowMs()));
    ws.on('error', (err) => {
      if (!opened) {
        rec.connectFailures++;
        firstError ??= err.message;
        resolve();
      }
    });
    ws.on('close', () => {
      if (opened && !closing) rec.disconnects++;
      if (!opened) resolve();
    });
  });
}

/** Connects with a bounded number of handshakes in flight, like a fleet of independent clients. */
async function connectAll(): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (!closing && next < cfg.clientIds.length) {
      const ci = next++;
      await driver.prepare(ci, cfg.clientIds[ci]!);
      await connectOne(ci);
    }
  };
  await Promise.all(Array.from({ length: Math.min(64, cfg.clientIds.length) }, lane));
}

/**
 * Open-loop pings: each client has a fixed schedule (random phase, fixed period). One timer is armed
 * for the earliest due ping; pings that are overdue when it fires (a busy generator) are sent
 * stamped with their intended times, so lateness shows as latency instead of silently thinning
 * the samples (coordinated omission).
 */
function startPings(startAt: number, endAt: number): () => void {
  const period = cfg.pingIntervalMs;
  if (period <= 0 || cfg.mode !== 'target' || sockets.length === 0) return () => {};
  // same period for all: visiting clients in order of their phase visits them in due order
  const phase = cfg.clientIds.map(() => Math.random() * period);
  const order = phase.map((_, ci) => ci).sort((a, b) => phase[a]! - phase[b]!);
  let pos = 0;
  let cycle = 0;
  let timer: NodeJS.Timeout | undefined;
  const due = () => startAt + cycle * period + phase[order[pos]!]!;
  const fire = () => {
    const now = nowMs();
    while (due() <= now) {
      const ci = order[pos]!;
      const ws = sockets[ci];
      if (ws && ws.readyState === WebSocket.OPEN) driver.ping(ws, ci, due());
      if (++pos === order.length) {
        pos = 0;
        cycle++;
      }
    }
    if (due() < endAt) timer = setTimeout(fire, Math.max(0, due() - nowMs()));
  };
  timer = setTimeout(fire, Math.max(0, due() - nowMs()));
  return () => clearTimeout(timer);
}

async function measure(startAt: number, endAt: number): Promise<void> {
  rec.setWindow(startAt, endAt);
  const stopPings = startPings(startAt, endAt);
  const ticker = setInterval(() => post({ kind: 'tick', frames: rec.frames, bytes: rec.bytes }), 250);
  await new Promise((r) => setTimeout(r, Math.max(0, endAt - nowMs()) + 5));
  stopPings();
  clearInterval(ticker);
  // give answers to the window's last pings up to 1 s, then count the rest as unanswered
  const graceEnd = nowMs() + 1000;
  while (nowMs() < graceEnd && sockets.some((_, ci) => driver.outstanding(ci).some((t) => rec.inWindow(t)))) {
    await new Promise((r) => setTimeout(r, 20));
  }
  const now = nowMs();
  for (let ci = 0; ci < sockets.length; ci++) for (const t of driver.outstanding(ci)) rec.unanswered(t, now);
  if (firstError && rec.connectFailures > 0) rec.noteError(`connect: ${firstError}`);
  post({ kind: 'report', report: rec.report() });
  await closeAll();
}

async function closeAll(): Promise<void> {
  if (closing) return;
  closing = true;
  const open = sockets.filter((ws): ws is WebSocket => ws !== null && ws.readyState === WebSocket.OPEN);
  // RFC 6455 §7.1.2: start the closing handshake; a peer that never answers (tcp-pump) gets 500 ms
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    Promise.all(
      open.map(
        (ws) =>
          new Promise<void>((r) => {
            ws.once('close', () => r());
            ws.close(1000);
          }),
      ),
    ),
    new Promise((r) => {
      timer = setTimeout(r, 500);
    }),
  ]);
  clearTimeout(timer);
  for (const ws of sockets) ws?.terminate();
  rec.destroy();
  port.close();
}

port.on('message', (m: MainToWorker) => {
  if (m.kind === 'window') void measure(m.startAt, m.endAt);
  else void closeAll();
});

await connectAll();
const connected = sockets.filter((s) => s !== null).length;
post({ kind: 'ready', connected, failed: rec.connectFailures, firstError });
