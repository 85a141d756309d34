import type { Conn, Received } from '../engine/types.js';
import { binaryHeaderOf, decodeBinaryPayload, isBinaryFormat } from './atheria-binary.js';
import { isRecord, waitFor } from './atheria-wait.js';

// A5/A6: simulation frames as a case sees them, whether sent as JSON `simulation_frame` or as a
// binary header + payload pair. Validity is the inbound checker's job (C5); these helpers only
// extract what cases measure (step, simulation_info, timing).

/** A3: frames already in flight when pause (or live feed off) took effect may arrive this long after. */
export const IN_FLIGHT_MS = 500;

export interface Frame {
  /** index in conn.received of the message that completed the frame */
  index: number;
  /** ms since the case started, when the frame was complete */
  t: number;
  /** decoded payload; undefined when it is not an object or could not be decoded */
  payload: Record<string, unknown> | undefined;
  binary: boolean;
  /** sent with the public code's legacy {type: simulation_frame, is_binary: true} header */
  legacy: boolean;
  /** the header's format for binary frames */
  format?: unknown;
}

function decodeSafe(format: unknown, data: Buffer | undefined): Record<string, unknown> | undefined {
  if (!data || !isBinaryFormat(format)) return undefined;
  try {
    const v = decodeBinaryPayload(format, data);
    return isRecord(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

/** A JSON simulation frame (not a legacy binary header). */
function isJsonFrame(m: Received): boolean {
  return m.type === 'simulation_frame' && !binaryHeaderOf(m);
}

/** A message that starts a frame: a JSON frame or a binary header. */
export function isFrameStart(m: Received): boolean {
  return isJsonFrame(m) || binaryHeaderOf(m) !== null;
}

/** The frame starting at `i`, if it is complete; header-only frames are skipped (the checker reports them). */
function frameAt(received: readonly Received[], i: number): Frame | null {
  const m = received[i];
  if (!m) return null;
  if (isJsonFrame(m)) {
    const p = isRecord(m.json) ? m.json['payload'] : undefined;
    return { index: i, t: m.t, payload: isRecord(p) ? p : undefined, binary: false, legacy: false };
  }
  const header = binaryHeaderOf(m);
  const body = received[i + 1];
  if (!header || !body || body.kind !== 'binary') return null;
  return {
    index: i + 1,
    t: body.t,
    payload: decodeSafe(header.format, body.data),
    binary: true,
    legacy: header.legacy,
    format: header.format,
  };
}

/** Every complete frame among `received[from..to)`. */
export function framesIn(received: readonly Received[], from = 0, to = received.length): Frame[] {
  const out: Frame[] = [];
  for (let i = from; i < to; i++) {
    const f = frameAt(received, i);
    if (f) {
      out.push(f);
      i = f.index;
    }
  }
  return out;
}

/** The next complete frame at index ≥ `from` (JSON or binary), null on timeout or close. */
export async function nextFrame(conn: Conn, from: number, timeoutMs: number): Promise<Frame | null> {
  const deadline = performance.now() + timeoutMs;
  let scan = from;
  for (;;) {
    const left = deadline - performance.now();
    if (left <= 0) return null;
    const start = await waitFor(conn, scan, isFrameStart, left);
    if (!start) return null;
    if (isJsonFrame(start.message)) return frameAt(conn.received, start.index);
    // a binary header: the payload is the very next message (A6)
    const body = await waitFor(conn, start.index + 1, () => true, Math.max(0, deadline - performance.now()));
    if (!body) return null;
    const f = frameAt(conn.received, start.index);
    if (f) return f;
    scan = start.index + 1;
  }
}

/** `payload.step` when it is an integer. */
export function stepOf(f: Frame): number | undefined {
  const s = f.payload?.['step'];
  return typeof s === 'number' && Number.isInteger(s) ? s : undefined;
}

/** `payload.simulation_info` when it is an object. */
export function simInfoOf(f: Frame): Record<string, unknown> | undefined {
  const s = f.payload?.['simulation_info'];
  return isRecord(s) ? s : undefined;
}
