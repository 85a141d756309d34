// C3: the closing handshake (RFC 6455 §5.5.1). That a close frame is answered by a close frame is
// a MUST ("the endpoint MUST send a Close frame in response"); that the answer carries the same
// status code is a SHOULD (the RFC says "typically echoes"; the profile's revision of 2026-12-06):
// two cases, one per level.
import { caseId, defineCase } from '../../src/engine/define-case.js';
import type { CaseContext, RawConn } from '../../src/engine/types.js';
import { type CloseFrame, closePayload, OPCODE, readClose, withRaw } from '../_shared/raw.js';

/**
 * 4000 is an application code (§7.4.2, 4000–4999) the server cannot mistake for its own 1000; 1000
 * is the common one.
 */
const CODES = [4000, 1000];

/** The server's answer to a client close with `code`, or null when no close frame came. */
async function closeAnswer(raw: RawConn, code: number): Promise<CloseFrame | null> {
  raw.sendFrame({ opcode: OPCODE.close, payload: closePayload(code, 'wsconform') });
  return readClose(raw, 2000);
}

export default [
  defineCase({
    protocols: ['atheria', 'evolution'],
    num: 100,
    suite: 'framing',
    rule: 'C3',
    title: 'a close frame with 4000, and one with 1000, is answered by a close frame',
    faults: ['close-no-echo'],
    async run(ctx: CaseContext) {
      for (const code of CODES) {
        await withRaw(ctx, async (raw) => {
          if ((await closeAnswer(raw, code)) !== null) return;
          const ended = await raw.ended(50);
          ctx.fail(
            `a client close with ${code} was answered ${ended ? 'by dropping the TCP connection without a close frame' : 'by no close frame within 2000 ms'}`,
          );
        });
      }
    },
  }),
  defineCase({
    protocols: ['atheria', 'evolution'],
    num: 112,
    suite: 'framing',
    rule: 'C3',
    title: 'the close frame answering a close with 4000, and one with 1000, carries the same code (SHOULD)',
    faults: ['close-wrong-code'],
    async run(ctx: CaseContext) {
      for (const code of CODES) {
        await withRaw(ctx, async (raw) => {
          const close = await closeAnswer(raw, code);
          // No close frame at all is the MUST of case 100, not this case's finding.
          ctx.precondition(
            close !== null,
            `a client close with ${code} was answered by a close frame`,
            caseId(ctx.target.protocol, 'framing', 100),
          );
          ctx.should(
            close.code === code,
            `a client close with ${code} was answered with ${close.code ?? 'no status code'}; echoing ${code} is preferred (RFC 6455 §5.5.1)`,
          );
        });
      }
    },
  }),
];
