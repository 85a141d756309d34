// Validation of an ordered list of messages as one connection saw them: per-message schema
// checks plus what only the order shows (A6: a binary frame follows its header immediately).
import type { Protocol, Violation } from '../engine/types.js';
import { type BinaryFormat, parseAgentCode, validateFrameBinary } from './binary.js';
import type { Direction } from './manifest.js';
import { isRecord } from './schema-nodes.js';
import { messageTypeOf, validateClientMessage, validateServerMessage } from './validate.js';
import { violation } from './violations.js';

export type Message = { kind: 'text'; json: unknown } | { kind: 'binary'; data: Uint8Array };

export interface MessageResult {
  /** 1-based position in the input */
  index: number;
  kind: 'text' | 'binary';
  /** the claimed message type, '(unknown)' or '(binary)' */
  type: string;
  valid: boolean;
  violations: Violation[];
  /** observations that are not violations (SHOULD-level, legacy forms) */
  notes: string[];
}

interface PendingHeader {
  result: MessageResult;
  format: BinaryFormat;
  size?: number;
}

/** The binary header a valid Atheria server text message announces, if any (A6). */
function announcedBinary(json: unknown, result: MessageResult): PendingHeader | undefined {
  if (!result.valid || !isRecord(json)) return undefined;
  const format = json.format === 'cbor' ? 'cbor' : 'msgpack';
  if (json.type === 'simulation_frame_binary' && typeof json.size === 'number') {
    return { result, format, size: json.size };
  }
  if (json.type === 'simulation_frame' && json.is_binary === true) {
    result.notes.push('legacy binary header without size: NON-STRICT (A6)');
    return { result, format };
  }
  return undefined;
}

function fail(result: MessageResult, v: Violation): void {
  result.violations.push(v);
  result.valid = false;
}

function binaryViolations(
  protocol: Protocol,
  direction: Direction,
  data: Uint8Array,
  pending?: PendingHeader,
): Violation[] {
  if (protocol === 'evolution' && direction === 'client') {
    const parsed = parseAgentCode(data);
    return Array.isArray(parsed) ? parsed : [];
  }
  if (protocol === 'atheria' && direction === 'server') {
    if (!pending)
      return [violation('(binary)', 'has no simulation_frame_binary header right before it (A6)')];
    return validateFrameBinary(data, pending.format, pending.size);
  }
  const why =
    protocol === 'atheria'
      ? 'Atheria clients send no binary messages (A6: a server ignores them)'
      : 'the Evolution protocol defines no binary server messages (E1)';
  return [violation('(binary)', `is not allowed: ${why}`)];
}

export function validateSequence(
  protocol: Protocol,
  direction: Direction,
  messages: readonly Message[],
): MessageResult[] {
  const validate = direction === 'server' ? validateServerMessage : validateClientMessage;
  const results: MessageResult[] = [];
  const ids = new Map<string, number>();
  let pending: PendingHeader | undefined;
  for (const [i, m] of messages.entries()) {
    const index = i + 1;
    if (m.kind === 'binary') {
      const violations = binaryViolations(protocol, direction, m.data, pending);
      const type = pending ? `${pending.result.type} payload` : '(binary)';
      results.push({ index, kind: 'binary', type, valid: violations.length === 0, violations, notes: [] });
      pending = undefined;
      continue;
    }
    const violations = validate(protocol, m.json);
    const type = messageTypeOf(protocol, direction, m.json) ?? '(unknown)';
    const result: MessageResult = {
      index,
      kind: 'text',
      type,
      valid: violations.length === 0,
      violations,
      notes: [],
    };
    results.push(result);
    if (pending) {
      // A6: "as the very next message on that connection" — anything else breaks the header.
      fail(
        pending.result,
        violation(
          pending.result.type,
          `binary payload must be the very next message, got text #${index} (A6)`,
        ),
      );
      pending = undefined;
    }
    if (protocol === 'atheria' && direction === 'server') pending = announcedBinary(m.json, result);
    if (
      protocol === 'evolution' &&
      direction === 'server' &&
      isRecord(m.json) &&
      typeof m.json.id === 'string'
    ) {
      const first = ids.get(m.json.id);
      if (first !== undefined)
        result.notes.push(`id '${m.json.id}' repeats #${first} (E1: SHOULD be unique per connection)`);
      else ids.set(m.json.id, index);
    }
  }
  if (pending)
    fail(
      pending.result,
      violation(pending.result.type, 'binary payload must follow, but the input ends (A6)'),
    );
  return results;
}
