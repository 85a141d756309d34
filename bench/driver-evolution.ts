// Evolution client side of the bench: E2 auth message then E4 subscribe (evolution + metrics),
// sent back to back as the seed's own client does. Each client is its own user (sub bench-<id>),
// so the per-user connection limit of E10 never caps the client count.
import type { WebSocket } from 'ws';
import { signToken } from '../src/protocols/evolution-tokens.js';
import type { Driver } from './driver-types.js';
import { parseSmall } from './msg.js';
import type { Recorder } from './recorder.js';
import type { WorkerConfig } from './types.js';

/** An HS256 token for one bench client (E2: `sub` is the user). */
export function benchToken(secret: string, clientId: number): Promise<string> {
  return signToken(secret, { sub: `bench-${clientId}`, exp: Math.floor(Date.now() / 1000) + 2 * 3600 });
}

export class EvolutionDriver implements Driver {
  private readonly tokens: (string | null)[];
  /** per client: ping timestamp sent (ms, integer) → intended send time (epoch ms) */
  private readonly pings: Map<number, number>[];
  private readonly track: boolean;

  constructor(
    private readonly cfg: WorkerConfig,
    private readonly rec: Recorder,
  ) {
    this.tokens = new Array<string | null>(cfg.clientIds.length).fill(null);
    this.pings = cfg.clientIds.map(() => new Map<number, number>());
    this.track = cfg.mode === 'target';
  }

  async prepare(ci: number, clientId: number): Promise<void> {
    if (this.cfg.mode === 'target' && this.cfg.jwtSecret !== null) {
      this.tokens[ci] = await benchToken(this.cfg.jwtSecret, clientId);
    }
  }

  start(ws: WebSocket, ci: number): void {
    const token = this.tokens[ci];
    if (token) ws.send(JSON.stringify({ type: 'auth', token }));
    ws.send(JSON.stringify({ type: 'subscribe', channels: ['evolution', 'metrics'] }));
  }

  onMessage(ci: number, data: Buffer, _isBinary: boolean, now: number): void {
    const msg = parseSmall(data);
    const type = msg?.['type'];
    if (msg && type === 'evolution_update') {
      const d = msg['data'];
      const gen =
        typeof d === 'object' &&
        d !== null &&
        typeof (d as Record<string, unknown>)['generation'] === 'number'
          ? ((d as Record<string, unknown>)['generation'] as number)
          : null;
      // E1: the envelope timestamp is ISO 8601 with ms precision → latency resolution is 1 ms
      const ts = typeof msg['timestamp'] === 'string' ? Date.parse(msg['timestamp']) / 1000 : Number.NaN;
      this.rec.frame(ci, gen, Number.isFinite(ts) ? ts : null, data.length, now, this.track);
      return;
    }
    if (msg && type === 'pong' && typeof msg['timestamp'] === 'number') {
      const intended = this.pings[ci]!.get(msg['timestamp']);
      if (intended !== undefined) {
        this.pings[ci]!.delete(msg['timestamp']);
        this.rec.roundTrip(intended, now);
      } else this.rec.noteAnomaly('pongTimestampNotEchoed');
    } else if (msg && type === 'error') {
      const err = msg['error'];
      const code =
        typeof err === 'object' && err !== null
          ? String((err as Record<string, unknown>)['code'])
          : 'unknown';
      this.rec.noteAnomaly(`error:${code}`);
      this.rec.noteError(`error ${code}`);
    }
    this.rec.other(ci, data.length, now);
  }

  /** E3: an application ping; the pong echoes `timestamp`, which keys the intended send time. */
  ping(ws: WebSocket, ci: number, intendedMs: number): void {
    const map = this.pings[ci]!;
    let key = Math.round(intendedMs);
    while (map.has(key)) key++;
    map.set(key, intendedMs);
    ws.send(JSON.stringify({ type: 'ping', timestamp: key }));
  }

  onPong(): void {}

  outstanding(ci: number): number[] {
    return [...(this.pings[ci]?.values() ?? [])];
  }
}
