// C3: the closing handshake (RFC 6455 §5.5.1): the server answers a close frame with a close
// frame, and C3 requires it to echo the client's status code.
import type { CaseContext } from '../../src/engine/types.js';
import { commonCases } from '../_shared/both.js';
import { closePayload, OPCODE, requireCloseCode, withRaw } from '../_shared/raw.js';

export default commonCases({
  num: 100,
  suite: 'framing',
  rule: 'C3',
  title: 'a close frame with 4000, and one with 1000, is echoed with the same code',
  faults: ['close-wrong-code'],
  async run(ctx: CaseContext) {
    // 4000 is an application code (§7.4.2, 4000–4999) the server cannot mistake for its own 1000.
    for (const code of [4000, 1000]) {
      await withRaw(ctx, async (raw) => {
        raw.sendFrame({ opcode: OPCODE.close, payload: closePayload(code, 'wsconform') });
        await requireCloseCode(ctx, raw, code, `a client close with ${code}`);
      });
    }
  },
});
