// Binary messages of both protocols: the Atheria binary simulation frame (A6) and the Evolution
// agent_code message (E11). Shared by `wsconform validate` and usable by the suites.
import { decode as decodeMsgpack } from '@msgpack/msgpack';
import { decode as decodeCbor } from 'cbor-x';
import type { Violation } from '../engine/types.js';
import { loadManifest } from './manifest.js';
import { validateRef } from './validate.js';
import { violation } from './violations.js';

export type BinaryFormat = 'msgpack' | 'cbor';

/** A6: the decoded payload must be a valid simulation_frame payload. */
export const FRAME_PAYLOAD_REF =
  'https://wsconform.dev/spec/atheria/server/simulation_frame.schema.json#/properties/payload';
/** E11: the JSON header of an agent_code message. */
export const AGENT_CODE_HEADER_REF = 'https://wsconform.dev/spec/evolution/client/agent_code.schema.json';

const BINARY = '(binary)';

/**
 * CBOR typed arrays (RFC 8746 tags, e.g. Float32Array) are arrays of numbers in the data model; JSON
 * Schema sees only plain arrays, so turn them into those. Uint8Array stays: it is a byte string.
 */
function plainArrays(v: unknown): unknown {
  if (ArrayBuffer.isView(v) && !(v instanceof Uint8Array) && !(v instanceof DataView)) {
    return Array.from(v as unknown as ArrayLike<number>);
  }
  if (Array.isArray(v)) return v.map(plainArrays);
  if (typeof v === 'object' && v !== null && !(v instanceof Uint8Array)) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = plainArrays(x);
    return out;
  }
  return v;
}

/** Decodes one msgpack or CBOR document; throws on malformed input or trailing bytes. */
export function decodeFramePayload(format: BinaryFormat, data: Uint8Array): unknown {
  return format === 'msgpack' ? decodeMsgpack(data) : plainArrays(decodeCbor(data));
}

/**
 * A6: checks a binary message against the header that announced it: the exact size (unless
 * `size` is undefined, the legacy header), the decoding, and the frame payload schema.
 */
export function validateFrameBinary(data: Uint8Array, format: BinaryFormat, size?: number): Violation[] {
  if (size !== undefined && data.byteLength !== size) {
    return [violation(BINARY, `is ${data.byteLength} bytes but its header announced size ${size} (A6)`)];
  }
  let payload: unknown;
  try {
    payload = decodeFramePayload(format, data);
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    return [violation(BINARY, `is not a valid ${format} document: ${why} (A6)`)];
  }
  return validateRef(FRAME_PAYLOAD_REF, payload, BINARY);
}

export interface AgentCode {
  header: unknown;
  code: Uint8Array;
}

/**
 * E11: splits an agent_code message into its JSON header and code bytes at the first newline
 * (0x0A). Returns violations instead when the message is too big, has no newline, or its header is
 * not UTF-8 JSON or breaks the header schema.
 */
export function parseAgentCode(data: Uint8Array): AgentCode | Violation[] {
  const spec = loadManifest('evolution').binary.clientAgentCode;
  if (data.byteLength > spec.maxBytes) {
    return [
      violation(
        BINARY,
        `is ${data.byteLength} bytes, over the ${spec.maxBytes}-byte limit (E11: close 1009)`,
      ),
    ];
  }
  const nl = data.indexOf(spec.separator);
  if (nl < 0) return [violation(BINARY, 'has no newline (0x0A) after its JSON header (E11)')];
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(data.subarray(0, nl)));
  } catch {
    return [violation(BINARY, 'header before the newline is not UTF-8 JSON (E11)')];
  }
  const violations = validateRef(AGENT_CODE_HEADER_REF, header, BINARY);
  return violations.length > 0 ? violations : { header, code: data.subarray(nl + 1) };
}
