// Fan a frame out to every live-feed subscriber. Per step each wire format in use is serialised
// once (./codec.ts) and the same Buffer goes to every subscriber of that format, so the per-client
// cost is one bufferedAmount check and one send.
//
// Slow clients: a subscriber whose socket already holds more than the cap of unsent bytes skips
// this frame (counted in metrics.framesDropped) instead of growing the server's memory and the
// latency of everyone's frames; the others keep their rate.
//
// A6 pairing: a binary frame is a text header then exactly one binary message. Both are sent in
// the same synchronous loop iteration, so nothing else can be queued between them on that socket.

import { WebSocket } from 'ws';
import type { FaultName } from '../faults.js';
import type { ServerMetrics } from '../metrics.js';
import { type BinaryFormat, encodeBinaryFrame, encodeJsonFrame, type WireFormat } from './codec.js';
import type { FramePayload } from './frame.js';

/** Minimum unsent bytes a socket may hold before frames are dropped for it. */
export const DEFAULT_BUFFER_CAP = 1024 * 1024;

const TEXT = { binary: false } as const;
const BINARY = { binary: true } as const;

export interface BroadcasterOptions {
  metrics: ServerMetrics;
  has(f: FaultName): boolean;
  /** defaults to DEFAULT_BUFFER_CAP; the effective cap is at least two frames */
  bufferCap?: number;
}

export class FrameBroadcaster {
  private readonly groups = new Map<WireFormat, Set<WebSocket>>([
    ['json', new Set()],
    ['msgpack', new Set()],
    ['cbor', new Set()],
  ]);
  private readonly member = new Map<WebSocket, WireFormat>();
  private readonly cap: number;

  constructor(private readonly opts: BroadcasterOptions) {
    this.cap = opts.bufferCap ?? DEFAULT_BUFFER_CAP;
  }

  /** Subscribe `ws` in `format`, or unsubscribe it with null. */
  set(ws: WebSocket, format: WireFormat | null): void {
    const old = this.member.get(ws);
    if (old === format) return;
    if (old !== undefined) this.groups.get(old)?.delete(ws);
    if (format === null) {
      this.member.delete(ws);
      return;
    }
    this.member.set(ws, format);
    this.groups.get(format)?.add(ws);
  }

  get size(): number {
    return this.member.size;
  }

  publish(payload: FramePayload): void {
    for (const [format, sockets] of this.groups) {
      if (sockets.size === 0) continue;
      if (format === 'json') this.sendText(sockets, encodeJsonFrame(payload));
      else this.sendBinary(sockets, format, encodeBinaryFrame(payload, format, this.opts.has));
    }
  }

  private sendText(sockets: Set<WebSocket>, body: Buffer): void {
    const { metrics } = this.opts;
    const cap = Math.max(this.cap, 2 * body.length);
    for (const ws of sockets) {
      if (ws.readyState !== WebSocket.OPEN) continue;
      if (ws.bufferedAmount > cap) {
        metrics.framesDropped++;
        continue;
      }
      ws.send(body, TEXT);
      metrics.messagesOut++;
    }
  }

  private sendBinary(sockets: Set<WebSocket>, format: BinaryFormat, body: Buffer): void {
    const { metrics, has } = this.opts;
    const header = Buffer.from(JSON.stringify(binaryHeader(format, body.length, has)));
    // ath-binary-interleave (A6): something else between header and payload
    const between = has('ath-binary-interleave')
      ? Buffer.from(
          JSON.stringify({ type: 'notification', payload: { status: 'info', message: 'frame follows' } }),
        )
      : null;
    const cap = Math.max(this.cap, 2 * body.length);
    for (const ws of sockets) {
      if (ws.readyState !== WebSocket.OPEN) continue;
      if (ws.bufferedAmount > cap) {
        metrics.framesDropped++;
        continue;
      }
      ws.send(header, TEXT);
      if (between) {
        ws.send(between, TEXT);
        metrics.messagesOut++;
      }
      ws.send(body, BINARY);
      metrics.messagesOut += 2;
    }
  }
}

/** The A6 header, or the public code's legacy header under ath-binary-legacy-header. */
export function binaryHeader(format: BinaryFormat, size: number, has: (f: FaultName) => boolean): object {
  if (has('ath-binary-legacy-header')) return { type: 'simulation_frame', format, is_binary: true };
  // ath-binary-size-mismatch (A6): announce one byte more than follows
  const announced = has('ath-binary-size-mismatch') ? size + 1 : size;
  return { type: 'simulation_frame_binary', format, size: announced };
}
