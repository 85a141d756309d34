// Pings and pongs (RFC 6455 §5.5.2, §5.5.3; Autobahn 2.x): a ping gets a pong with its payload
// (0 to 125 bytes, text or binary, written whole or a byte per TCP write), a ping over 125 bytes is
// a protocol error (§5.5: 1002), an unsolicited pong is ignored, and of several pings in a row
// at least the last is answered (§5.5.3 lets a server answer only the most recent one).
import type { CaseContext } from '../../src/engine/types.js';
import { closeNormally, expectFailClose, expectPong } from './_expect.js';
import { type Row, tableCases } from './_table.js';
import { describeReply, OPCODE } from './_wire.js';

const BINARY = Buffer.from([0x00, 0xff, 0xfe, 0xfd, 0xfc, 0xfb, 0x00, 0xff]);

function pingRow(key: string, title: string, payload: Buffer, chop = false): Row {
  return {
    key,
    rfc: '5.5.2',
    title,
    faults: ['pong-wrong-payload'],
    async run(t) {
      await t.wire(async (w) => {
        const ping = { opcode: OPCODE.ping, payload };
        if (chop) await w.sendChopped([ping], 1);
        else w.send(ping);
        await expectPong(w, payload, `a ping of ${payload.length} bytes`);
        closeNormally(w);
      });
    },
  };
}

function unsolicited(key: string, title: string, pong: Buffer, ping: Buffer): Row {
  return {
    key,
    rfc: '5.5.3',
    title,
    faults: ['unsolicited-pong-closes'],
    async run(t) {
      await t.wire(async (w) => {
        // §5.5.3: "A response to an unsolicited Pong frame is not expected."
        w.send({ opcode: OPCODE.pong, payload: pong }, { opcode: OPCODE.ping, payload: ping });
        await expectPong(w, ping, `a ping sent after an unsolicited pong of ${pong.length} bytes`);
        closeNormally(w);
      });
    },
  };
}

/** Autobahn 2.10 / 2.11: ten pings in a row; every pong echoes one of them, in order, the last one answered. */
function tenPings(key: string, chop: boolean): Row {
  return {
    key,
    rfc: '5.5.3',
    title: `ten pings in a row${chop ? ', each written one byte per TCP write,' : ''} are answered: at least the last, every pong with a ping's payload`,
    faults: ['pong-wrong-payload'],
    async run(t) {
      const ctx: CaseContext = t.ctx;
      await t.wire(async (w) => {
        const payloads = Array.from({ length: 10 }, (_, i) => Buffer.from(`payload-${i}`));
        for (const payload of payloads) {
          if (chop) await w.sendChopped([{ opcode: OPCODE.ping, payload }], 1);
          else w.send({ opcode: OPCODE.ping, payload });
        }
        const last = payloads[9] as Buffer;
        let next = 0;
        let answered = 0;
        for (;;) {
          const r = await w.nextExcept(['message']);
          if (r.kind !== 'pong')
            ctx.fail(
              `after ten pings, ${answered} were answered, then came ${describeReply(r)} instead of the pong to the last`,
            );
          const at = payloads.findIndex((p, i) => i >= next && p.equals(r.payload));
          ctx.require(
            at >= 0,
            `a pong of ${r.payload.length} bytes echoes none of the pings not yet answered, in order`,
          );
          answered++;
          next = at + 1;
          if (r.payload.equals(last)) break;
        }
        if (answered < 10)
          ctx.inform(`${answered} of ten pings were answered (§5.5.3 allows answering only the most recent)`);
        closeNormally(w);
      });
    },
  };
}

const rows: Row[] = [
  pingRow('2.1', 'a ping without payload gets an empty pong', Buffer.alloc(0)),
  pingRow(
    '2.2',
    'a ping with a short text payload gets a pong with that payload',
    Buffer.from('Hello, world!'),
  ),
  pingRow('2.3', 'a ping with a short binary payload gets a pong with that payload', BINARY),
  pingRow('2.4', 'a ping with a 125-byte payload gets a pong with that payload', Buffer.alloc(125, 0xfe)),
  {
    key: '2.5',
    rfc: '5.5',
    title: 'a ping with a 126-byte payload (over the 125 of a control frame) fails the connection with 1002',
    faults: ['protocol-error-wrong-code'],
    async run(t) {
      await t.wire(async (w) => {
        w.send({ opcode: OPCODE.ping, payload: Buffer.alloc(126, 0xfe) });
        await expectFailClose(w, [1002], 'a ping of 126 bytes');
      });
    },
  },
  pingRow(
    '2.6',
    'a 125-byte ping written one byte per TCP write gets its pong',
    Buffer.alloc(125, 0xfe),
    true,
  ),
  unsolicited('2.7', 'an unsolicited pong without payload is ignored', Buffer.alloc(0), Buffer.from('after')),
  unsolicited(
    '2.8',
    'an unsolicited pong with a payload is ignored',
    Buffer.from('unsolicited pong payload'),
    Buffer.from('after'),
  ),
  unsolicited(
    '2.9',
    'after an unsolicited pong, a ping gets the pong with its own payload',
    Buffer.from('unsolicited pong payload'),
    Buffer.from('ping payload'),
  ),
  tenPings('2.10', false),
  tenPings('2.11', true),
];

export default tableCases(rows);
