// Captures one real frame from the target, byte for byte, for the baselines to replay: the JSON
// `simulation_frame` text, the A6 header + msgpack pair, or one Evolution `evolution_update`.
// For Evolution it also estimates the target's update rate, which the client cannot set.
import { WebSocket } from 'ws';
import { benchToken } from './driver-evolution.js';
import { nowMs, parseSmall } from './msg.js';
import { TargetError } from './errors.js';
import type { BenchFormat, BenchProtocol, CapturedMessage } from './types.js';

export interface Capture {
  messages: CapturedMessage[];
  /** observed frames per second of the target's stream (Evolution), else null */
  rate: number | null;
}

export interface CaptureOptions {
  url: string;
  protocol: BenchProtocol;
  format: BenchFormat;
  fps: number;
  jwtSecret: string | null;
  timeoutMs: number;
}

/** how long the stream runs before the frame to replay is taken */
const SETTLE_MS = 1500;

const asBuffer = (data: WebSocket.RawData): Buffer =>
  Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);

export async function captureFrame(o: CaptureOptions): Promise<Capture> {
  const ws = new WebSocket(o.url, { perMessageDeflate: false, handshakeTimeout: o.timeoutMs });
  try {
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', (err) =>
        reject(
          new TargetError(
            `cannot connect to ${o.url}: ${err.message} — check --target and that the server is up`,
          ),
        ),
      );
    });
    const send = (m: object) => ws.send(JSON.stringify(m));
    if (o.protocol === 'atheria') {
      send({ type: 'simulation.set_fps', payload: { fps: o.fps } });
      send({ type: 'simulation.set_live_feed', payload: { enabled: true } });
      if (o.format === 'msgpack')
        send({ type: 'simulation.set_binary', payload: { enabled: true, format: 'msgpack' } });
      send({ type: 'inference.play', payload: {} });
    } else {
      if (o.jwtSecret !== null) send({ type: 'auth', token: await benchToken(o.jwtSecret, -1) });
      send({ type: 'subscribe', channels: ['evolution'] });
    }
    return await new Promise<Capture>((resolve, reject) => {
      const what = o.protocol === 'atheria' ? 'simulation_frame' : 'evolution_update';
      const timer = setTimeout(
        () =>
          reject(
            new TargetError(`the target sent no ${what} within ${o.timeoutMs} ms — is the stream running?`),
          ),
        o.timeoutMs,
      );
      // The first frames of a fresh simulation are not typical (a near-empty field prints short
      // numbers), so the stream settles for SETTLE_MS and the latest frame is the one replayed.
      let first = 0;
      let frames = 0;
      let latest: CapturedMessage[] | null = null;
      const got = (messages: CapturedMessage[]) => {
        if (latest === null) first = nowMs();
        latest = messages;
        frames++;
        const span = nowMs() - first;
        if (span < SETTLE_MS) return;
        clearTimeout(timer);
        resolve({
          messages,
          rate: o.protocol === 'evolution' ? Math.max(1, (frames - 1) / (span / 1000)) : null,
        });
      };
      let header: Buffer | null = null;
      let jsonWhileBinary = 0;
      ws.on('message', (raw, isBinary) => {
        const data = asBuffer(raw);
        if (o.protocol === 'evolution') {
          if (parseSmall(data)?.['type'] === 'evolution_update') got([{ data, binary: false }]);
          return;
        }
        if (isBinary) {
          if (header !== null && o.format === 'msgpack') {
            got([
              { data: header, binary: false },
              { data, binary: true },
            ]);
          }
          header = null;
          return;
        }
        header = null;
        const m = data.length < 4096 ? parseSmall(data) : null;
        const isFrame =
          m?.['type'] === 'simulation_frame' || (m === null && data.includes('"simulation_frame"'));
        // A6 header, or the public code's legacy `is_binary` header (NON-STRICT, still replayable)
        if (m?.['type'] === 'simulation_frame_binary' || m?.['is_binary'] === true) header = data;
        else if (isFrame && o.format === 'json') got([{ data, binary: false }]);
        else if (isFrame && ++jsonWhileBinary >= 3) {
          clearTimeout(timer);
          reject(
            new TargetError(
              'the target keeps sending JSON frames after simulation.set_binary msgpack (A6) — use --format json',
            ),
          );
        }
      });
      ws.once('close', () =>
        reject(new TargetError('the target closed the connection before a frame was captured')),
      );
    });
  } finally {
    ws.terminate();
  }
}
