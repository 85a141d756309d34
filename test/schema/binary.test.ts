// Binary helpers of src/schema/binary.ts: frame payload decoding (A6) and agent_code parsing (E11).
import { encode as encodeMsgpack } from '@msgpack/msgpack';
import { Encoder } from 'cbor-x';
import { describe, expect, it } from 'vitest';
import {
  decodeFramePayload,
  loadManifest,
  parseAgentCode,
  validateFrameBinary,
} from '../../src/schema/index.js';

const info = { step: 1, is_paused: false, fps: 30, live_feed_enabled: true };

describe('validateFrameBinary (A6)', () => {
  it('accepts CBOR typed arrays as rows of numbers', () => {
    const encoder = new Encoder({ useRecords: false });
    const rows = [new Float32Array([0.5, 1]), new Float32Array([2, 3])];
    const bytes = encoder.encode({ step: 1, simulation_info: info, map_data: rows });
    expect(decodeFramePayload('cbor', bytes)).toMatchObject({
      map_data: [
        [0.5, 1],
        [2, 3],
      ],
    });
    expect(validateFrameBinary(bytes, 'cbor', bytes.byteLength)).toEqual([]);
  });

  it('rejects trailing bytes and non-finite numbers', () => {
    const good = encodeMsgpack({ step: 1, simulation_info: info, map_data: [[1]] });
    const trailing = new Uint8Array([...good, 0x00]);
    expect(validateFrameBinary(trailing, 'msgpack')[0]?.message).toMatch(/not a valid msgpack document/);
    const nan = encodeMsgpack({ step: 1, simulation_info: info, map_data: [[Number.NaN]] });
    expect(validateFrameBinary(nan, 'msgpack').map((v) => v.instancePath)).toEqual(['/map_data/0/0']);
  });
});

describe('parseAgentCode (E11)', () => {
  it('splits header and code at the first newline', () => {
    const bytes = new TextEncoder().encode('{"type":"agent_code","agent_id":"a-1"}\nline1\nline2');
    const parsed = parseAgentCode(bytes);
    expect(Array.isArray(parsed)).toBe(false);
    if (!Array.isArray(parsed)) {
      expect(parsed.header).toEqual({ type: 'agent_code', agent_id: 'a-1' });
      expect(new TextDecoder().decode(parsed.code)).toBe('line1\nline2');
    }
  });

  it('rejects a message over the limit', () => {
    const max = loadManifest('evolution').binary.clientAgentCode.maxBytes;
    const bytes = new Uint8Array(max + 1).fill(0x20);
    expect(parseAgentCode(bytes)).toMatchObject([
      { messageType: '(binary)', message: expect.stringMatching(/over the 1048576-byte limit/) },
    ]);
  });
});
