import type { RawFrame } from '../engine/types.js';

// The harness's one reader of RFC 6455 §5.2 frames: bytes in, frames out. Pure and incremental —
// no socket, no timer — so that any split of the stream (one byte per TCP read included) gives the
// same frames, and so that what a server sends can never make the harness hold more than one
// frame header plus `maxPayload` bytes: a header announcing more is refused as soon as its length
// field is complete, before a single payload byte is buffered (issue 12 §2). The writer is
// `encodeFrame` in frames.ts.
//
// Refused how is the caller's choice (`oversize`): 'error' stops the stream there; 'skip' passes
// the frame on with its header fields and declared length but no payload, discarding the payload
// bytes as they arrive, so that what follows (a close, a pong) is still read. The raw connections
// skip: the run's --max-message-size is the limit of what the *server* accepts, and a server's own
// frames (an Atheria grid at 256×256 is ~1.4 MB of JSON) are not bound by it. A 64-bit length with
// its top bit set (§5.2 MUST be 0) can be neither held nor skipped: an error in both modes.
//
// The reader is lenient where judging is the cases' job: it accepts reserved bits and opcodes,
// masked server frames and non-minimal length encodings, and reports them (`rsv`, `opcode`,
// `masked`, `lengthEncoding`) for the cases to judge. It refuses only what it cannot hold.

/** A complete frame as read: §5.2 header fields, the payload (already unmasked, §5.3). */
export interface ParsedFrame extends RawFrame {
  /** the payload length the header declared (payload.length, unless the frame was skipped) */
  length: number;
  /** the length form the header used (§5.2: 7-bit, 16-bit after 126, 64-bit after 127) */
  lengthEncoding: 7 | 16 | 64;
  /** true when the payload was over maxPayload and discarded unread (oversize 'skip'): payload is empty */
  skipped: boolean;
}

export type FrameParseErrorCode =
  /** §5.2: "the most significant bit MUST be 0" in a 64-bit length */
  | 'length-msb-set'
  /** the header announces more payload than the reader's maxPayload (oversize 'error') */
  | 'payload-too-big';

/** Why the parser stopped. After an error it refuses all further input. */
export interface FrameParseError {
  code: FrameParseErrorCode;
  message: string;
  /** the length the offending header declared */
  declared: bigint;
  /** stream offset (bytes pushed before it) of the offending frame's first header byte */
  offset: number;
}

export interface ParseResult {
  /** the frames completed by this chunk, in stream order */
  frames: ParsedFrame[];
  /** set once the stream is unreadable (sticky: every later push returns it again) */
  error: FrameParseError | null;
}

export interface FrameParserOptions {
  /** the largest payload held for one frame; the harness passes its --max-message-size */
  maxPayload: number;
  /** a frame announcing more: stop with an error (default) or pass it on without its payload */
  oversize?: 'error' | 'skip';
}

/** The longest §5.2 header: 2 bytes, 8 of extended length, 4 of masking key. */
export const MAX_HEADER_BYTES = 14;

const MSB_64 = 1n << 63n;

/** true on a little-endian host: a Uint32Array word holds its bytes in that order */
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/**
 * §5.3 in place: payload octet i XOR masking-key octet (i mod 4), the key being head[k..k+4].
 * Four bytes at a time where the payload is word-aligned: a megabyte frame costs a quarter of the
 * byte loop.
 */
function unmask(data: Buffer, head: Buffer, k: number): void {
  const words = data.byteOffset % 4 === 0 ? data.length >>> 2 : 0;
  if (words > 0) {
    const view = new Uint32Array(data.buffer, data.byteOffset, words);
    const key = LITTLE_ENDIAN ? head.readUInt32LE(k) : head.readUInt32BE(k);
    for (let w = 0; w < words; w++) view[w]! ^= key;
  }
  for (let j = words * 4; j < data.length; j++) data[j] = (data[j] ?? 0) ^ (head[k + (j & 3)] ?? 0);
}

export class FrameParser {
  private readonly maxPayload: number;
  private readonly skipOversize: boolean;
  /** header bytes of the frame being read (at most MAX_HEADER_BYTES) */
  private readonly head = Buffer.alloc(MAX_HEADER_BYTES);
  private headLen = 0;
  /** true once the header is complete, until the payload is */
  private inPayload = false;
  /** payload of the frame being read, allocated once its header is complete; null when skipped */
  private body: Buffer | null = null;
  /** payload bytes taken (kept or skipped) of the frame being read */
  private got = 0;
  private headerSize = 0;
  /**
   * The declared length. A number: only a skipped frame can exceed 2^53, and its count of bytes
   * taken would need 2^53 bytes (8 PiB) of stream before the rounding mattered.
   */
  private declared = 0;
  private skipping = false;
  private consumed = 0;
  private frameStart = 0;
  private failed: FrameParseError | null = null;

