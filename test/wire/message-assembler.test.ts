import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RawFrame } from '../../src/engine/types.js';
import { FrameParser } from '../../src/wire/frame-parser.js';
import { encodeFrame, OPCODE } from '../../src/wire/frames.js';
import { type AssembleResult, MessageAssembler } from '../../src/wire/message-assembler.js';

// Frames → messages, RFC 6455 §5.4 (fragmentation) and §5.5 (control frames).

const f = (opcode: number, payload: string | Buffer, fin = true, rsv = 0): RawFrame => ({
  opcode,
  fin,
  rsv,
  masked: false,
  payload: typeof payload === 'string' ? Buffer.from(payload) : payload,
});

const run = (frames: RawFrame[], opts = { maxMessage: 1000 }) => {
  const a = new MessageAssembler(opts);
  return { a, results: frames.map((x) => a.push(x)) };
};

const kinds = (rs: AssembleResult[]) =>
  rs.map((r) => (r.kind === 'error' ? `error:${r.error.code}` : r.kind));

describe('MessageAssembler', () => {
  it('an unfragmented text message is one message', () => {
    const { results } = run([f(OPCODE.text, 'hello')]);
    expect(results).toEqual([
      { kind: 'message', message: { opcode: OPCODE.text, rsv: 0, payload: Buffer.from('hello'), frames: 1 } },
    ]);
  });

  it('joins fragments, with control frames between them (§5.4 "MAY be injected")', () => {
    const { a, results } = run([
      f(OPCODE.binary, 'ab', false),
      f(OPCODE.ping, 'p'),
      f(OPCODE.continuation, 'cd', false),
      f(OPCODE.pong, ''),
      f(OPCODE.continuation, 'e', true),
    ]);
    expect(kinds(results)).toEqual(['pending', 'control', 'pending', 'control', 'message']);
    const last = results[4];
    expect(last?.kind === 'message' && last.message).toEqual({
      opcode: OPCODE.binary,
      rsv: 0,
      payload: Buffer.from('abcde'),
      frames: 3,
    });
    const ping = results[1];
    expect(ping?.kind === 'control' && ping.frame.payload.toString()).toBe('p');
    expect(a.inMessage).toBe(false);
    expect(a.bufferedBytes).toBe(0);
  });

  it('zero-length fragments are fragments too', () => {
    const { results } = run([f(OPCODE.text, '', false), f(OPCODE.continuation, '', false), f(0, '', true)]);
    const last = results[2];
    expect(last?.kind === 'message' && last.message).toMatchObject({ payload: Buffer.alloc(0), frames: 3 });
  });

  it.each([
    [
      'a continuation with nothing to continue',
      [f(OPCODE.continuation, 'x')],
      'continuation-without-start',
      0,
    ],
    [
      'a new text frame before the open message ended',
      [f(OPCODE.text, 'a', false), f(OPCODE.text, 'b')],
      'message-not-finished',
      1,
    ],
    [
      'a new binary frame before the open message ended, after a ping',
      [f(OPCODE.text, 'a', false), f(OPCODE.ping, ''), f(OPCODE.binary, 'b', false)],
      'message-not-finished',
      2,
    ],
    ['a fragmented ping (§5.5)', [f(OPCODE.ping, 'a', false)], 'control-fragmented', 0],
    ['a close of 126 bytes (§5.5)', [f(OPCODE.close, Buffer.alloc(126))], 'control-too-long', 0],
    ['reserved opcode 0x3', [f(0x3, 'x')], 'reserved-opcode', 0],
    ['reserved control opcode 0xB', [f(0xb, 'x')], 'reserved-opcode', 0],
    ['RSV1 with no extension', [f(OPCODE.text, 'x', true, 0b100)], 'reserved-bits', 0],
    ['RSV3 on a continuation', [f(OPCODE.text, 'x', false), f(0, 'y', true, 0b001)], 'reserved-bits', 1],
  ] as const)('%s is a protocol error (%s)', (_name, frames, code, at) => {
    const { a, results } = run([...frames]);
    expect(results[at]).toMatchObject({ kind: 'error', error: { code, frameIndex: at } });
    expect(results.slice(0, at).every((r) => r.kind !== 'error')).toBe(true);
    // sticky: nothing more is read, valid frames included
    expect(a.push(f(OPCODE.text, 'fine'))).toEqual({ kind: 'error', error: a.error });
    expect(a.bufferedBytes).toBe(0);
  });

  it('a control frame of exactly 125 bytes is fine', () => {
    expect(run([f(OPCODE.ping, Buffer.alloc(125))]).results[0]?.kind).toBe('control');
  });

  it('RSV1 is allowed where an extension negotiated it (RFC 7692) and reported on the message', () => {
    const a = new MessageAssembler({ maxMessage: 100, rsvAllowed: 0b100 });
    expect(a.push(f(OPCODE.text, 'x', false, 0b100)).kind).toBe('pending');
    const r = a.push(f(OPCODE.continuation, 'y'));
    expect(r.kind === 'message' && r.message.rsv).toBe(0b100);
    expect(a.push(f(OPCODE.text, 'z', true, 0b010))).toMatchObject({ error: { code: 'reserved-bits' } });
  });

  it('a message over maxMessage fails at the fragment that crosses it; exactly maxMessage is fine', () => {
    const ok = run([f(OPCODE.binary, Buffer.alloc(60), false), f(0, Buffer.alloc(40))], { maxMessage: 100 });
    expect(kinds(ok.results)).toEqual(['pending', 'message']);
    const { a, results } = run(
      [f(OPCODE.binary, Buffer.alloc(60), false), f(0, Buffer.alloc(41), false), f(0, Buffer.alloc(1))],
      { maxMessage: 100 },
    );
    expect(kinds(results)).toEqual(['pending', 'error:message-too-big', 'error:message-too-big']);
    expect(a.bufferedBytes).toBe(0);
  });

  it('a never-ending fragmented message stays within maxMessage', () => {
    const a = new MessageAssembler({ maxMessage: 1000 });
    let r: AssembleResult = { kind: 'pending' };
    let max = 0;
    a.push(f(OPCODE.binary, Buffer.alloc(7), false));
    for (let i = 0; i < 10_000 && r.kind !== 'error'; i++) {
      r = a.push(f(OPCODE.continuation, Buffer.alloc(7), false));
      max = Math.max(max, a.bufferedBytes);
    }
    expect(r).toMatchObject({ kind: 'error', error: { code: 'message-too-big' } });
    expect(max).toBeLessThanOrEqual(1000);
  });
});

