import { encode as encodeMsgpack } from '@msgpack/msgpack';
import { encode as encodeCbor } from 'cbor-x';
import { describe, expect, it } from 'vitest';
import type { Received } from '../../src/engine/types.js';
import { createAtheriaChecker } from '../../src/protocols/atheria-checker.js';

const payload = {
  step: 7,
  timestamp: 1700000000.123,
  simulation_info: { step: 7, is_paused: false, fps: 30, live_feed_enabled: true },
  map_data: [
    [0, 0.5],
    [1, 0.25],
  ],
};

function text(json: unknown, t = 0): Received {
  const s = JSON.stringify(json);
  const type = typeof json === 'object' && json !== null && 'type' in json ? String(json.type) : undefined;
  return { t, kind: 'text', text: s, json, ...(type ? { type } : {}) };
}

function binary(data: Uint8Array, t = 0): Received {
  return { t, kind: 'binary', data: Buffer.from(data) };
}

function header(format: string, size: number): Received {
  return text({ type: 'simulation_frame_binary', format, size });
}

function run(messages: Received[]) {
  const checker = createAtheriaChecker();
  return messages.map((m) => checker.check(m));
}

describe('Atheria inbound checker (C5, A6)', () => {
  it('accepts a JSON frame and a valid msgpack header/payload pair', () => {
    const bytes = encodeMsgpack(payload);
    const results = run([
      text({ type: 'simulation_frame', payload }),
      header('msgpack', bytes.length),
      binary(bytes),
    ]);
    expect(results.flat()).toEqual([]);
  });

  it('accepts a cbor pair', () => {
    const bytes = encodeCbor(payload);
    expect(run([header('cbor', bytes.length), binary(bytes)]).flat()).toEqual([]);
  });

  it('reports a size mismatch', () => {
    const bytes = encodeMsgpack(payload);
    const [, onPayload] = run([header('msgpack', bytes.length + 1), binary(bytes)]);
    expect(onPayload).toHaveLength(1);
    expect(onPayload?.[0]?.message).toMatch(/size/);
    expect(onPayload?.[0]?.messageType).toBe('simulation_frame_binary');
  });

  it('reports a message between header and payload, and the orphaned payload', () => {
    const bytes = encodeMsgpack(payload);
    const [onHeader, onBetween, onPayload] = run([
      header('msgpack', bytes.length),
      text({ type: 'notification', payload: { status: 'info', message: 'x' } }),
      binary(bytes),
    ]);
    expect(onHeader).toEqual([]);
    expect(onBetween?.map((v) => v.message).join()).toMatch(
      /between a binary frame header and its binary payload/,
    );
    expect(onPayload?.[0]?.messageType).toBe('(binary)');
  });

  it('reports a stray binary message', () => {
    const [r] = run([binary(Uint8Array.of(1, 2, 3))]);
    expect(r?.[0]?.message).toMatch(/without a preceding/);
  });

  it('reports a payload that does not decode, and one that decodes to no valid frame', () => {
    const junk = Uint8Array.of(0xc1); // 0xc1 is never used in msgpack
    const [, undecodable] = run([header('msgpack', junk.length), binary(junk)]);
    expect(undecodable?.[0]?.message).toMatch(/does not decode as msgpack/);

    const bad = encodeMsgpack({ step: 'corrupt', map_data: 'corrupt' });
    const [, invalid] = run([header('msgpack', bad.length), binary(bad)]);
    expect(invalid?.length).toBeGreaterThan(0);
    expect(invalid?.every((v) => v.message.startsWith('A6: decoded binary payload'))).toBe(true);
  });

  it('reports an unknown format once (schema) and does not try to decode', () => {
    const bytes = encodeMsgpack(payload);
    const [onHeader, onPayload] = run([header('protobuf', bytes.length), binary(bytes)]);
    expect(onHeader?.length).toBeGreaterThan(0);
    expect(onPayload).toEqual([]);
  });

  it('treats the legacy {type: simulation_frame, is_binary: true} header as a header without size', () => {
    const bytes = encodeMsgpack(payload);
    const results = run([
      text({ type: 'simulation_frame', format: 'msgpack', is_binary: true }),
      binary(bytes),
    ]);
    expect(results.flat()).toEqual([]);
    // its payload is still checked
    const bad = encodeMsgpack({ step: -1 });
    const [, onBad] = run([
      text({ type: 'simulation_frame', format: 'msgpack', is_binary: true }),
      binary(bad),
    ]);
    expect(onBad?.length).toBeGreaterThan(0);
  });

  it('reports non-JSON text and schema violations (A7)', () => {
    const nonJson: Received = { t: 0, kind: 'text', text: 'oops' };
    const [r1, r2] = run([nonJson, text({ type: 'notification', payload: { status: 'ok', message: 'x' } })]);
    expect(r1?.[0]?.message).toMatch(/not JSON/);
    expect(r2?.length).toBeGreaterThan(0);
  });

  it('reports unequal map_data rows (A5)', () => {
    const [r] = run([text({ type: 'simulation_frame', payload: { ...payload, map_data: [[1, 2], [3]] } })]);
    expect(r?.length).toBeGreaterThan(0);
  });

  it('keeps state per checker (per connection)', () => {
    const a = createAtheriaChecker();
    const b = createAtheriaChecker();
    a.check(header('msgpack', 3));
    expect(a.pending).not.toBeNull();
    expect(b.pending).toBeNull();
    expect(b.check(binary(Uint8Array.of(1, 2, 3)))[0]?.messageType).toBe('(binary)');
  });
});
