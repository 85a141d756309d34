// Closing (RFC 6455 §5.5.1, §7.4; Autobahn 7.x): a client close is answered by a close frame
// (MUST), with the same code (SHOULD, C3), for every valid code (1000–1003, 1007–1011, the
// registered 1012–1014, 3000–4999); invalid codes (0–999, 1004–1006, 1015, 1016–2999, 5000+), a
// 1-byte close payload and a close over 125 bytes fail the connection with 1002, an invalid UTF-8
// reason with 1002 or 1007; what follows a close is ignored.
import type { CaseContext } from '../../src/engine/types.js';
import { expectCloseReply, expectEcho, expectFailClose } from './_expect.js';
import { type Row, tableCases } from './_table.js';
import { closeBody, describeReply, type Frame, OPCODE, type Wire } from './_wire.js';
import { KOSME } from './rows/utf8-sequences.js';

const close = (code: number, reason: Buffer | string = ''): Frame => ({
  opcode: OPCODE.close,
  payload: closeBody(code, reason),
});

/** After the server's close frame nothing more may come (§5.5.1); the TCP close may. */
async function nothingAfterClose(ctx: CaseContext, w: Wire, what: string): Promise<void> {
  const r = await w.next(300);
  if (r.kind === 'message')
    ctx.fail(
      `after its close frame the server sent ${describeReply(r)} (${what}; RFC 6455 §5.5.1: no data after a close)`,
    );
  if (r.kind === 'pong') ctx.inform(`after its close frame the server sent a pong (${what})`);
  if (r.kind === 'close') ctx.fail(`the server sent a second close frame (${what})`);
}

const VALID = [1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 3000, 3999, 4000, 4999];
const REGISTERED = [1012, 1013, 1014];
const INVALID = [0, 999, 1004, 1005, 1006, 1016, 1100, 2000, 2999];

function validCode(key: string, code: number): Row {
  return {
    key,
    rfc: '7.4.1',
    title: `a close with the valid code ${code} is answered by a close frame with ${code}`,
    faults: code === 1000 ? ['close-no-echo'] : ['close-no-echo', 'close-wrong-code'],
    async run(t) {
      await t.wire(async (w) => {
        w.send(close(code));
        await expectCloseReply(w, code, `a close with ${code}`);
      });
    },
  };
}

function invalidCode(key: string, code: number): Row {
  return {
    key,
    rfc: '7.4.2',
    title: `a close with the invalid code ${code} fails the connection with 1002`,
    faults: ['protocol-error-wrong-code'],
    async run(t) {
      await t.wire(async (w) => {
        w.send(close(code));
        await expectFailClose(w, [1002], `a close with code ${code}`);
      });
    },
  };
}

