// C3: a message over the server's size limit (ctx.config.limits.maxMessageBytes, the run input
// --max-message-size, 1 MiB by default) is refused with close 1009 (§7.4.1, "too big to process").
// Two levels, two cases: the 1009 itself is a MUST (case 110, a complete over-size message); that
// it is decided from the frame header, before the payload is buffered, is a SHOULD (case 109,
// profile revision of 2026-12-06: closing only after reading it all is non-strict).
//
// Decision: a message of exactly the limit is accepted, as a MUST. C3 refuses messages *over* the
// limit; one of exactly maxMessageBytes is within it, so closing it would be the C3 limit misapplied.
import { defineCase } from '../../src/engine/define-case.js';
import type { CaseContext } from '../../src/engine/types.js';
import { paddedMessage, paddedMessageCase } from '../_shared/messages.js';
import { OPCODE, rawPing, readClose, requireCloseCode, withRaw } from '../_shared/raw.js';

/** How long case 109 waits for the close that a header-deciding server sends at once. */
const HEADER_CLOSE_MS = 1500;

export default [
  defineCase({
    protocols: ['atheria', 'evolution'],
    num: 109,
    suite: 'framing',
    rule: 'C3',
    title:
      'a frame header announcing more than the size limit is answered by close 1009 before the payload (SHOULD)',
    faults: ['size-limit-after-payload'],
    async run(ctx: CaseContext) {
      const limit = ctx.config.limits.maxMessageBytes;
      await withRaw(ctx, async (raw) => {
        // Only the header (length limit+1) and 16 payload bytes are sent: a server that decides
        // from the header closes now; one that waits for the payload never answers here. Whether
        // a complete over-size message gets 1009 at all (the MUST) is case 110's.
        raw.sendFrame({ opcode: OPCODE.text, payload: 'a'.repeat(16), lengthOverride: limit + 1 });
        const close = await readClose(raw, HEADER_CLOSE_MS);
        ctx.should(
          close?.code === 1009,
          close === null
            ? `a frame header announcing ${limit + 1} bytes (limit ${limit}) got no close within ${HEADER_CLOSE_MS} ms: the server waits for the payload instead of deciding 1009 from the header`
            : `a frame header announcing ${limit + 1} bytes (limit ${limit}) was answered by close ${close.code ?? '(no code)'}, not 1009`,
        );
      });
    },
  }),
  defineCase({
    protocols: ['atheria', 'evolution'],
    num: 110,
    suite: 'framing',
    rule: 'C3',
    title: 'a message of exactly the size limit is accepted; one byte more is answered by close 1009',
    faults: ['no-size-limit'],
    timeoutMs: 15_000,
    async run(ctx: CaseContext) {
      const limit = ctx.config.limits.maxMessageBytes;
      if (ctx.target.protocol === 'evolution' && ctx.config.limits.bytesPerMinute < limit + 1024) {
        // E10's data limit would close the connection (1008) before the size limit is reached.
        ctx.unimplemented(
          `the target's data limit (${ctx.config.limits.bytesPerMinute} B/min) is below the size limit`,
        );
      }
      const protocol = ctx.target.protocol;
      await withRaw(ctx, async (raw) => {
        raw.sendFrame({ opcode: OPCODE.text, payload: paddedMessage(protocol, limit) });
        const early = await readClose(raw, 300);
        if (early !== null) {
          ctx.require(
            early.code !== 1009,
            `a message of exactly ${limit} bytes was answered by close 1009: the limit is misapplied`,
          );
          // Closed for another reason: the padded message, harmless by A4 / E3, was refused; that
          // is the case of that rule, not a size-limit finding.
          ctx.precondition(
            false,
            `the connection stays open after a harmless message of ${limit} bytes (closed with ${early.code ?? 'no code'})`,
            paddedMessageCase(protocol),
          );
        }
        const answer = await rawPing(raw, Buffer.from('wsconform-size'), 3000);
        if ('none' in answer) {
          ctx.require(
            answer.close?.code !== 1009,
            `after a message of exactly ${limit} bytes the connection was closed with 1009: the limit is misapplied`,
          );
          ctx.fail(
            `after a message of exactly ${limit} bytes ${answer.none === 'closed' ? `the connection was closed${answer.close ? ` (${answer.close.code})` : ''}` : 'a ping got no pong within 3 s'}`,
          );
        }
      });
      // One byte over, on a fresh connection: the verdict does not depend on the first message.
      await withRaw(ctx, async (raw) => {
        raw.sendFrame({ opcode: OPCODE.text, payload: paddedMessage(protocol, limit + 1) });
        await requireCloseCode(
          ctx,
          raw,
          1009,
          `a complete message of ${limit + 1} bytes (limit ${limit})`,
          3000,
        );
      });
    },
  }),
];
