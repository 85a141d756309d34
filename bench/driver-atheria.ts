// Atheria client side of the bench: A3 commands start the stream, frames arrive as JSON
// `simulation_frame` text or, after `simulation.set_binary`, as an A6 header + binary pair.
import { decode } from '@msgpack/msgpack';
import type { WebSocket } from 'ws';
import type { Driver } from './driver-types.js';
import {
  fieldsOfPayload,
  type FrameFields,
  jsonLooksLikeFrame,
  sameFields,
  scanJsonFrame,
  scanMsgpackFrame,
} from './frame-scan.js';
import { parseSmall, SCAN_ABOVE_BYTES } from './msg.js';
import type { Recorder } from './recorder.js';
import type { WorkerConfig } from './types.js';

interface Pending {
  /** A6 header `size`; null for the legacy `is_binary` header (no size, NON-STRICT) */
  size: number | null;
  headerBytes: number;
}

export class AtheriaDriver implements Driver {
  private readonly pending: (Pending | null)[];
  private readonly pings: number[][];
  private readonly sockets: (WebSocket | null)[];
  private readonly binarySeen: boolean[];
  /** first large frame of each encoding is decoded fully to check the scan (frame-scan.ts) */
  private checkedJson = false;
  private checkedMsgpack = false;
  private fullJson = false;
  private fullMsgpack = false;
  private readonly track: boolean;

  constructor(
    private readonly cfg: WorkerConfig,
    private readonly rec: Recorder,
  ) {
    this.pending = new Array<Pending | null>(cfg.clientIds.length).fill(null);
    this.pings = cfg.clientIds.map(() => []);
    this.sockets = cfg.clientIds.map(() => null);
    this.binarySeen = cfg.clientIds.map(() => false);
    this.track = cfg.mode === 'target';
  }

  async prepare(): Promise<void> {}

  start(ws: WebSocket, ci: number): void {
    this.sockets[ci] = ws;
    // A3: set_fps then live feed on; A6: binary before the stream so the first frames use it.
    // `play` waits for initial_state (A1): a server already running needs none, and with a shared
    // simulation (A0) every play is broadcast to every viewer, N² messages for N clients.
    this.send(ws, 'simulation.set_fps', { fps: this.cfg.fps });
    this.send(ws, 'simulation.set_live_feed', { enabled: true });
    if (this.cfg.format === 'msgpack')
      this.send(ws, 'simulation.set_binary', { enabled: true, format: 'msgpack' });
  }

  private send(ws: WebSocket, type: string, payload: Record<string, unknown>): void {
    ws.send(JSON.stringify({ type, payload }));
  }

  private onInitialState(ci: number, payload: unknown): void {
    const status =
      typeof payload === 'object' && payload !== null
        ? (payload as Record<string, unknown>)['inference_status']
        : undefined;
    const ws = this.sockets[ci];
    if (status !== 'running' && ws) this.send(ws, 'inference.play', {});
  }

  onMessage(ci: number, data: Buffer, isBinary: boolean, now: number): void {
    if (isBinary) {
      this.onBinary(ci, data, now);
      return;
    }
    const pend = this.pending[ci];
    if (pend) {
      // A6: the payload must be the very next message after its header
      this.rec.noteAnomaly('headerNotFollowedByBinary');
      this.pending[ci] = null;
    }
    if (data.length >= SCAN_ABOVE_BYTES) {
      if (!jsonLooksLikeFrame(data)) {
        this.rec.other(ci, data.length, now);
        return;
      }
      this.jsonFrame(ci, this.jsonFields(data), data.length, now);
      return;
    }
    const msg = parseSmall(data);
    const type = msg?.['type'];
    if (msg && type === 'simulation_frame_binary') {
      const size = typeof msg['size'] === 'number' ? msg['size'] : null;
      this.pending[ci] = { size, headerBytes: data.length };
      return;
    }
    if (msg && type === 'simulation_frame') {
      if (msg['is_binary'] === true) {
        this.rec.noteAnomaly('legacyBinaryHeader');
        this.pending[ci] = { size: null, headerBytes: data.length };
        return;
      }
      this.jsonFrame(ci, fieldsOfPayload(msg['payload']), data.length, now);
      return;
    }
    if (msg && type === 'notification') this.onNotification(msg['payload']);
    if (msg && type === 'initial_state' && this.track) this.onInitialState(ci, msg['payload']);
    this.rec.other(ci, data.length, now);
  }

