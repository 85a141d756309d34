// C3: WebSocket-level heartbeat (RFC 6455 §5.5.2, §5.5.3) on both endpoints; the application-level
// ping of Evolution (E3) is the evolution helper's. "Within 1 s" follows the E3 reply budget.
import { randomBytes } from 'node:crypto';
import { defineCase } from '../../src/engine/define-case.js';
import type { CaseContext } from '../../src/engine/types.js';
import { authHeaders } from '../_shared/jwt.js';
import { OPCODE, rawPing, readClose, withRaw } from '../_shared/raw.js';

const PONG_WITHIN_MS = 1000;

function show(b: Buffer): string {
  return b.length === 0
    ? '(empty)'
    : `0x${b.subarray(0, 16).toString('hex')}${b.length > 16 ? '…' : ''} (${b.length} bytes)`;
}

export default [
  defineCase({
    protocols: ['atheria', 'evolution'],
    num: 100,
    suite: 'heartbeat',
    rule: 'C3',
    title:
      'pings with a text, a 125-byte binary and an empty payload get pongs with identical payloads within 1 s',
    faults: ['pong-wrong-payload'],
    async run(ctx: CaseContext) {
      const conn = await ctx.connect({ origin: ctx.config.originAllowed, headers: await authHeaders(ctx) });
      // §5.5.3: the pong carries "exact same Application data" as the ping; 125 bytes is the
      // largest control payload (§5.5), and an empty one must come back empty.
      const payloads = [Buffer.from('wsconform-heartbeat'), randomBytes(125), Buffer.alloc(0)];
      for (const payload of payloads) {
        conn.ping(payload);
        const pong = await conn.nextPong(PONG_WITHIN_MS);
        ctx.require(pong !== null, `no pong within ${PONG_WITHIN_MS} ms for a ping of ${show(payload)}`);
        ctx.require(pong.equals(payload), `a ping of ${show(payload)} got a pong of ${show(pong)}`);
      }
      conn.close(1000);
    },
  }),
  defineCase({
    protocols: ['atheria', 'evolution'],
    num: 101,
    suite: 'heartbeat',
    rule: 'C3',
    title: 'an unsolicited pong is ignored: the connection stays open and the next ping gets a pong',
    faults: ['unsolicited-pong-closes'],
    async run(ctx: CaseContext) {
      await withRaw(ctx, async (raw) => {
        // §5.5.3: "A Pong frame MAY be sent unsolicited. … A response to an unsolicited Pong frame is not expected."
        raw.sendFrame({ opcode: OPCODE.pong, payload: 'wsconform-unsolicited' });
        const close = await readClose(raw, 300);
        ctx.require(
          close === null,
          `an unsolicited pong was answered by close ${close?.code ?? '(no code)'}`,
        );
        // Any pong shows the connection still works; that it echoes the payload is case 100's.
        const payload = randomBytes(16);
        const answer = await rawPing(raw, payload, PONG_WITHIN_MS);
        if ('none' in answer) {
          ctx.fail(
            answer.none === 'closed'
              ? `after an unsolicited pong the connection was closed${answer.close ? ` (${answer.close.code})` : ''}`
              : `after an unsolicited pong a ping got no pong within ${PONG_WITHIN_MS} ms`,
          );
        }
      });
    },
  }),
];
