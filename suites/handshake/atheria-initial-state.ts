// A1: on connect the server MUST send initial_state as the first message, within 2 s.
import { defineCase } from '../../src/engine/define-case.js';
import type { CaseContext } from '../../src/engine/types.js';
import { experimentNames, INITIAL_STATE_MS } from '../../src/protocols/atheria-commands.js';
import { describe, payloadOf, waitFor } from '../../src/protocols/atheria-wait.js';

export default defineCase({
  protocol: 'atheria',
  num: 1,
  suite: 'handshake',
  rule: 'A1,C5',
  title: 'a fresh connection gets initial_state as its first message within 2 s',
  faults: ['ath-no-initial-state', 'ath-initial-state-late'],
  validates: ['initial_state'],
  async run(ctx: CaseContext) {
    const conn = await ctx.connect();
    const first = await waitFor(conn, 0, () => true, INITIAL_STATE_MS);
    ctx.require(first, `no message within ${INITIAL_STATE_MS} ms of the upgrade (expected initial_state)`);
    ctx.require(
      first.index === 0 && first.message.type === 'initial_state',
      `the first message is ${describe(first.message)}, not initial_state`,
    );
    const payload = payloadOf(first.message);
    ctx.require(payload, 'initial_state has no payload object');
    // The experiments list is what load_experiment accepts (A3); an empty list is legal but worth saying.
    if (experimentNames(payload).length === 0) ctx.note('initial_state lists no experiments');
    // its schema (C5) is judged by the engine: the case read it; frames that follow are not its business
    conn.close(1000);
  },
});