  private jsonFrame(ci: number, fields: FrameFields, bytes: number, now: number): void {
    // JSON frames still in flight when set_binary took effect are fine; one after a binary frame
    // means the connection fell back to JSON (A6)
    if (this.binarySeen[ci]) this.rec.noteAnomaly('jsonFrameAfterBinary');
    this.rec.frame(ci, fields.step, fields.timestamp, bytes, now, this.track);
  }

  private onNotification(payload: unknown): void {
    if (typeof payload !== 'object' || payload === null) return;
    const p = payload as Record<string, unknown>;
    if (p['status'] === 'error') {
      this.rec.noteAnomaly('notificationError');
      this.rec.noteError(`notification error: ${String(p['message'])}`);
    }
  }

  private onBinary(ci: number, data: Buffer, now: number): void {
    const pend = this.pending[ci];
    this.pending[ci] = null;
    if (!pend) {
      this.rec.noteAnomaly('binaryWithoutHeader');
      this.rec.other(ci, data.length, now);
      return;
    }
    if (pend.size !== null && pend.size !== data.length) this.rec.noteAnomaly('binarySizeMismatch');
    this.binarySeen[ci] = true;
    const fields = this.msgpackFields(data);
    this.rec.frame(
      ci,
      fields.step,
      fields.timestamp,
      pend.headerBytes + data.length,
      now,
      this.track,
      'msgpack',
    );
  }

  private jsonFields(data: Buffer): FrameFields {
    if (this.fullJson || !this.checkedJson) {
      const msg = parseSmall(data);
      const full = fieldsOfPayload(msg?.['payload']);
      if (!this.checkedJson) {
        this.checkedJson = true;
        if (!sameFields(scanJsonFrame(data), full)) {
          this.fullJson = true;
          this.rec.noteAnomaly('jsonScanDisagrees');
        }
      }
      return full;
    }
    return scanJsonFrame(data);
  }

  private msgpackFields(data: Buffer): FrameFields {
    if (this.fullMsgpack || !this.checkedMsgpack) {
      let full: FrameFields = { step: null, timestamp: null };
      try {
        full = fieldsOfPayload(decode(data));
      } catch {
        this.rec.noteAnomaly('msgpackUndecodable');
      }
      if (!this.checkedMsgpack) {
        this.checkedMsgpack = true;
        if (!sameFields(scanMsgpackFrame(data), full)) {
          this.fullMsgpack = true;
          this.rec.noteAnomaly('msgpackScanDisagrees');
        }
      }
      return full;
    }
    return scanMsgpackFrame(data);
  }

  /** C3: a WebSocket ping is answered by a pong with the identical payload: 8 bytes of intended time. */
  ping(ws: WebSocket, ci: number, intendedMs: number): void {
    const payload = Buffer.allocUnsafe(8);
    payload.writeDoubleBE(intendedMs);
    this.pings[ci]!.push(intendedMs);
    ws.ping(payload);
  }

  onPong(ci: number, data: Buffer, now: number): void {
    if (data.length !== 8) {
      this.rec.noteAnomaly('pongPayloadChanged');
      return;
    }
    const intended = data.readDoubleBE(0);
    const list = this.pings[ci]!;
    const at = list.indexOf(intended);
    if (at === -1) {
      this.rec.noteAnomaly('pongPayloadChanged');
      return;
    }
    list.splice(at, 1);
    this.rec.roundTrip(intended, now);
  }

  outstanding(ci: number): number[] {
    return this.pings[ci] ?? [];
  }
}
