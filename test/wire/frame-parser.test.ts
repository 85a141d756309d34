import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FrameParser, MAX_HEADER_BYTES, type ParsedFrame } from '../../src/wire/frame-parser.js';
import { type EncodeOptions, encodeFrame } from '../../src/wire/frames.js';

// The one frame reader (RFC 6455 §5.2) must give the same frames whatever the split of the byte
// stream, and hold no more than one header plus maxPayload bytes whatever the bytes (issue 12 §2).

const MAX = 70_000;

/** What a frame reads back as: the header fields and the payload as hex-free comparable parts. */
interface Expected {
  fin: boolean;
  rsv: number;
  opcode: number;
  masked: boolean;
  payload: Buffer;
}

function expectedOf(o: EncodeOptions): Expected {
  const payload = typeof o.payload === 'string' ? Buffer.from(o.payload) : (o.payload ?? Buffer.alloc(0));
  return { fin: o.fin ?? true, rsv: o.rsv ?? 0, opcode: o.opcode, masked: o.mask !== false, payload };
}

/**
 * true when `got` are exactly the `want` frames (fields, declared length and payload bytes); with
 * `skipOver`, frames of more payload are expected skipped: declared length kept, payload empty.
 */
function sameFrames(got: ParsedFrame[], want: Expected[], skipOver = Number.POSITIVE_INFINITY): boolean {
  return (
    got.length === want.length &&
    got.every((g, i) => {
      const w = want[i] as Expected;
      const skipped = w.payload.length > skipOver;
      return (
        g.fin === w.fin &&
        g.rsv === w.rsv &&
        g.opcode === w.opcode &&
        g.masked === w.masked &&
        g.length === w.payload.length &&
        g.skipped === skipped &&
        g.payload.equals(skipped ? Buffer.alloc(0) : w.payload)
      );
    })
  );
}

/** Feeds `chunks` in order, checking the bound after every push; returns all frames read. */
function feed(parser: FrameParser, chunks: Buffer[], maxPayload: number): ParsedFrame[] {
  const frames: ParsedFrame[] = [];
  for (const c of chunks) {
    const r = parser.push(c);
    for (const f of r.frames) frames.push(f);
    if (parser.bufferedBytes > maxPayload + MAX_HEADER_BYTES)
      throw new Error(`holds ${parser.bufferedBytes} bytes, bound ${maxPayload + MAX_HEADER_BYTES}`);
  }
  return frames;
}

const pattern = (len: number, seed: number) => {
  const b = Buffer.allocUnsafe(len);
  for (let i = 0; i < len; i++) b[i] = (i * 31 + seed) & 0xff;
  return b;
};

// The table: every length-encoding boundary, masked and unmasked, with opcodes, RSV bits and FIN
// varied across rows; then every opcode × RSV × FIN × mask on a short payload.
const LENGTHS = [0, 1, 125, 126, 127, 65535, 65536];
const table: { name: string; opts: EncodeOptions }[] = [];
LENGTHS.forEach((len, i) => {
  for (const mask of [false, true]) {
    const opcode = (i * 5 + (mask ? 3 : 0)) & 0xf;
    const rsv = (i + (mask ? 4 : 0)) & 0x7;
    const fin = (i + (mask ? 1 : 0)) % 2 === 0;
    table.push({
      name: `len ${len} ${mask ? 'masked' : 'unmasked'} op=${opcode} rsv=${rsv}${fin ? ' fin' : ''}`,
      opts: {
        opcode,
        rsv,
        fin,
        mask: mask ? Buffer.from([0x37, 0xfa, 0x21, 0x3d]) : false,
        payload: pattern(len, i),
      },
    });
  }
});
for (let opcode = 0; opcode < 16; opcode++)
  for (let rsv = 0; rsv < 8; rsv++)
    for (const fin of [false, true])
      for (const mask of [false, true])
        table.push({
          name: `op=${opcode} rsv=${rsv}${fin ? ' fin' : ''}${mask ? ' masked' : ''}`,
          opts: { opcode, rsv, fin, mask, payload: pattern(3, opcode * 8 + rsv) },
        });

