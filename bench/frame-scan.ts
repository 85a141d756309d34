// Cheap extraction of `step` and `timestamp` from a simulation frame without decoding its map_data.
// A 64×64 frame is tens of kB and a 256×256 one around a megabyte; fully decoding every frame in
// every client would make the load generator, not the server, the thing measured. The first frame
// each worker sees in each encoding is also decoded fully and compared (see verify in the worker),
// and a disagreement switches that worker to full decoding, so the shortcut can never go unnoticed.

export interface FrameFields {
  step: number | null;
  timestamp: number | null;
}

const JSON_STEP = Buffer.from('"step"');
const JSON_TS = Buffer.from('"timestamp"');
const JSON_FRAME_TYPE = Buffer.from('"simulation_frame"');

/** true if a large JSON text message is a simulation_frame (its type string occurs in it). */
export function jsonLooksLikeFrame(buf: Buffer): boolean {
  return buf.indexOf(JSON_FRAME_TYPE) !== -1;
}

function jsonNumberAfterKey(buf: Buffer, key: Buffer): number | null {
  const at = buf.indexOf(key);
  if (at === -1) return null;
  let i = at + key.length;
  // skip whitespace and the colon (RFC 8259 §2 allows whitespace around ':')
  while (
    i < buf.length &&
    (buf[i] === 0x20 || buf[i] === 0x0a || buf[i] === 0x0d || buf[i] === 0x09 || buf[i] === 0x3a)
  )
    i++;
  const start = i;
  while (i < buf.length) {
    const c = buf[i]!;
    // digits, '-', '+', '.', 'e', 'E'
    if ((c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x2b || c === 0x2e || c === 0x65 || c === 0x45) i++;
    else break;
  }
  if (i === start) return null;
  const n = Number(buf.toString('latin1', start, i));
  return Number.isFinite(n) ? n : null;
}

/** step/timestamp of a JSON frame: the first `"step"` is payload.step or simulation_info.step (equal by A5). */
export function scanJsonFrame(buf: Buffer): FrameFields {
  return { step: jsonNumberAfterKey(buf, JSON_STEP), timestamp: jsonNumberAfterKey(buf, JSON_TS) };
}

// msgpack fixstr keys: 0xa0 | length, then the bytes (msgpack spec, "str format family").
const MP_STEP = Buffer.from([0xa4, ...Buffer.from('step')]);
const MP_TS = Buffer.from([0xa9, ...Buffer.from('timestamp')]);

/** Reads one msgpack number at `i` (ints, uints, float32/64); null for any other type. */
export function msgpackNumberAt(buf: Buffer, i: number): number | null {
  if (i >= buf.length) return null;
  const t = buf[i]!;
  try {
    if (t <= 0x7f) return t; // positive fixint
    if (t >= 0xe0) return t - 0x100; // negative fixint
    switch (t) {
      case 0xcc:
        return buf.readUInt8(i + 1);
      case 0xcd:
        return buf.readUInt16BE(i + 1);
      case 0xce:
        return buf.readUInt32BE(i + 1);
      case 0xcf:
        return Number(buf.readBigUInt64BE(i + 1));
      case 0xd0:
        return buf.readInt8(i + 1);
      case 0xd1:
        return buf.readInt16BE(i + 1);
      case 0xd2:
        return buf.readInt32BE(i + 1);
      case 0xd3:
        return Number(buf.readBigInt64BE(i + 1));
      case 0xca:
        return buf.readFloatBE(i + 1);
      case 0xcb:
        return buf.readDoubleBE(i + 1);
      default:
        return null;
    }
  } catch {
    return null; // truncated
  }
}

function msgpackNumberAfterKey(buf: Buffer, key: Buffer): number | null {
  const at = buf.indexOf(key);
  return at === -1 ? null : msgpackNumberAt(buf, at + key.length);
}

/** step/timestamp of a msgpack-encoded frame payload (A6). */
export function scanMsgpackFrame(buf: Buffer): FrameFields {
  return { step: msgpackNumberAfterKey(buf, MP_STEP), timestamp: msgpackNumberAfterKey(buf, MP_TS) };
}

/** The same fields read from a fully decoded payload object, for verification. */
export function fieldsOfPayload(payload: unknown): FrameFields {
  if (typeof payload !== 'object' || payload === null) return { step: null, timestamp: null };
  const p = payload as Record<string, unknown>;
  return {
    step: typeof p['step'] === 'number' ? p['step'] : null,
    timestamp: typeof p['timestamp'] === 'number' ? p['timestamp'] : null,
  };
}

export function sameFields(a: FrameFields, b: FrameFields): boolean {
  // both read the same IEEE double from the same bytes, so equality is exact
  return a.step === b.step && a.timestamp === b.timestamp;
}
