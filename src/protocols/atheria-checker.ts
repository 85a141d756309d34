import type { Received, Violation } from '../engine/types.js';
import { ATHERIA_FRAME_PAYLOAD_REF, validateReceived, validateRef } from '../schema/index.js';
import {
  BINARY_HEADER_TYPE,
  type BinaryHeader,
  binaryHeaderOf,
  decodeBinaryPayload,
  isBinaryFormat,
} from './atheria-binary.js';

// C5 for Atheria: every received message is checked, per connection and in order, because A6
// makes validity depend on the previous message: a binary frame header must be followed, as the
// very next message, by exactly one binary message of the announced size that decodes to a valid
// simulation_frame payload.
//
// The public code's legacy header {type: simulation_frame, format, is_binary: true} (no size) is
// not a schema violation (the schema accepts it; ATH-BINARY-002 rates it NON-STRICT): its binary
// payload is paired, decoded and validated like the documented one, without the size check.
// See spec/atheria/DECISIONS.md, "Harness".

function violation(messageType: string, message: string, instancePath = '', schemaPath = ''): Violation {
  return { messageType, instancePath, schemaPath, message };
}

/** A break of A6's framing (pairing, size, decoding): reported under A6, not as a schema violation. */
function framing(messageType: string, message: string, instancePath = ''): Violation {
  return { ...violation(messageType, message, instancePath), rule: 'A6' };
}

function headerType(h: BinaryHeader): string {
  return h.legacy ? 'simulation_frame' : BINARY_HEADER_TYPE;
}

/** Violations of one binary payload against the header that announced it (A6). */
export function checkBinaryPayload(header: BinaryHeader, data: Uint8Array): Violation[] {
  return checkBinary(header, data).violations;
}

/** The step of a simulation_frame payload, when it is a number. */
function stepOf(payload: unknown): number | undefined {
  const step = (payload as { step?: unknown } | null | undefined)?.step;
  return typeof step === 'number' ? step : undefined;
}

function checkBinary(header: BinaryHeader, data: Uint8Array): { violations: Violation[]; step?: number } {
  const type = headerType(header);
  const out: Violation[] = [];
  if (!header.legacy && header.size !== undefined && data.length !== header.size) {
    out.push(
      framing(
        type,
        `A6: header announced size ${header.size} but the binary payload has ${data.length} bytes`,
        '/size',
      ),
    );
  }
  // An unknown format is already a schema violation of the header; nothing to decode with.
  if (!isBinaryFormat(header.format)) return { violations: out };
  let decoded: unknown;
  try {
    decoded = decodeBinaryPayload(header.format, data);
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    out.push(framing(type, `A6: binary payload does not decode as ${header.format}: ${why}`));
    return { violations: out };
  }
  for (const v of validateRef(ATHERIA_FRAME_PAYLOAD_REF, decoded, undefined, { nullAsAbsent: true })) {
    out.push({ ...v, messageType: type, message: `A6: decoded binary payload: ${v.message}` });
  }
  const step = stepOf(decoded);
  return step === undefined ? { violations: out } : { violations: out, step };
}

export interface AtheriaChecker {
  check(m: Received): Violation[];
  /** the header still waiting for its binary payload, if any */
  readonly pending: BinaryHeader | null;
  /** the step of the simulation_frame in the message last checked (text or binary), if it was one */
  readonly frameStep: number | undefined;
}

export function createAtheriaChecker(): AtheriaChecker {
  let pending: BinaryHeader | null = null;
  let frameStep: number | undefined;
  return {
    get pending() {
      return pending;
    },
    get frameStep() {
      return frameStep;
    },
    check(m: Received): Violation[] {
      frameStep = undefined;
      if (m.kind === 'binary') {
        const data = m.data ?? Buffer.alloc(0);
        if (!pending) {
          return [
            framing('(binary)', 'A6: binary message without a preceding simulation_frame_binary header'),
          ];
        }
        const header = pending;
        pending = null;
        const r = checkBinary(header, data);
        frameStep = r.step;
        return r.violations;
      }
      const out: Violation[] = [];
      if (pending) {
        out.push(
          framing(
            headerType(pending),
            'A6: a text message arrived between a binary frame header and its binary payload',
          ),
        );
        pending = null;
      }
      if (m.json === undefined) {
        out.push(violation('(unknown)', 'C5: text message is not JSON'));
        return out;
      }
      out.push(...validateReceived('atheria', m.json));
      pending = binaryHeaderOf(m);
      if (m.type === 'simulation_frame' && !pending)
        frameStep = stepOf((m.json as { payload?: unknown }).payload);
      return out;
    },
  };
}
