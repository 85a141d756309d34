import type { CaseContext, Received, Violation } from '../engine/types.js';
import { createAtheriaChecker } from './atheria-checker.js';
import { answerStatus, command } from './atheria-commands.js';
import type { BinaryFormat } from './atheria-binary.js';
import type { SimSession } from './atheria-state.js';
import { isNotification, notificationMessage, notificationStatus } from './atheria-wait.js';

// A6 for cases: ask for binary frames and judge the answer. A server without binary support
// answers set_binary with a notification error, and the binary cases are then UNIMPLEMENTED. A
// server that does not answer at all (A4 allows silence; the public backend has no set_binary and
// sends every frame as binary anyway) is not failed for it: the binary frames it sends are judged
// whether or not it answered, and without any in the requested format the case is UNIMPLEMENTED.

export interface BinaryRequest {
  /** true when set_binary got a success notification */
  answered: boolean;
  /** the position in conn.received from which frames are judged */
  from: number;
}

/**
 * Sends simulation.set_binary {enabled: true, format} and waits until it was processed. Ends the
 * case as unimplemented when the run says the target lacks the format (--binary-formats) or the
 * server refuses it (error or warning notification).
 */
export async function enableBinary(
  ctx: CaseContext,
  s: SimSession,
  format: BinaryFormat,
): Promise<BinaryRequest> {
  const offered = ctx.config.binaryFormats;
  if (offered && !offered.includes(format)) {
    ctx.unimplemented(
      `the run says the target offers no ${format} binary frames (--binary-formats ${offered.join(',')})`,
    );
  }
  s.restore.binary = false;
  const sent = s.conn.received.length;
  const { replies, sentinel } = await s.probe.exchange(() =>
    command(s.conn, 'simulation.set_binary', { enabled: true, format }),
  );
  ctx.require(
    sentinel,
    `after set_binary ${format} the server stopped answering (no reply to the next command within 2 s)`,
    'A4',
  );
  const answer = replies.find((m) => isNotification(m) && notificationStatus(m) !== 'info');
  if (!answer) {
    ctx.note(
      `set_binary ${format} got no answer (A4 silence); judging the binary frames the server sends anyway`,
    );
    return { answered: false, from: sent };
  }
  const status = answerStatus(ctx, answer, `set_binary ${format}`);
  if (status === 'error' || status === 'warning') {
    ctx.unimplemented(
      `the server answered set_binary ${format} with ${status} ("${notificationMessage(answer)}"): no ${format} binary frames`,
    );
  }
  ctx.require(
    status === 'success',
    `simulation.set_binary ${format} got a "${status}" notification, not success`,
  );
  return { answered: true, from: s.conn.received.indexOf(answer) + 1 };
}

/** The position of the first message at or after `from` that is not a binary payload (a pair's start). */
export function pairStart(received: readonly Received[], from: number): number {
  let i = from;
  while (received[i]?.kind === 'binary') i++;
  return i;
}

/** A decoded binary payload that is no valid frame payload (C5), as opposed to a pairing, size or decoding fault (A6). */
export function isPayloadViolation(v: Violation): boolean {
  return v.message.startsWith('A6: decoded binary payload:');
}

/** A6 violations of a stretch of received messages, checked afresh (header/payload pairing, size, decoding). */
export function binaryViolations(messages: readonly Received[]): Violation[] {
  const checker = createAtheriaChecker();
  const out: Violation[] = [];
  for (const m of messages) out.push(...checker.check(m));
  return out;
}
