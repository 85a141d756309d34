// Serialise a frame once per wire format (JSON text, msgpack, CBOR); the broadcaster sends the
// same Buffer to every subscriber of that format.
//
// Size: the grids (map_data, flow_data, hist_data) are written as 32-bit floats, everything else
// (notably the epoch `timestamp`, which needs float64 for sub-millisecond precision) at full
// precision. Neither library offers per-field float widths, so the payload map is written as a
// map header followed by key/value items each encoded by the matching encoder. The result is one
// ordinary msgpack/CBOR map that any decoder reads (A6).

import { Encoder as MsgpackEncoder } from '@msgpack/msgpack';
import { Encoder as CborEncoder, FLOAT32_OPTIONS } from 'cbor-x';
import type { FaultName } from '../faults.js';
import type { FramePayload } from './frame.js';
import { jsonBytes } from './json-text.js';

export type BinaryFormat = 'msgpack' | 'cbor';
export type WireFormat = 'json' | BinaryFormat;

export const BINARY_FORMATS: ReadonlyMap<string, BinaryFormat> = new Map([
  ['msgpack', 'msgpack'],
  ['cbor', 'cbor'],
]);

/** Payload keys whose numbers are visual data, where float32 is plenty. */
const FLOAT32_KEYS: ReadonlySet<string> = new Set(['map_data', 'flow_data', 'hist_data']);

const mp64 = new MsgpackEncoder();
const mp32 = new MsgpackEncoder({ forceFloat32: true });
const cb64 = new CborEncoder({ useRecords: false });
const cb32 = new CborEncoder({ useRecords: false, useFloat32: FLOAT32_OPTIONS.ALWAYS });

function msgpackMapHeader(n: number): Uint8Array {
  // fixmap (RFC-less msgpack spec: 0x80|n for n < 16), else map16
  return n < 16 ? Uint8Array.of(0x80 | n) : Uint8Array.of(0xde, n >> 8, n & 0xff);
}

function cborMapHeader(n: number): Uint8Array {
  // RFC 8949 §3.1: major type 5, length inline below 24, else one extra byte
  return n < 24 ? Uint8Array.of(0xa0 | n) : Uint8Array.of(0xb8, n);
}

function encodeSplit(payload: object, format: BinaryFormat): Buffer {
  const entries = Object.entries(payload).filter(([, v]) => v !== undefined);
  const parts: Uint8Array[] = [
    format === 'msgpack' ? msgpackMapHeader(entries.length) : cborMapHeader(entries.length),
  ];
  for (const [key, value] of entries) {
    const narrow = FLOAT32_KEYS.has(key);
    if (format === 'msgpack') {
      parts.push(mp64.encode(key), (narrow ? mp32 : mp64).encode(value));
    } else {
      parts.push(cb64.encode(key), (narrow ? cb32 : cb64).encode(value));
    }
  }
  return Buffer.concat(parts);
}

/** The text message `{"type":"simulation_frame","payload":...}` as UTF-8 bytes. */
export function encodeJsonFrame(payload: FramePayload): Buffer {
  // the grid is most of the text: size the buffer for it at once
  const cells = payload.map_data.length * (payload.map_data[0]?.length ?? 0);
  return jsonBytes({ type: 'simulation_frame', payload }, cells * 6 + 4096);
}

/** The binary payload of A6 (the decoded value is the frame payload itself, no envelope). */
export function encodeBinaryFrame(
  payload: FramePayload,
  format: BinaryFormat,
  has: (f: FaultName) => boolean,
): Buffer {
  // ath-binary-bad-payload (A6): well-formed bytes that decode to something that is no frame payload
  if (has('ath-binary-bad-payload')) return encodeSplit({ step: 'corrupt', map_data: 'corrupt' }, format);
  return encodeSplit(payload, format);
}
