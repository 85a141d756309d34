import type { CaseContext, Received, Violation } from '../engine/types.js';
import { createAtheriaChecker } from './atheria-checker.js';
import { command, expectNotification } from './atheria-commands.js';
import type { BinaryFormat } from './atheria-binary.js';
import type { SimSession } from './atheria-state.js';
import { notificationMessage, notificationStatus } from './atheria-wait.js';

// A6 for cases: ask for binary frames and judge the answer. A server without binary support
// answers set_binary with a notification error, and the binary cases are then UNIMPLEMENTED.

/**
 * Sends simulation.set_binary {enabled: true, format}; resolves with the index of its success
 * notification. Ends the case as unimplemented on an error answer, failed on no answer.
 */
export async function enableBinary(ctx: CaseContext, s: SimSession, format: BinaryFormat): Promise<number> {
  s.restore.binary = false;
  const from = command(s.conn, 'simulation.set_binary', { enabled: true, format });
  const answer = await expectNotification(s.conn, from);
  ctx.require(
    answer,
    `simulation.set_binary {enabled:true, format:"${format}"} got no notification within 2 s`,
  );
  const status = notificationStatus(answer.message);
  if (status === 'error') {
    ctx.unimplemented(
      `the server answered set_binary ${format} with an error ("${notificationMessage(answer.message)}"): no ${format} binary frames`,
    );
  }
  ctx.require(
    status === 'success',
    `simulation.set_binary ${format} got a "${status}" notification, not success`,
  );
  return answer.index;
}

/** A6 violations of a stretch of received messages, checked afresh (header/payload pairing, size, decoding). */
export function binaryViolations(messages: readonly Received[]): Violation[] {
  const checker = createAtheriaChecker();
  const out: Violation[] = [];
  for (const m of messages) out.push(...checker.check(m));
  return out;
}
