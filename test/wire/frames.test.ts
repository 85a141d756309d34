import { describe, expect, it } from 'vitest';
import { FrameParser } from '../../src/wire/frame-parser.js';
import { applyMask, closePayload, encodeFrame, OPCODE, parseClosePayload } from '../../src/wire/frames.js';

const hex = (b: Buffer) => b.toString('hex');

/** The frames the one reader (frame-parser.ts) gets from `bytes`, and what it still holds. */
function read(bytes: Buffer, maxPayload = 1 << 20) {
  const parser = new FrameParser({ maxPayload });
  const { frames, error } = parser.push(bytes);
  return { frames, error, held: parser.bufferedBytes };
}

describe('RFC 6455 §5.7 examples', () => {
  it('encodes an unmasked single-frame text "Hello"', () => {
    expect(hex(encodeFrame({ opcode: OPCODE.text, payload: 'Hello', mask: false }))).toBe('810548656c6c6f');
  });

  it('encodes a masked "Hello" with key 37 fa 21 3d', () => {
    const key = Buffer.from('37fa213d', 'hex');
    expect(hex(encodeFrame({ opcode: OPCODE.text, payload: 'Hello', mask: key }))).toBe(
      '818537fa213d7f9f4d5158',
    );
  });

  it('uses the 16-bit length for 256 bytes and the 64-bit length for 64 KiB', () => {
    const f256 = encodeFrame({ opcode: OPCODE.binary, payload: Buffer.alloc(256), mask: false });
    expect(hex(f256.subarray(0, 4))).toBe('827e0100');
    const f64k = encodeFrame({ opcode: OPCODE.binary, payload: Buffer.alloc(65536), mask: false });
    expect(hex(f64k.subarray(0, 10))).toBe('827f0000000000010000');
  });
});

describe('encode/decode round trips', () => {
  for (const len of [0, 1, 125, 126, 127, 65535, 65536, 70000]) {
    for (const mask of [false, true]) {
      it(`${len} bytes, ${mask ? 'masked' : 'unmasked'}`, () => {
        const payload = Buffer.alloc(len, 0).map((_, i) => (i * 7) & 0xff) as Buffer;
        const bytes = encodeFrame({ opcode: OPCODE.binary, payload, mask });
        const { frames, held } = read(bytes);
        expect(frames).toHaveLength(1);
        expect(held).toBe(0); // every byte used
        const [decoded] = frames;
        expect(decoded?.masked).toBe(mask);
        expect(decoded?.opcode).toBe(OPCODE.binary);
        expect(decoded?.fin).toBe(true);
        expect(decoded?.length).toBe(len);
        expect(Buffer.compare(decoded?.payload ?? Buffer.alloc(1), payload)).toBe(0);
        if (mask && len > 0) expect(bytes.subarray(-len).equals(payload)).toBe(false);
      });
    }
  }

  it('keeps FIN, RSV bits and reserved opcodes', () => {
    const bytes = encodeFrame({ opcode: 0x3, payload: 'x', fin: false, rsv: 0b101, mask: true });
    expect(bytes[0]).toBe(0b0101_0011);
    const f = read(bytes).frames[0];
    expect(f).toMatchObject({ fin: false, rsv: 0b101, opcode: 0x3, masked: true });
    expect(f?.payload.toString()).toBe('x');
  });

  it('masking twice restores the payload (§5.3)', () => {
    const key = Buffer.from([1, 2, 3, 4]);
    const data = Buffer.from('masking is an involution');
    expect(applyMask(applyMask(data, key), key).equals(data)).toBe(true);
  });

  it('reads nothing while a frame is incomplete and two frames in a row', () => {
    const a = encodeFrame({ opcode: OPCODE.text, payload: 'first', mask: true });
    const b = encodeFrame({ opcode: OPCODE.ping, payload: 'p', mask: false });
    const both = Buffer.concat([a, b]);
    for (let cut = 0; cut < a.length; cut++) expect(read(both.subarray(0, cut)).frames).toEqual([]);
    const [first, second] = read(both).frames;
    expect(first?.payload.toString()).toBe('first');
    expect(second).toMatchObject({ opcode: OPCODE.ping, masked: false });
  });

  it('writes a lying length and a non-minimal 64-bit length on request', () => {
    const lie = encodeFrame({ opcode: OPCODE.text, payload: 'abc', mask: false, lengthOverride: 10 });
    expect(lie[1]).toBe(10);
    expect(lie.length).toBe(2 + 3);
    expect(read(lie)).toMatchObject({ frames: [], error: null, held: 5 }); // waits for 7 more bytes
    const wide = encodeFrame({ opcode: OPCODE.text, payload: 'abc', mask: false, lengthEncoding: 64 });
    expect(hex(wide.subarray(0, 10))).toBe('817f0000000000000003');
    const [w] = read(wide).frames;
    expect(w?.payload.toString()).toBe('abc');
    expect(w?.lengthEncoding).toBe(64); // read, and reported for the cases to judge (§5.2 minimal)
  });

  it('can set the most significant bit of a 64-bit length and the decoder refuses it', () => {
    const huge = encodeFrame({ opcode: OPCODE.binary, payload: 'x', mask: false, lengthOverride: 2n ** 63n });
    expect(hex(huge.subarray(0, 10))).toBe('827f8000000000000000');
    expect(read(huge).error?.code).toBe('length-msb-set');
  });

  it('close payloads round-trip, and an empty one means 1005 (§7.4.1)', () => {
    expect(parseClosePayload(closePayload(1002, 'bad frame'))).toEqual({ code: 1002, reason: 'bad frame' });
    expect(parseClosePayload(closePayload())).toEqual({ code: 1005, reason: '' });
  });
});