const rows: Row[] = [
  {
    key: '7.1.1',
    rfc: '5.5.1',
    title:
      'a text message and then a close: the message is echoed (on an echo target) and the close answered',
    echo: 'optional',
    faults: ['close-no-echo'],
    async run(t) {
      await t.wire(async (w) => {
        w.send({ opcode: OPCODE.text, payload: 'Hello World!' }, close(1000));
        if (t.echo)
          await expectEcho(w, OPCODE.text, Buffer.from('Hello World!'), 'the message before the close');
        await expectCloseReply(w, 1000, 'the close after a message');
      });
    },
  },
  {
    key: '7.1.2',
    rfc: '5.5.1',
    title: 'two closes in a row: the first is answered, the second ignored',
    faults: ['close-no-echo'],
    async run(t) {
      await t.wire(async (w) => {
        w.send(close(1000), close(1000));
        await expectCloseReply(w, 1000, 'the first of two closes');
        await nothingAfterClose(t.ctx, w, 'the second close');
      });
    },
  },
  {
    key: '7.1.3',
    rfc: '5.5.1',
    title: 'a ping after a close: the close is answered, the ping needs no pong',
    faults: ['close-no-echo'],
    async run(t) {
      const ctx: CaseContext = t.ctx;
      await t.wire(async (w) => {
        w.send(close(1000), { opcode: OPCODE.ping, payload: 'after close' });
        const r = await w.nextExcept(['message']);
        if (r.kind === 'pong') ctx.inform('the ping sent after the close got a pong before the close frame');
        else if (r.kind !== 'close')
          ctx.fail(`a close followed by a ping was answered by ${describeReply(r)} instead of a close frame`);
        if (r.kind === 'pong') await expectCloseReply(w, 1000, 'a close followed by a ping');
        else
          ctx.should(
            r.code === 1000,
            `a close with 1000 was answered by a close frame with ${r.code ?? 'no status code'}`,
          );
        await nothingAfterClose(ctx, w, 'the ping after the close');
      });
    },
  },
  {
    key: '7.1.4',
    rfc: '5.5.1',
    title: 'a text message after a close is ignored: the close is answered, nothing follows it',
    echo: 'optional',
    faults: ['close-no-echo'],
    async run(t) {
      const ctx: CaseContext = t.ctx;
      await t.wire(async (w) => {
        const after = Buffer.from('after close');
        w.send(close(1000), { opcode: OPCODE.text, payload: after });
        // a protocol endpoint may have sent messages of its own before reading the close: only an
        // echo of the message sent after the close is a finding
        let r = await w.next();
        while (r.kind === 'message' && !(t.echo && r.payload.equals(after))) r = await w.next();
        if (r.kind === 'message')
          ctx.fail('the text message sent after the close was echoed (data after a close is ignored)');
        if (r.kind !== 'close')
          ctx.fail(`a close was answered by ${describeReply(r)} instead of a close frame`);
        ctx.should(
          r.code === 1000,
          `a close with 1000 was answered by a close frame with ${r.code ?? 'no status code'}`,
        );
        await nothingAfterClose(ctx, w, 'the text message after the close');
      });
    },
  },
  {
    key: '7.1.5',
    rfc: '5.5.1',
    title: 'a close in the middle of a fragmented message is answered; the continuation after it is ignored',
    faults: ['close-no-echo'],
    async run(t) {
      await t.wire(async (w) => {
        w.send({ opcode: OPCODE.text, payload: 'fragment1', fin: false }, close(1000), {
          opcode: OPCODE.continuation,
          payload: 'fragment2',
        });
        await expectCloseReply(w, 1000, 'a close between two fragments');
        await nothingAfterClose(t.ctx, w, 'the continuation after the close');
      });
    },
  },
  {
    key: '7.1.6',
    rfc: '5.5.1',
    title:
      'a 256 KiB message, a close and a ping in one write: the close is answered, echoing the message first is optional',
    echo: 'optional',
    // 256 KiB of application garbage would meet E10's byte limit on an Evolution endpoint
    protocols: ['generic'],
    faults: ['close-no-echo'],
    async run(t) {
      const ctx: CaseContext = t.ctx;
      await t.wire(async (w) => {
        const big = Buffer.alloc(256 * 1024, 0x42);
        await w.sendChopped(
          [
            { opcode: OPCODE.text, payload: big },
            close(1000),
            { opcode: OPCODE.ping, payload: 'after close' },
          ],
          1 << 30,
        );
        const r = await w.nextExcept(['pong'], 5000);
        if (r.kind === 'message') {
          // RFC 6455 §1.4 lets it finish the message first; an echo target does exactly that
          ctx.require(r.payload.equals(big), 'the message before the close came back with other bytes');
          await expectCloseReply(w, 1000, 'the close after a 256 KiB message');
        } else if (r.kind !== 'close') {
          ctx.fail(`a message and a close were answered by ${describeReply(r)} instead of a close frame`);
        }
      });
    },
  },
  {
    key: '7.3.1',
    rfc: '5.5.1',
    title: 'a close without payload is answered by a close frame (any code, or none)',
    faults: ['close-no-echo'],
    async run(t) {
      await t.wire(async (w) => {
        w.send({ opcode: OPCODE.close });
        await expectCloseReply(w, null, 'a close without payload');
      });
    },
  },
  {
    key: '7.3.2',
    rfc: '5.5.1',
    title: 'a close whose payload is 1 byte (half a code) fails the connection with 1002',
    faults: ['protocol-error-wrong-code'],
    async run(t) {
      await t.wire(async (w) => {
        w.send({ opcode: OPCODE.close, payload: Buffer.from([0x03]) });
        await expectFailClose(w, [1002], 'a close with a 1-byte payload');
      });
    },
  },
  ...[
    ['7.3.3', '', 'without a reason'],
    ['7.3.4', 'Hello World!', 'with a short reason'],
    ['7.3.5', '*'.repeat(123), 'with a reason of 123 bytes (the largest a control frame allows)'],
  ].map(
    ([key, reason, what]): Row => ({
      key: key as string,
      rfc: '5.5.1',
      title: `a close with 1000 ${what} is answered by a close frame with 1000`,
      faults: ['close-no-echo'],
      async run(t) {
        await t.wire(async (w) => {
          w.send(close(1000, reason));
          await expectCloseReply(w, 1000, `a close with 1000 ${what}`);
        });
      },
    }),
  ),
  {
    key: '7.3.6',
    rfc: '5.5',
    title: 'a close with a reason of 124 bytes (a 126-byte control frame) fails the connection with 1002',
    faults: ['protocol-error-wrong-code'],
    async run(t) {
      await t.wire(async (w) => {
        w.send(close(1000, '*'.repeat(124)));
        await expectFailClose(w, [1002], 'a close of 126 bytes');
      });
    },
  },
  {
    key: '7.5.1',
    rfc: '8.1',
    title: 'a close whose reason is invalid UTF-8 fails the connection with 1002 or 1007',
    faults: ['utf8-not-checked'],
    async run(t) {
      await t.wire(async (w) => {
        w.send(
          close(
            1000,
            Buffer.concat([Buffer.from(KOSME, 'hex'), Buffer.from('f4908080', 'hex'), Buffer.from('edited')]),
          ),
        );
        await expectFailClose(w, [1002, 1007], 'a close with an invalid UTF-8 reason');
      });
    },
  },
  ...VALID.map((code, i) => validCode(`7.7.${i + 1}`, code)),
  ...REGISTERED.map((code, i) => validCode(`x7.7.${14 + i}`, code)),
  ...INVALID.map((code, i) => invalidCode(`7.9.${i + 1}`, code)),
  invalidCode('x7.9.10', 1015),
  invalidCode('7.13.1', 5000),
  invalidCode('7.13.2', 65535),
];

export default tableCases(rows);
