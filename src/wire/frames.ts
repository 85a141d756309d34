import { randomBytes } from 'node:crypto';

// RFC 6455 §5.2 base framing, written by hand so that cases can send what no WebSocket library
// will: reserved bits, reserved opcodes, unmasked client frames, fragmented control frames and
// headers that lie about the payload length. This is the writer; the one reader is
// frame-parser.ts (incremental and bounded).
//
//  0                   1                   2                   3
//  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
// +-+-+-+-+-------+-+-------------+-------------------------------+
// |F|R|R|R| opcode|M| Payload len |    Extended payload length    |
// |I|S|S|S|  (4)  |A|     (7)     |             (16/64)           |
// |N|V|V|V|       |S|             |   (if payload len==126/127)   |
// | |1|2|3|       |K|             |                               |
// +-+-+-+-+-------+-+-------------+ - - - - - - - - - - - - - - - +
// |     Extended payload length continued, if payload len == 127  |
// + - - - - - - - - - - - - - - - +-------------------------------+
// |                               |Masking-key, if MASK set to 1  |
// +-------------------------------+-------------------------------+

/** §5.2 opcodes (§11.8 registry). */
export const OPCODE = {
  continuation: 0x0,
  text: 0x1,
  binary: 0x2,
  close: 0x8,
  ping: 0x9,
  pong: 0xa,
} as const;

export interface EncodeOptions {
  opcode: number;
  payload?: Buffer | string;
  /** §5.2 FIN, default true */
  fin?: boolean;
  /** §5.2 RSV1..RSV3 as a 3-bit number (RSV1 = 4), default 0 */
  rsv?: number;
  /** §5.3: true (random key, the default for a client), false, or the 4-byte key to use */
  mask?: boolean | Buffer;
  /** the length written in the header instead of the real one (the real payload is still written) */
  lengthOverride?: number | bigint;
  /** force the 7-, 16- or 64-bit length form even where §5.2's minimal encoding would differ */
  lengthEncoding?: 7 | 16 | 64;
}

/** §5.3: XOR each payload byte with the masking key, octet i with key[i mod 4]. Returns a copy. */
export function applyMask(payload: Buffer, key: Buffer): Buffer {
  const out = Buffer.allocUnsafe(payload.length);
  for (let i = 0; i < payload.length; i++) out[i] = (payload[i] ?? 0) ^ (key[i & 3] ?? 0);
  return out;
}

/** Builds one frame (header, masking key, payload) as bytes. */
export function encodeFrame(opts: EncodeOptions): Buffer {
  const payload =
    typeof opts.payload === 'string' ? Buffer.from(opts.payload, 'utf8') : (opts.payload ?? Buffer.alloc(0));
  const declared = BigInt(opts.lengthOverride ?? payload.length);
  if (declared < 0n || declared > 0xffff_ffff_ffff_ffffn)
    throw new RangeError(`frame length out of range: ${declared}`);
  const encoding = opts.lengthEncoding ?? (declared < 126n ? 7 : declared <= 0xffffn ? 16 : 64);
  const key = opts.mask === false ? null : Buffer.isBuffer(opts.mask) ? opts.mask : randomBytes(4);
  if (key && key.length !== 4) throw new RangeError('a masking key has 4 bytes (RFC 6455 §5.3)');

  const extLen = encoding === 7 ? 0 : encoding === 16 ? 2 : 8;
  const head = Buffer.alloc(2 + extLen + (key ? 4 : 0));
  head[0] = ((opts.fin ?? true) ? 0x80 : 0) | (((opts.rsv ?? 0) & 0x7) << 4) | (opts.opcode & 0x0f);
  const maskBit = key ? 0x80 : 0;
  if (encoding === 7) {
    head[1] = maskBit | Number(declared & 0x7fn);
  } else if (encoding === 16) {
    head[1] = maskBit | 126;
    head.writeUInt16BE(Number(declared & 0xffffn), 2);
  } else {
    // §5.2: "the most significant bit MUST be 0" — a lengthOverride may break that on purpose.
    head[1] = maskBit | 127;
    head.writeBigUInt64BE(declared, 2);
  }
  if (key) key.copy(head, 2 + extLen);
  return Buffer.concat([head, key ? applyMask(payload, key) : payload]);
}

/** §5.5.1: a close body is a 2-byte status code followed by an optional UTF-8 reason. */
export function closePayload(code?: number, reason = ''): Buffer {
  if (code === undefined) return Buffer.alloc(0);
  const body = Buffer.alloc(2 + Buffer.byteLength(reason));
  body.writeUInt16BE(code, 0);
  body.write(reason, 2, 'utf8');
  return body;
}

/** Parses a close body; code 1005 (§7.4.1: no status code present) for an empty body. */
export function parseClosePayload(payload: Buffer): { code: number; reason: string } {
  if (payload.length < 2) return { code: 1005, reason: '' };
  return { code: payload.readUInt16BE(0), reason: payload.subarray(2).toString('utf8') };
}

/** Transcript kind of an opcode: data and reserved opcodes are shown as text or binary. */
export function kindOfOpcode(opcode: number): 'text' | 'binary' | 'close' | 'ping' | 'pong' {
  switch (opcode) {
    case OPCODE.text:
      return 'text';
    case OPCODE.close:
      return 'close';
    case OPCODE.ping:
      return 'ping';
    case OPCODE.pong:
      return 'pong';
    default:
      return 'binary';
  }
}
