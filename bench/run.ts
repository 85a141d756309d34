// One `wsconform bench` run: capture a real frame (for the baselines), then for each round measure
// the target and — with --baseline — the ws-broadcast and tcp-pump baselines, rotating their order
// each round so that no phase always runs first; finally the optional HTTP section.
import { type BaselineServer, startTcpPump, startWsBroadcast } from './baselines.js';
import { captureFrame } from './capture.js';
import { embeddedSecret, startEmbeddedTarget, type TargetHandle } from './embedded.js';
import { type HttpSection, httpSection } from './http-bench.js';
import type { BenchOptions } from './options.js';
import { runPhase } from './pool.js';
import { type BenchJson, type BenchMeta, summarize } from './result.js';
import { DROPPED_METRIC, metricsUrl, scrapeCounter } from './scrape.js';
import type { PhaseName, PhaseResult } from './types.js';

export interface BenchUi {
  progress(line: string): void;
}

const CONNECT_TIMEOUT_MS = 10_000;

async function externalTarget(url: string): Promise<TargetHandle> {
  const murl = metricsUrl(url);
  const reachable = (await scrapeCounter(murl, DROPPED_METRIC, 1000)) !== null;
  return {
    url,
    readDropped: async () => (reachable ? scrapeCounter(murl, DROPPED_METRIC) : null),
    serverOnMainThread: false,
    close: async () => {},
  };
}

export async function runBench(o: BenchOptions, ui: BenchUi): Promise<BenchJson> {
  const startedAt = new Date().toISOString();
  const secret = o.target === null ? embeddedSecret(o.jwtSecret) : o.jwtSecret;
  const openTarget = () =>
    o.target === null
      ? startEmbeddedTarget({ protocol: o.protocol, grid: o.grid, fps: o.fps, jwtSecret: secret! })
      : externalTarget(o.target);
  const notes: string[] = [];
  let targetUrl = o.target ?? '';
  let frame = null;
  let baselineRate = o.fps;
  if (o.baseline) {
    ui.progress('capturing a frame from the target for the baselines…');
    const t = await openTarget();
    try {
      targetUrl = t.url;
      const cap = await captureFrame({ ...o, url: t.url, jwtSecret: secret, timeoutMs: CONNECT_TIMEOUT_MS });
      frame = cap.messages;
      if (cap.rate !== null) baselineRate = cap.rate;
      notes.push(
        `baselines replay one captured frame of ${frame.reduce((a, m) => a + m.data.length, 0)} bytes at ${Math.round(baselineRate * 10) / 10}/s`,
      );
    } finally {
      await t.close();
    }
  }
  const names: PhaseName[] = o.baseline ? ['target', 'ws-broadcast', 'tcp-pump'] : ['target'];
  const phases: PhaseResult[] = [];
  for (let round = 1; round <= o.rounds; round++) {
    const order = names.map((_, i) => names[(i + round - 1) % names.length]!);
    for (const name of order) {
      let handle: TargetHandle | BaselineServer;
      let target: TargetHandle | null = null;
      if (name === 'target') handle = target = await openTarget();
      else handle = await (name === 'ws-broadcast' ? startWsBroadcast : startTcpPump)(frame!, baselineRate);
      if (name === 'target') targetUrl = handle.url;
      try {
        const label = `[round ${round}/${o.rounds}] ${name.padEnd(12)}`;
        ui.progress(`${label} connecting ${o.clientIds.length} clients…`);
        phases.push(
          await runPhase({
            name,
            round,
            url: handle.url,
            protocol: o.protocol,
            format: o.format,
            fps: o.fps,
            clientIds: o.clientIds,
            workers: o.workers,
            jwtSecret: secret,
            pingIntervalMs: o.pingMs,
            warmupMs: o.warmupS * 1000,
            durationMs: o.durationS * 1000,
            connectTimeoutMs: CONNECT_TIMEOUT_MS,
            readDropped: target ? target.readDropped : async () => null,
            onConnected: () => {
              if ('start' in handle) handle.start();
            },
            // baselines run on this thread too, so their loop utilisation is measurable
            serverOnMainThread: target ? target.serverOnMainThread : true,
            onProgress: (t, fps, bps) =>
              ui.progress(
                `${label} ${t.toFixed(0)}/${o.durationS}s  ${Math.round(fps)} frames/s  ${(bps / 1e6).toFixed(1)} MB/s`,
              ),
          }),
        );
      } finally {
        await handle.close();
      }
    }
  }
  let http: HttpSection | null = null;
  if (o.http) {
    ui.progress('measuring the HTTP side (/healthz, /metrics) with autocannon…');
    const t = await openTarget();
    try {
      http = await httpSection(t.url, o.httpDurationS);
    } finally {
      await t.close();
    }
  }
  notes.push(...methodNotes(o));
  const meta: BenchMeta = {
    tool: 'wsconform',
    version: '0.1.0',
    startedAt,
    target: o.target ?? targetUrl,
    protocol: o.protocol,
    format: o.format,
    grid: o.target === null && o.protocol === 'atheria' ? o.grid : null,
    fps: o.fps,
    clients: o.clientIds.length,
    clientsTotal: o.clients,
    shard: o.shard,
    durationS: o.durationS,
    warmupS: o.warmupS,
    rounds: o.rounds,
    workers: Math.min(o.workers, o.clientIds.length),
    embedded: o.target === null,
    notes,
    http,
  };
  return summarize(meta, phases);
}

function methodNotes(o: BenchOptions): string[] {
  const notes = [
    o.protocol === 'atheria'
      ? 'latencyUs: receipt time minus payload.timestamp (server send time, epoch s) on one host clock'
      : 'latencyUs: receipt time minus the envelope ISO timestamp (E1), so resolution is 1 ms',
    `rttUs: open-loop ${o.protocol === 'atheria' ? 'WebSocket ping/pong (C3)' : 'application ping/pong (E3)'} every ${o.pingMs} ms per client, timed from the intended send time (no coordinated omission)`,
    "lostFrames: gaps in step/generation per client; droppedByServer: the target's own wsconform_frames_dropped_total",
  ];
  if (o.target === null)
    notes.push('embedded target: the reference server runs on the main thread, clients on worker threads');
  return notes;
}
