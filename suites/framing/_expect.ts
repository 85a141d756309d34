// What a table row expects of the server, judged the way RFC 6455 (and the profile's C3) fixes it.
// Where the RFC leaves a choice, every allowed choice passes: a protocol error may be closed with any
// of the codes the row lists, a server that drops the TCP connection without a close frame breaks
// only §7.1.7's SHOULD, a close reply need not carry a reason.
import { ANSWER_MS, describeReply, OPCODE, type Reply, type Wire } from './_wire.js';

/** Messages and pongs a protocol endpoint (or an echo of earlier data) may send meanwhile. */
const BACKGROUND: Reply['kind'][] = ['message', 'pong'];

/**
 * The server fails the connection with one of `codes` after `what`: a close frame with one of them
 * (MUST, C3); a TCP close without a close frame is non-strict (§7.1.7: it SHOULD send one first).
 */
export async function expectFailClose(
  w: Wire,
  codes: readonly number[],
  what: string,
  timeoutMs = ANSWER_MS,
): Promise<void> {
  const r = await w.nextExcept(BACKGROUND, timeoutMs);
  const want = codes.join(' or ');
  if (r.kind === 'close') {
    w.ctx.require(
      r.code !== null && codes.includes(r.code),
      `after ${what} the server closed with ${r.code ?? 'no status code'} instead of ${want}`,
    );
    return;
  }
  if (r.kind === 'ended') {
    w.ctx.should(
      false,
      `after ${what} the server dropped the TCP connection without a close frame (RFC 6455 §7.1.7: it SHOULD send close ${want} first)`,
    );
    return;
  }
  w.ctx.fail(
    `after ${what} the server did not fail the connection within ${timeoutMs} ms (expected close ${want})`,
  );
}

/**
 * §5.5.1: a client's close frame is answered by a close frame (MUST). Its code SHOULD be the one
 * sent (C3: "typically echoed"; answering 4000 with 1000 is non-strict); its reason is free.
 * `sent` null: the close carried no code, any answer code passes.
 */
export async function expectCloseReply(w: Wire, sent: number | null, what: string): Promise<void> {
  const r = await w.nextExcept(BACKGROUND);
  if (r.kind !== 'close')
    w.ctx.fail(`${what} was answered by ${describeReply(r)} instead of a close frame (RFC 6455 §5.5.1)`);
  if (sent !== null)
    w.ctx.should(
      r.code === sent,
      `${what} was answered by a close frame with ${r.code ?? 'no status code'}, not the code sent (${sent})`,
    );
}

/** The message sent comes back unchanged (an echo target), pongs aside. */
export async function expectEcho(
  w: Wire,
  opcode: number,
  payload: Buffer,
  what: string,
  timeoutMs = ANSWER_MS,
): Promise<void> {
  const r = await w.nextExcept(['pong'], timeoutMs);
  if (r.kind !== 'message') w.ctx.fail(`${what} was answered by ${describeReply(r)} instead of its echo`);
  w.ctx.require(r.opcode === opcode, `${what} was echoed as ${describeReply(r)}, another opcode`);
  w.ctx.require(
    r.payload.equals(payload),
    `${what} was echoed with other bytes (${r.payload.length} bytes, first difference at byte ${firstDifference(r.payload, payload)})`,
  );
}

/** §5.5.2/§5.5.3: a ping gets a pong with its payload (MUST, C3); messages meanwhile are skipped. */
export async function expectPong(w: Wire, payload: Buffer, what: string): Promise<void> {
  const r = await w.nextExcept(['message']);
  if (r.kind !== 'pong') w.ctx.fail(`${what} was answered by ${describeReply(r)} instead of a pong`);
  w.ctx.require(
    r.payload.equals(payload),
    `${what} was answered by a pong of ${r.payload.length} bytes that is not its payload (${payload.length} bytes)`,
  );
}

/** Ends the row's connection with a close handshake (not judged: the row's check is done). */
export function closeNormally(w: Wire): void {
  w.send({ opcode: OPCODE.close, payload: Buffer.from([0x03, 0xe8]) });
}

function firstDifference(a: Buffer, b: Buffer): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return n;
}
