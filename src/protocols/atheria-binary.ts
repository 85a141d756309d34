import { decode as decodeMsgpack } from '@msgpack/msgpack';
import { decode as decodeCbor } from 'cbor-x';
import type { Received } from '../engine/types.js';
import { isRecord } from './atheria-wait.js';

// A6: how a binary simulation frame is announced and decoded. The documented header is
// {"type":"simulation_frame_binary","format":"msgpack"|"cbor","size":N}; the public code's legacy
// header is {"type":"simulation_frame","format":..,"is_binary":true} without size (NON-STRICT).

export const BINARY_HEADER_TYPE = 'simulation_frame_binary';
export const BINARY_FORMATS = ['msgpack', 'cbor'] as const;
export type BinaryFormat = (typeof BINARY_FORMATS)[number];

export function isBinaryFormat(v: unknown): v is BinaryFormat {
  return v === 'msgpack' || v === 'cbor';
}

export interface BinaryHeader {
  /** true for the public code's {type: simulation_frame, is_binary: true} header */
  legacy: boolean;
  /** the announced format as sent (may be unknown) */
  format: unknown;
  /** announced size; undefined for the legacy header (or a header without a usable size) */
  size: number | undefined;
}

/** The binary header a text message carries, or null when it is not one. */
export function binaryHeaderOf(m: Received): BinaryHeader | null {
  if (m.kind !== 'text' || !isRecord(m.json)) return null;
  const j = m.json;
  if (j['type'] === BINARY_HEADER_TYPE) {
    const size = j['size'];
    return {
      legacy: false,
      format: j['format'],
      size: typeof size === 'number' && Number.isInteger(size) && size >= 0 ? size : undefined,
    };
  }
  if (j['type'] === 'simulation_frame' && j['is_binary'] === true) {
    return { legacy: true, format: j['format'], size: undefined };
  }
  return null;
}

/** Decode a binary payload; throws when the bytes are not valid in that format. */
export function decodeBinaryPayload(format: BinaryFormat, data: Uint8Array): unknown {
  if (format === 'msgpack') return decodeMsgpack(data);
  return decodeCbor(data);
}