/**
 * The 2-chunk cut points of a frame of `n` bytes: all of them, except that in the middle of a
 * payload of more than 4 KiB only every 127th is taken (127 is odd, so every masking-key phase
 * and word alignment is still hit) unless WSCONFORM_EXHAUSTIVE_SPLITS is set. Every cut of a 64 KiB
 * frame costs a 64 KiB parse: the four such rows take 20–50 s on this 2-core machine (measured),
 * against well under 1 s thinned. The one-byte-at-a-time feed below still crosses every boundary of every row.
 */
function cuts(n: number): number[] {
  const all = Array.from({ length: n + 1 }, (_, i) => i);
  if (n <= 4096 + MAX_HEADER_BYTES || process.env.WSCONFORM_EXHAUSTIVE_SPLITS) return all;
  return all.filter((c) => c < 256 || c > n - 256 || c % 127 === 0);
}

describe('a table of frames, split every way', () => {
  for (const { name, opts } of table) {
    it(name, () => {
      const bytes = encodeFrame(opts);
      const want = [expectedOf(opts)];
      const whole = new FrameParser({ maxPayload: MAX });
      expect(sameFrames(feed(whole, [bytes], MAX), want)).toBe(true);
      expect(whole.bufferedBytes).toBe(0);
      expect(whole.offset).toBe(bytes.length);
      expect(whole.push(Buffer.alloc(0))).toEqual({ frames: [], error: null });

      // 2-chunk splits: the first chunk alone never completes the frame (checked without expect()
      // per split: a 64 KiB row has 65 000 splits)
      const wrong: number[] = [];
      for (const cut of cuts(bytes.length)) {
        const p = new FrameParser({ maxPayload: MAX });
        const first = p.push(bytes.subarray(0, cut)).frames;
        const rest = p.push(bytes.subarray(cut)).frames;
        const ok =
          first.length === (cut === bytes.length ? 1 : 0) &&
          sameFrames([...first, ...rest], want) &&
          p.bufferedBytes === 0;
        if (!ok) wrong.push(cut);
      }
      expect(wrong).toEqual([]);

      // one byte at a time
      const p = new FrameParser({ maxPayload: MAX });
      const one = feed(
        p,
        Array.from({ length: bytes.length }, (_, i) => bytes.subarray(i, i + 1)),
        MAX,
      );
      expect(sameFrames(one, want)).toBe(true);
    });
  }

  it('the whole table back to back, one byte at a time, reads as the table', () => {
    const all = Buffer.concat(table.map((t) => encodeFrame(t.opts)));
    const p = new FrameParser({ maxPayload: MAX });
    const chunks = Array.from({ length: all.length }, (_, i) => all.subarray(i, i + 1));
    expect(
      sameFrames(
        feed(p, chunks, MAX),
        table.map((t) => expectedOf(t.opts)),
      ),
    ).toBe(true);
  });

  it('reports the length form used, the minimal one or not (§5.2)', () => {
    const forms = ([7, 16, 64] as const).map(
      (lengthEncoding) =>
        new FrameParser({ maxPayload: 10 }).push(
          encodeFrame({ opcode: 1, payload: 'abc', mask: false, lengthEncoding }),
        ).frames[0]?.lengthEncoding,
    );
    expect(forms).toEqual([7, 16, 64]);
  });
});

/** Cut points → chunks of `bytes`. */
function split(bytes: Buffer, cuts: number[]): Buffer[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  let at = 0;
  for (const p of [...points, bytes.length]) {
    chunks.push(bytes.subarray(at, p));
    at = p;
  }
  return chunks;
}

const frameArb = fc.record({
  opcode: fc.integer({ min: 0, max: 15 }),
  rsv: fc.integer({ min: 0, max: 7 }),
  fin: fc.boolean(),
  mask: fc.oneof(fc.constant(false as const), fc.uint8Array({ minLength: 4, maxLength: 4 })),
  payload: fc.oneof(
    fc.uint8Array({ maxLength: 130 }),
    fc.integer({ min: 0, max: 70_000 }).map((n) => new Uint8Array(n).fill(n & 0xff)),
  ),
  lengthEncoding: fc.option(fc.constantFrom(16 as const, 64 as const), { nil: undefined }),
});

function toOptions(s: typeof frameArb extends fc.Arbitrary<infer T> ? T : never): EncodeOptions {
  return {
    ...s,
    mask: s.mask === false ? false : Buffer.from(s.mask),
    payload: Buffer.from(s.payload),
    // a 16-bit length cannot say more than 65535
    lengthEncoding: s.lengthEncoding && s.payload.length > 0xffff ? 64 : s.lengthEncoding,
  };
}

