// C3 / RFC 6455 §8.1: text messages must be valid UTF-8; a server receiving invalid UTF-8 fails
// the connection with 1007 (§7.4.1, "data … not consistent with the type of the message").
import { defineCase } from '../../src/engine/define-case.js';
import type { CaseContext } from '../../src/engine/types.js';
import { closePayload, OPCODE, requireCloseCode, withRaw } from '../_shared/raw.js';

const hex = (b: Buffer) => b.toString('hex').replace(/(..)(?!$)/g, '$1 ');

export default [
  defineCase({
    protocols: ['atheria', 'evolution'],
    num: 107,
    suite: 'framing',
    rule: 'C3',
    title:
      'a text message with invalid UTF-8 (C3 28, a surrogate, an overlong form) is answered by close 1007',
    faults: ['utf8-not-checked'],
    async run(ctx: CaseContext) {
      const invalid = [
        Buffer.from([0xc3, 0x28]), // a lead byte followed by no continuation byte
        Buffer.from([0xed, 0xa0, 0x80]), // U+D800: surrogates are not scalar values (RFC 3629 §3)
        Buffer.from([0xc0, 0xaf]), // overlong encoding of '/'
      ];
      for (const bytes of invalid) {
        await withRaw(ctx, async (raw) => {
          raw.sendFrame({
            opcode: OPCODE.text,
            payload: Buffer.concat([Buffer.from('{"x":"'), bytes, Buffer.from('"}')]),
          });
          await requireCloseCode(ctx, raw, 1007, `a text message containing ${hex(bytes)}`);
        });
      }
    },
  }),
  defineCase({
    protocols: ['atheria', 'evolution'],
    num: 108,
    suite: 'framing',
    rule: 'C3',
    title: 'invalid UTF-8 split across text fragments, or in a close reason, is answered by close 1007',
    faults: ['utf8-not-checked'],
    async run(ctx: CaseContext) {
      await withRaw(ctx, async (raw) => {
        // The first fragment ends in the first two bytes of a 3-byte sequence (E2 82, as in €), which
        // is still valid so far; the continuation starts with '(' instead of the third byte. Only the
        // message as a whole is invalid, so a server must validate across fragments (§5.6, §8.1).
        raw.sendFrame({ opcode: OPCODE.text, fin: false, payload: Buffer.from([0x7b, 0x22, 0xe2, 0x82]) });
        raw.sendFrame({ opcode: OPCODE.continuation, fin: true, payload: Buffer.from('("}') });
        await requireCloseCode(
          ctx,
          raw,
          1007,
          'a fragmented text message whose fragments join to invalid UTF-8',
        );
      });
      await withRaw(ctx, async (raw) => {
        // §5.5.1: the close reason is UTF-8 too.
        raw.sendFrame({ opcode: OPCODE.close, payload: closePayload(1000, Buffer.from([0xc3, 0x28])) });
        await requireCloseCode(ctx, raw, 1007, 'a client close whose reason is invalid UTF-8');
      });
    },
  }),
];