  constructor(opts: FrameParserOptions) {
    if (!Number.isSafeInteger(opts.maxPayload) || opts.maxPayload < 0)
      throw new RangeError(`maxPayload must be a non-negative safe integer, got ${opts.maxPayload}`);
    this.maxPayload = opts.maxPayload;
    this.skipOversize = opts.oversize === 'skip';
  }

  /** Bytes held for the frame not yet complete: never more than maxPayload + MAX_HEADER_BYTES. */
  get bufferedBytes(): number {
    return this.headLen + (this.body ? this.got : 0);
  }

  /** The error that stopped the parser, or null while it reads. */
  get error(): FrameParseError | null {
    return this.failed;
  }

  /** Total bytes accepted so far (the stream offset of the next byte). */
  get offset(): number {
    return this.consumed;
  }

  /** Feeds the next bytes of the stream; returns the frames they complete. */
  push(chunk: Uint8Array): ParseResult {
    const frames: ParsedFrame[] = [];
    let i = 0;
    while (i < chunk.length && !this.failed) {
      if (!this.inPayload) {
        i += this.readHeader(chunk, i);
        if (!this.inPayload) continue; // header still incomplete, or refused
      } else {
        const n = Math.min(this.declared - this.got, chunk.length - i);
        this.body?.set(chunk.subarray(i, i + n), this.got);
        this.got += n;
        i += n;
        this.consumed += n;
      }
      if (this.got === this.declared) frames.push(this.finish());
    }
    return { frames, error: this.failed };
  }

  /** Copies header bytes from chunk[at..]; returns how many it took. Sets `inPayload` when complete. */
  private readHeader(chunk: Uint8Array, at: number): number {
    let i = at;
    if (this.headLen === 0) this.frameStart = this.consumed;
    // Take one byte at a time up to the size the bytes so far call for: the size is known after
    // byte 2, and the length is checked as soon as its field is complete.
    while (i < chunk.length) {
      this.head[this.headLen++] = chunk[i++] ?? 0;
      this.consumed++;
      if (this.headLen < 2) continue;
      const len7 = (this.head[1] ?? 0) & 0x7f;
      const extLen = len7 === 126 ? 2 : len7 === 127 ? 8 : 0;
      const size = 2 + extLen + (((this.head[1] ?? 0) & 0x80) !== 0 ? 4 : 0);
      if (this.headLen === 2 + extLen && !this.checkLength(len7, extLen)) return i - at;
      if (this.headLen === size) {
        this.headerSize = size;
        this.inPayload = true;
        this.body = this.skipping ? null : Buffer.allocUnsafe(this.declared);
        this.got = 0;
        return i - at;
      }
    }
    return i - at;
  }

  /** Reads the declared length once its field is complete; false (and stops) when refused. */
  private checkLength(len7: number, extLen: number): boolean {
    const declared =
      extLen === 0
        ? BigInt(len7)
        : extLen === 2
          ? BigInt(this.head.readUInt16BE(2))
          : this.head.readBigUInt64BE(2);
    if (declared >= MSB_64) {
      this.stop('length-msb-set', declared, 'the most significant bit of a 64-bit length MUST be 0 (§5.2)');
      return false;
    }
    this.skipping = declared > BigInt(this.maxPayload);
    if (this.skipping && !this.skipOversize) {
      this.stop('payload-too-big', declared, `more than the ${this.maxPayload}-byte limit`);
      return false;
    }
    this.declared = Number(declared);
    return true;
  }

  private stop(code: FrameParseErrorCode, declared: bigint, why: string): void {
    this.failed = {
      code,
      declared,
      offset: this.frameStart,
      message: `a frame header at stream byte ${this.frameStart} declares ${declared} payload bytes: ${why}`,
    };
    // nothing of the refused frame is kept
    this.headLen = 0;
    this.inPayload = false;
    this.body = null;
  }

  private finish(): ParsedFrame {
    const b0 = this.head[0] ?? 0;
    const b1 = this.head[1] ?? 0;
    const masked = (b1 & 0x80) !== 0;
    const payload = this.body ?? Buffer.alloc(0);
    if (masked && this.body) unmask(payload, this.head, this.headerSize - 4);
    const len7 = b1 & 0x7f;
    const frame: ParsedFrame = {
      fin: (b0 & 0x80) !== 0,
      rsv: (b0 >> 4) & 0x7,
      opcode: b0 & 0x0f,
      masked,
      payload,
      length: this.declared,
      lengthEncoding: len7 === 126 ? 16 : len7 === 127 ? 64 : 7,
      skipped: this.skipping,
    };
    this.headLen = 0;
    this.inPayload = false;
    this.body = null;
    this.got = 0;
    this.skipping = false;
    return frame;
  }
}
