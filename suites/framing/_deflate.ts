// permessage-deflate (RFC 7692) for the wire rows: an upgrade that offers it, the parameters of the
// server's answer, and the compression of one message (§7.2.1: DEFLATE with the 4-byte tail
// 00 00 ff ff of a sync flush removed; each message compressed on its own, so it is valid whether
// or not the server keeps its context).
import { constants, deflateRawSync, inflateRawSync } from 'node:zlib';
import type { CaseContext } from '../../src/engine/types.js';
import { originHeaders } from '../_shared/http.js';
import { RSV1, rawSocket } from '../_shared/raw.js';
import { Wire } from './_wire.js';

const TAIL = Buffer.from([0x00, 0x00, 0xff, 0xff]);

/** §7.2.1: compress one message payload. */
export function compress(payload: Buffer): Buffer {
  const out = deflateRawSync(payload, { finishFlush: constants.Z_SYNC_FLUSH });
  return out.subarray(-4).equals(TAIL) ? out.subarray(0, out.length - 4) : out;
}

/**
 * §7.2.2: decompress one message payload (the tail appended back), to at most `maxBytes`: past it
 * the inflater stops and throws (RangeError, code ERR_BUFFER_TOO_LARGE) instead of holding what a
 * compression bomb expands to (issue 12 §2: a 100 KB payload of zeros inflates to 100 MB).
 */
export function decompress(payload: Buffer, maxBytes: number): Buffer {
  return inflateRawSync(Buffer.concat([payload, TAIL]), {
    finishFlush: constants.Z_SYNC_FLUSH,
    maxOutputLength: Math.max(1, maxBytes),
  });
}

/** One extension of a Sec-WebSocket-Extensions value: its name and parameters. */
export interface Extension {
  name: string;
  params: Map<string, string | true>;
}

/** Parses a Sec-WebSocket-Extensions value (RFC 6455 §9.1): `name; p1; p2=v, name2`. */
export function parseExtensions(value: string | undefined): Extension[] {
  if (!value) return [];
  return value.split(',').map((ext) => {
    const [name = '', ...params] = ext.split(';').map((p) => p.trim());
    return {
      name: name.toLowerCase(),
      params: new Map(
        params.filter(Boolean).map((p): [string, string | true] => {
          const eq = p.indexOf('=');
          if (eq < 0) return [p.toLowerCase(), true];
          return [
            p.slice(0, eq).trim().toLowerCase(),
            p
              .slice(eq + 1)
              .trim()
              .replace(/^"|"$/g, ''),
          ];
        }),
      ),
    };
  });
}

/**
 * Runs `fn` on a raw connection whose upgrade offered `offer`; `accepted` is the server's
 * permessage-deflate answer, or null when it declined (no such extension in its 101).
 */
export async function withDeflate<T>(
  ctx: CaseContext,
  offer: string,
  fn: (w: Wire, accepted: Extension | null) => Promise<T>,
): Promise<T> {
  const raw = await rawSocket(ctx);
  try {
    const head = await raw.handshake({
      headers: { ...originHeaders(ctx), 'Sec-WebSocket-Extensions': offer },
    });
    ctx.precondition(
      head?.status === 101,
      `an upgrade offering permessage-deflate got ${head ? `HTTP ${head.status}` : 'no answer'} instead of 101`,
    );
    const accepted =
      parseExtensions(head.headers['sec-websocket-extensions']).find(
        (e) => e.name === 'permessage-deflate',
      ) ?? null;
    return await fn(new Wire(ctx, raw, accepted ? RSV1 : 0), accepted);
  } finally {
    raw.destroy();
  }
}

/** Ends the case as unimplemented when the server declined permessage-deflate. */
export function requireDeflate(ctx: CaseContext, accepted: Extension | null): asserts accepted is Extension {
  if (!accepted)
    ctx.unimplemented('the target does not offer permessage-deflate (RFC 7692): its 101 declined the offer');
}