describe('parser + assembler: any fragmentation of any messages, split anywhere, gives the messages', () => {
  it('property', () => {
    const message = fc.record({
      opcode: fc.constantFrom(OPCODE.text, OPCODE.binary),
      parts: fc.array(fc.uint8Array({ maxLength: 40 }), { minLength: 1, maxLength: 5 }),
      pings: fc.array(fc.boolean(), { maxLength: 5 }),
    });
    fc.assert(
      fc.property(
        fc.array(message, { maxLength: 6 }),
        fc.array(fc.nat(), { maxLength: 30 }),
        (msgs, cuts) => {
          const frames: Buffer[] = [];
          for (const m of msgs)
            m.parts.forEach((part, i) => {
              frames.push(
                encodeFrame({
                  opcode: i === 0 ? m.opcode : OPCODE.continuation,
                  fin: i === m.parts.length - 1,
                  payload: Buffer.from(part),
                }),
              );
              if (m.pings[i]) frames.push(encodeFrame({ opcode: OPCODE.ping, payload: 'between' }));
            });
          const bytes = Buffer.concat(frames);
          const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((x, y) => x - y);
          const parser = new FrameParser({ maxPayload: 1000 });
          const asm = new MessageAssembler({ maxMessage: 1000 });
          const got: { opcode: number; payload: string; frames: number }[] = [];
          let pings = 0;
          let at = 0;
          for (const p of [...points, bytes.length]) {
            for (const frame of parser.push(bytes.subarray(at, p)).frames) {
              const r = asm.push(frame);
              if (r.kind === 'error') return false;
              if (r.kind === 'control') pings++;
              if (r.kind === 'message')
                got.push({
                  opcode: r.message.opcode,
                  payload: r.message.payload.toString('hex'),
                  frames: r.message.frames,
                });
            }
            at = p;
          }
          const want = msgs.map((m) => ({
            opcode: m.opcode,
            payload: Buffer.concat(m.parts.map((x) => Buffer.from(x))).toString('hex'),
            frames: m.parts.length,
          }));
          const wantPings = msgs.reduce(
            (n, m) => n + m.pings.slice(0, m.parts.length).filter(Boolean).length,
            0,
          );
          expect(got).toEqual(want);
          return pings === wantPings && !asm.inMessage;
        },
      ),
      { numRuns: 300 },
    );
  });
});
