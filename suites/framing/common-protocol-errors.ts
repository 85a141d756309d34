// C3: frames that break RFC 6455 framing close the connection with 1002 (protocol error, §7.4.1).
// Each bad frame goes on its own fresh connection, so one verdict never depends on another.
import { defineCase } from '../../src/engine/define-case.js';
import type { CaseContext, CaseDefinition, RawConn } from '../../src/engine/types.js';
import { closePayload, OPCODE, RSV1, requireCloseCode, withRaw } from '../_shared/raw.js';

type FrameSpec = Parameters<RawConn['sendFrame']>[0];

/** A C3 case: each of `frames` on a fresh connection must be answered by close 1002. */
function protocolError(
  num: number,
  title: string,
  frames: { what: string; frame: FrameSpec }[],
): CaseDefinition[] {
  return defineCase({
    protocols: ['atheria', 'evolution'],
    num,
    suite: 'framing',
    rule: 'C3',
    title,
    faults: ['protocol-error-wrong-code'],
    async run(ctx: CaseContext) {
      for (const { what, frame } of frames) {
        await withRaw(ctx, async (raw) => {
          raw.sendFrame(frame);
          await requireCloseCode(ctx, raw, 1002, what);
        });
      }
    },
  });
}

export default [
  // §5.1: "The server MUST close the connection upon receiving a frame that is not masked."
  protocolError(101, 'an unmasked client frame is answered by close 1002', [
    { what: 'an unmasked text frame', frame: { opcode: OPCODE.text, payload: 'wsconform', mask: false } },
  ]),
  // §5.2: opcodes 0x3–0x7 and 0xB–0xF are reserved; receiving one fails the connection.
  protocolError(102, 'a frame with a reserved opcode (0x3, 0xB) is answered by close 1002', [
    { what: 'a frame with reserved opcode 0x3', frame: { opcode: 0x3, payload: 'wsconform' } },
    { what: 'a frame with reserved control opcode 0xB', frame: { opcode: 0xb, payload: 'wsconform' } },
  ]),
  // §5.2: RSV1–3 MUST be 0 unless an extension defining them was negotiated (none is offered here).
  protocolError(103, 'a frame with RSV1 set and no extension negotiated is answered by close 1002', [
    { what: 'a text frame with RSV1 set', frame: { opcode: OPCODE.text, payload: 'wsconform', rsv: RSV1 } },
  ]),
  // §5.5: "Control frames … MUST NOT be fragmented."
  protocolError(104, 'a fragmented ping (FIN=0 control frame) is answered by close 1002', [
    { what: 'a ping with FIN=0', frame: { opcode: OPCODE.ping, payload: 'wsconform', fin: false } },
  ]),
  // §5.5: "All control frames MUST have a payload length of 125 bytes or less."
  protocolError(105, 'a ping with a 126-byte payload is answered by close 1002', [
    { what: 'a ping of 126 bytes', frame: { opcode: OPCODE.ping, payload: Buffer.alloc(126, 0x61) } },
  ]),
  // §5.4: a continuation frame belongs to a fragmented message that was started first.
  protocolError(106, 'a continuation frame with no message started is answered by close 1002', [
    {
      what: 'a continuation frame with no start',
      frame: { opcode: OPCODE.continuation, payload: 'wsconform' },
    },
  ]),
  // §7.4.1/§7.4.2: 1005 and 1006 MUST NOT be sent in a close frame, codes below 1000 are unused,
  // and §5.5.1 makes a 1-byte close payload malformed.
  protocolError(
    111,
    'a close frame with an invalid code (1005, 999) or a 1-byte payload is answered by close 1002',
    [
      { what: 'a client close with code 1005', frame: { opcode: OPCODE.close, payload: closePayload(1005) } },
      { what: 'a client close with code 999', frame: { opcode: OPCODE.close, payload: closePayload(999) } },
      {
        what: 'a client close with a 1-byte payload',
        frame: { opcode: OPCODE.close, payload: Buffer.from([0x03]) },
      },
    ],
  ),
];