describe('properties', () => {
  it('any frame sequence split anywhere reads as the frames sent, within the bound', () => {
    fc.assert(
      fc.property(
        fc.array(frameArb, { maxLength: 8 }),
        fc.array(fc.nat(), { maxLength: 40 }),
        (specs, cuts) => {
          const opts = specs.map(toOptions);
          const bytes = Buffer.concat(opts.map((o) => encodeFrame(o)));
          const p = new FrameParser({ maxPayload: MAX });
          const frames = feed(p, split(bytes, cuts), MAX);
          return sameFrames(frames, opts.map(expectedOf)) && p.bufferedBytes === 0 && p.error === null;
        },
      ),
      { numRuns: 300 },
    );
  });

  it("with oversize 'skip', frames over maxPayload come without their payload and the rest reads on", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 200 }),
        fc.array(frameArb, { maxLength: 8 }),
        fc.array(fc.nat(), { maxLength: 40 }),
        (maxPayload, specs, cuts) => {
          const opts = specs.map(toOptions);
          const bytes = Buffer.concat(opts.map((o) => encodeFrame(o)));
          const p = new FrameParser({ maxPayload, oversize: 'skip' });
          const frames = feed(p, split(bytes, cuts), maxPayload);
          return (
            sameFrames(frames, opts.map(expectedOf), maxPayload) && p.bufferedBytes === 0 && p.error === null
          );
        },
      ),
      { numRuns: 300 },
    );
  });

  it('arbitrary bytes split anywhere never throw, hold at most maxPayload + 14, stop for good on error', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 300 }),
        fc.constantFrom('error' as const, 'skip' as const),
        fc.oneof(
          fc.uint8Array({ maxLength: 3000 }),
          // garbage after a valid frame, so that the bytes are read as frames for a while
          fc.tuple(frameArb, fc.uint8Array({ maxLength: 500 })).map(([f, junk]) =>
            Buffer.concat([
              encodeFrame({
                ...f,
                mask: f.mask === false ? false : Buffer.from(f.mask),
                payload: Buffer.from(f.payload.subarray(0, 200)),
                lengthEncoding: undefined,
              }),
              junk,
            ]),
          ),
        ),
        fc.array(fc.nat(), { maxLength: 60 }),
        (maxPayload, oversize, garbage, cuts) => {
          const p = new FrameParser({ maxPayload, oversize });
          let stoppedAt: unknown = null;
          for (const chunk of split(Buffer.from(garbage), cuts)) {
            const r = p.push(chunk);
            if (p.bufferedBytes > maxPayload + MAX_HEADER_BYTES) return false;
            for (const f of r.frames) {
              if (f.payload.length > maxPayload) return false;
              if (
                f.skipped ? f.payload.length !== 0 || f.length <= maxPayload : f.payload.length !== f.length
              )
                return false;
            }
            // skipping leaves one way to stop: a length with its top bit set
            if (r.error && oversize === 'skip' && r.error.code !== 'length-msb-set') return false;
            if (stoppedAt !== null && (r.frames.length > 0 || r.error !== stoppedAt)) return false;
            if (r.error) {
              if (p.bufferedBytes !== 0) return false;
              stoppedAt = r.error;
            }
          }
          return true;
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('a header announcing too much is refused at once, without its payload', () => {
  const header = (len8: bigint, masked = false) => {
    const h = Buffer.alloc(10);
    h[0] = 0x82;
    h[1] = (masked ? 0x80 : 0) | 127;
    h.writeBigUInt64BE(len8, 2);
    return masked ? Buffer.concat([h, Buffer.from([1, 2, 3, 4])]) : h;
  };

  for (const [name, len, code] of [
    ['2^63 (top bit set, §5.2 MUST be 0)', 2n ** 63n, 'length-msb-set'],
    ['2^64 - 1', 2n ** 64n - 1n, 'length-msb-set'],
    ['2^63 - 1', 2n ** 63n - 1n, 'payload-too-big'],
    ['maxPayload + 1', 1025n, 'payload-too-big'],
  ] as const) {
    for (const masked of [false, true]) {
      it(`${name}${masked ? ', masked' : ''}: error at the 10th header byte, nothing held`, () => {
        const bytes = header(len, masked);
        const p = new FrameParser({ maxPayload: 1024 });
        for (let i = 0; i < 9; i++) expect(p.push(bytes.subarray(i, i + 1)).error).toBeNull();
        const r = p.push(bytes.subarray(9, 10));
        expect(r.error).toMatchObject({ code, declared: len, offset: 0 });
        expect(r.error?.message).toContain(String(len));
        expect(p.bufferedBytes).toBe(0);
        // refuses everything after, valid frames included
        const after = p.push(Buffer.concat([bytes.subarray(10), encodeFrame({ opcode: 1, payload: 'ok' })]));
        expect(after).toEqual({ frames: [], error: r.error });
        expect(p.bufferedBytes).toBe(0);
      });
    }
  }

  it('a 16-bit length over the limit errors at the 4th byte; frames before it are read', () => {
    const good = encodeFrame({ opcode: 1, payload: 'first', mask: false });
    const big = encodeFrame({ opcode: 2, payload: Buffer.alloc(300), mask: false });
    const p = new FrameParser({ maxPayload: 200 });
    const r1 = p.push(Buffer.concat([good, big.subarray(0, 3)]));
    expect(r1.error).toBeNull();
    expect(r1.frames.map((f) => f.payload.toString())).toEqual(['first']);
    const r2 = p.push(big.subarray(3, 4));
    expect(r2.error).toMatchObject({ code: 'payload-too-big', declared: 300n, offset: good.length });
  });

  it('a frame of exactly maxPayload is read, one byte more is not', () => {
    expect(
      new FrameParser({ maxPayload: 200 }).push(encodeFrame({ opcode: 2, payload: Buffer.alloc(200) })),
    ).toMatchObject({ frames: [{ length: 200 }], error: null });
    expect(
      new FrameParser({ maxPayload: 200 }).push(encodeFrame({ opcode: 2, payload: Buffer.alloc(201) })).error
        ?.code,
    ).toBe('payload-too-big');
  });

  it("with oversize 'skip', 2^63 is still an error at the header, and 2^63 - 1 is skipped holding 10 bytes", () => {
    const stop = new FrameParser({ maxPayload: 1024, oversize: 'skip' });
    expect(stop.push(header(2n ** 63n)).error?.code).toBe('length-msb-set');
    const skip = new FrameParser({ maxPayload: 1024, oversize: 'skip' });
    expect(skip.push(header(2n ** 63n - 1n))).toEqual({ frames: [], error: null });
    for (let i = 0; i < 64; i++) {
      expect(skip.push(Buffer.alloc(16 * 1024, 0x41))).toEqual({ frames: [], error: null });
      expect(skip.bufferedBytes).toBe(10);
    }
  });

  it("with oversize 'skip', a close after an oversize frame is read, split every way", () => {
    const big = encodeFrame({ opcode: 2, payload: pattern(3000, 1), mask: Buffer.from([9, 8, 7, 6]) });
    const close = encodeFrame({ opcode: 8, payload: Buffer.from([0x03, 0xe8]), mask: false });
    const bytes = Buffer.concat([big, close]);
    const want = [
      { fin: true, rsv: 0, opcode: 2, masked: true, payload: pattern(3000, 1) },
      { fin: true, rsv: 0, opcode: 8, masked: false, payload: Buffer.from([0x03, 0xe8]) },
    ];
    const wrong: number[] = [];
    for (let cut = 0; cut <= bytes.length; cut++) {
      const p = new FrameParser({ maxPayload: 125, oversize: 'skip' });
      let frames: ParsedFrame[];
      try {
        frames = feed(p, [bytes.subarray(0, cut), bytes.subarray(cut)], 125);
      } catch {
        frames = [];
      }
      if (!sameFrames(frames, want, 125) || p.bufferedBytes !== 0) wrong.push(cut);
    }
    expect(wrong).toEqual([]);
  });

  it('a truthful header within the limit holds only what has arrived', () => {
    const bytes = encodeFrame({ opcode: 2, payload: Buffer.alloc(1000), mask: false });
    const p = new FrameParser({ maxPayload: 1000 });
    p.push(bytes.subarray(0, 4 + 10));
    expect(p.bufferedBytes).toBe(14);
  });
});
