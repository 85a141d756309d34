// permessage-deflate (RFC 7692; the ground of Autobahn 12.x and 13.x), when the target offers it —
// unimplemented when it declines: compressed messages (text, binary, fragmented) echoed, an
// uncompressed message on a compressing connection echoed, RSV1 on a control frame or a
// continuation frame a protocol error (1002), and the negotiation parameters answered as §7.1 says.
import type { CaseContext } from '../../src/engine/types.js';
import { type Extension, compress, decompress, requireDeflate, withDeflate } from './_deflate.js';
import { closeNormally, expectFailClose } from './_expect.js';
import { type Row, tableCases } from './_table.js';
import { describeReply, type Frame, OPCODE, type Wire } from './_wire.js';

const RSV1 = 0b100;
const OFFER = 'permessage-deflate; client_max_window_bits';

/** The echo of a message sent compressed or not: compressed back (RSV1) or not, it decodes to `payload`. */
async function expectDeflateEcho(w: Wire, opcode: number, payload: Buffer, what: string): Promise<void> {
  const ctx: CaseContext = w.ctx;
  const r = await w.nextExcept(['pong']);
  if (r.kind !== 'message') ctx.fail(`${what} was answered by ${describeReply(r)} instead of its echo`);
  ctx.require(r.opcode === opcode, `${what} was echoed as ${describeReply(r)}, another opcode`);
  let got = r.payload;
  if (r.rsv & RSV1) {
    try {
      // an echo inflating past what was sent is wrong whatever its size: not inflated further
      got = decompress(r.payload, payload.length);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE')
        ctx.fail(`the echo of ${what} inflates to more than the ${payload.length} bytes sent`);
      ctx.fail(`the echo of ${what} has RSV1 set but does not inflate (${(err as Error).message})`);
    }
  }
  ctx.require(
    got.equals(payload),
    `${what} was echoed with other bytes (${got.length} bytes after inflating)`,
  );
}

function compressedEcho(key: string, title: string, opcode: number, payload: Buffer, fragments = 1): Row {
  return {
    key,
    rfc: '5.2',
    title: `${title} (RFC 7692 §7.2)`,
    echo: true,
    faults: [],
    async run(t) {
      await withDeflate(t.ctx, OFFER, async (w, accepted) => {
        requireDeflate(t.ctx, accepted);
        const body = compress(payload);
        const size = Math.ceil(body.length / fragments);
        const frames: Frame[] = Array.from({ length: fragments }, (_, i) => ({
          opcode: i === 0 ? opcode : OPCODE.continuation,
          // §6.1: RSV1 on the first frame of a compressed message only
          rsv: i === 0 ? RSV1 : 0,
          fin: i === fragments - 1,
          payload: body.subarray(i * size, (i + 1) * size),
        }));
        w.send(...frames);
        await expectDeflateEcho(w, opcode, payload, title.replace(/ is echoed.*/, ''));
        closeNormally(w);
      });
    },
  };
}

/** §7.1: the parameters of an accepted offer are known ones with valid values. */
function checkAnswer(ctx: CaseContext, offer: string, accepted: Extension): void {
  const offered = new Set(offer.split(';').map((p) => p.trim().split('=')[0]?.toLowerCase()));
  for (const [name, value] of accepted.params) {
    if (name === 'server_no_context_takeover' || name === 'client_no_context_takeover') {
      ctx.require(
        value === true,
        `the answer's ${name} has a value (${String(value)}); RFC 7692 §7.1.1 gives it none`,
      );
    } else if (name === 'server_max_window_bits' || name === 'client_max_window_bits') {
      if (name === 'client_max_window_bits')
        ctx.require(
          offered.has(name),
          'the answer has client_max_window_bits although the offer did not (RFC 7692 §7.1.2.2)',
        );
      if (name === 'server_max_window_bits' || value !== true)
        ctx.require(
          typeof value === 'string' && /^\d+$/.test(value) && Number(value) >= 8 && Number(value) <= 15,
          `the answer's ${name}=${String(value)} is not a value 8..15 (RFC 7692 §7.1.2)`,
        );
    } else {
      ctx.fail(
        `the answer has the unknown parameter ${name} (RFC 7692 §7.1: declining or known parameters only)`,
      );
    }
  }
}

function negotiation(
  key: string,
  offer: string,
  title: string,
  extra?: (ctx: CaseContext, a: Extension) => void,
): Row {
  return {
    key,
    rfc: '9.1',
    title: `${title} (RFC 7692 §7.1)`,
    echo: 'optional',
    protocols: ['generic'],
    faults: [],
    async run(t) {
      await withDeflate(t.ctx, offer, async (w, accepted) => {
        requireDeflate(t.ctx, accepted);
        checkAnswer(t.ctx, offer, accepted);
        extra?.(t.ctx, accepted);
        if (t.echo) {
          const payload = Buffer.from('a compressed message '.repeat(20));
          w.send({ opcode: OPCODE.text, rsv: RSV1, payload: compress(payload) });
          await expectDeflateEcho(
            w,
            OPCODE.text,
            payload,
            'a compressed message on the negotiated connection',
          );
        }
        closeNormally(w);
      });
    },
  };
}

const text = (n: number) => Buffer.from('Hello, deflate! '.repeat(Math.ceil(n / 16)).slice(0, n));

const rows: Row[] = [
  compressedEcho('x12.1.1', 'a compressed text message of 16 bytes is echoed', OPCODE.text, text(16)),
  compressedEcho('x12.1.2', 'a compressed text message of 1 KiB is echoed', OPCODE.text, text(1024)),
  compressedEcho('x12.1.3', 'a compressed text message of 64 KiB is echoed', OPCODE.text, text(65536)),
  compressedEcho('x12.1.4', 'a compressed text message of 256 KiB is echoed', OPCODE.text, text(262144)),
  compressedEcho(
    'x12.1.5',
    'a compressed binary message of 64 KiB is echoed',
    OPCODE.binary,
    Buffer.from(Array.from({ length: 65536 }, (_, i) => (i * 7) & 0xff)),
  ),
  compressedEcho(
    'x12.2.1',
    'a compressed text message in three fragments (RSV1 on the first only) is echoed',
    OPCODE.text,
    text(4096),
    3,
  ),
  {
    key: 'x12.2.2',
    rfc: '5.2',
    title: 'an uncompressed text message (RSV1 clear) on a compressing connection is echoed (RFC 7692 §6)',
    echo: true,
    faults: [],
    async run(t) {
      await withDeflate(t.ctx, OFFER, async (w, accepted) => {
        requireDeflate(t.ctx, accepted);
        w.send({ opcode: OPCODE.text, payload: 'not compressed' });
        await expectDeflateEcho(w, OPCODE.text, Buffer.from('not compressed'), 'an uncompressed message');
        closeNormally(w);
      });
    },
  },
  ...[
    {
      key: 'x12.3.1',
      what: 'a ping with RSV1 set',
      frames: [{ opcode: OPCODE.ping, rsv: RSV1, payload: 'ping' }],
    },
    {
      key: 'x12.3.2',
      what: 'a continuation frame with RSV1 set',
      frames: [
        { opcode: OPCODE.text, rsv: RSV1, fin: false, payload: compress(text(64)) },
        { opcode: OPCODE.continuation, rsv: RSV1, payload: Buffer.alloc(0) },
      ],
    },
  ].map(
    ({ key, what, frames }): Row => ({
      key,
      rfc: '5.2',
      title: `${what} on a compressing connection fails it with 1002 (RFC 7692 §6: RSV1 only on a message's first frame)`,
      protocols: ['generic'],
      faults: [],
      async run(t) {
        await withDeflate(t.ctx, OFFER, async (w, accepted) => {
          requireDeflate(t.ctx, accepted);
          w.send(...frames);
          await expectFailClose(w, [1002], what);
        });
      },
    }),
  ),
  negotiation(
    'x13.1.1',
    'permessage-deflate',
    'a plain offer is declined or answered with known, valid parameters',
  ),
  negotiation(
    'x13.1.2',
    'permessage-deflate; server_no_context_takeover',
    'an offer of server_no_context_takeover is declined or answered with it',
    (ctx: CaseContext, a) =>
      ctx.require(
        a.params.has('server_no_context_takeover'),
        'the offer of server_no_context_takeover was accepted without it in the answer (RFC 7692 §7.1.1.1)',
      ),
  ),
  negotiation(
    'x13.1.3',
    'permessage-deflate; client_max_window_bits',
    'an offer of client_max_window_bits is answered with a value 8..15 or none',
  ),
  negotiation(
    'x13.1.4',
    'permessage-deflate; server_max_window_bits=10',
    'an offer of server_max_window_bits=10 is declined or answered with a value 8..10',
    (ctx: CaseContext, a) => {
      const v = a.params.get('server_max_window_bits');
      ctx.require(
        typeof v === 'string' && Number(v) <= 10,
        `the offer of server_max_window_bits=10 was answered with ${v === undefined ? 'none' : `server_max_window_bits=${String(v)}`} (RFC 7692 §7.1.2.1)`,
      );
    },
  ),
  negotiation(
    'x13.1.5',
    'permessage-deflate; client_no_context_takeover',
    'an offer of client_no_context_takeover is declined or answered with known, valid parameters',
  ),
];

export default tableCases(rows);
