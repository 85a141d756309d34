// Raw-socket helpers for what a WebSocket library will not send (RFC 6455 §5.2 framing).
import { caseId } from '../../src/engine/define-case.js';
import { GENERIC_PRECONDITIONS } from '../../src/protocols/generic.js';
import type { CaseContext, RawConn, RawFrame } from '../../src/engine/types.js';
import { OPCODE } from '../../src/wire/frames.js';
import { serverFrameProblem } from '../../src/wire/message-assembler.js';
import { preconditionMs } from './health.js';
import { describeStatus, originHeaders } from './http.js';
import { authHeaders } from './jwt.js';

export { OPCODE };

/** RSV1 as RawFrame.rsv counts it: the three RSV bits as a number, RSV1 the highest (RFC 6455 §5.2). */
export const RSV1 = 0b100;

/** The case that checks the upgrade: …-HANDSHAKE-100, or for a generic target its ping case. */
function handshakeCase(ctx: CaseContext): string {
  const p = ctx.target.protocol;
  return p === 'generic' ? GENERIC_PRECONDITIONS.handshake : caseId(p, 'handshake', 100);
}

/**
 * A raw TCP connection to the target. A target that does not accept TCP connections is no finding
 * of the case that needs one (a crash is C4's, found by the canary): it ends `error`.
 */
export async function rawSocket(ctx: CaseContext): Promise<RawConn> {
  try {
    return await ctx.raw();
  } catch (err) {
    if (err instanceof Error && err.name === 'CaseEnd') throw err;
    ctx.precondition(
      false,
      `a TCP connection to the target (${err instanceof Error ? err.message : String(err)})`,
      handshakeCase(ctx),
    );
  }
}

/**
 * A raw connection upgraded on the target path. Evolution connections carry a bearer token when the
 * run has the secret, so that the auth timeout (E2) cannot close them before the C3 check is done.
 * A refused upgrade is no finding of the C3 case that needs the connection: it ends `error`
 * (precondition), pointing at the handshake case.
 */
export async function openRaw(ctx: CaseContext): Promise<RawConn> {
  const raw = await rawSocket(ctx);
  const headers = { ...originHeaders(ctx), ...(await authHeaders(ctx)) };
  const res = await raw.handshake({ headers, timeoutMs: preconditionMs(ctx) });
  if (res?.status !== 101) {
    raw.destroy();
    ctx.precondition(
      false,
      `a valid upgrade on the target path got ${describeStatus(res)} instead of 101`,
      handshakeCase(ctx),
    );
  }
  if (res.acceptOk === false) {
    raw.destroy();
    // RFC 6455 §4.1: a client MUST fail the connection on a wrong Sec-WebSocket-Accept
    ctx.precondition(false, 'the 101 carries a wrong Sec-WebSocket-Accept', handshakeCase(ctx));
  }
  return raw;
}

/** Runs `fn` with a raw upgraded connection and always releases the socket. */
export async function withRaw<T>(ctx: CaseContext, fn: (raw: RawConn) => Promise<T>): Promise<T> {
  const raw = await openRaw(ctx);
  try {
    return await fn(raw);
  } finally {
    raw.destroy();
  }
}

/**
 * The next frame matching `pred`, skipping valid others (Atheria streams frames meanwhile); null on
 * timeout, close, or a frame no server may send (serverFrameProblem: after it the stream means
 * nothing, and a close "found" further on in noise must not pass a case).
 */
export async function readUntil(
  raw: RawConn,
  pred: (f: RawFrame) => boolean,
  timeoutMs: number,
): Promise<RawFrame | null> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const left = deadline - Date.now();
    if (left <= 0) return null;
    const frame = await raw.readFrame(left);
    if (frame === null) return null;
    if (serverFrameProblem(frame) !== null) return null;
    if (pred(frame)) return frame;
  }
}

export interface CloseFrame {
  /** the status code (RFC 6455 §5.5.1: the first two payload bytes, big-endian), null if absent */
  code: number | null;
  reason: string;
}

export function parseClose(frame: RawFrame): CloseFrame {
  if (frame.payload.length < 2) return { code: null, reason: '' };
  return { code: frame.payload.readUInt16BE(0), reason: frame.payload.subarray(2).toString('utf8') };
}

/** The server's close frame, skipping data frames; null on timeout or a TCP close without one. */
export async function readClose(raw: RawConn, timeoutMs: number): Promise<CloseFrame | null> {
  const frame = await readUntil(raw, (f) => f.opcode === OPCODE.close, timeoutMs);
  return frame === null || frame.opcode !== OPCODE.close ? null : parseClose(frame);
}

/** MUST: the server closes with `expected` within `timeoutMs` after `what` (RFC 6455 §7.4.1 codes). */
export async function requireCloseCode(
  ctx: CaseContext,
  raw: RawConn,
  expected: number,
  what: string,
  timeoutMs = 2000,
): Promise<void> {
  const close = await readClose(raw, timeoutMs);
  if (close === null) {
    const ended = await raw.ended(50);
    ctx.fail(
      `after ${what} the server ${ended ? 'dropped the TCP connection without a close frame' : `sent no close frame within ${timeoutMs} ms`} (expected close ${expected})`,
    );
  }
  ctx.require(
    close.code === expected,
    `after ${what} the server closed with ${close.code ?? 'no status code'} instead of ${expected}`,
  );
}

/**
 * Sends a ping over the raw connection and returns the payload of the first pong, or why there
 * was none ('closed' when a close frame or TCP close came first, 'timeout').
 */
export async function rawPing(
  raw: RawConn,
  payload: Buffer,
  timeoutMs = 1000,
): Promise<{ pong: Buffer } | { none: 'closed' | 'timeout'; close?: CloseFrame }> {
  raw.sendFrame({ opcode: OPCODE.ping, payload });
  const deadline = Date.now() + timeoutMs;
  const frame = await readUntil(raw, (f) => f.opcode === OPCODE.pong || f.opcode === OPCODE.close, timeoutMs);
  if (frame?.opcode === OPCODE.pong) return { pong: frame.payload };
  if (frame?.opcode === OPCODE.close) return { none: 'closed', close: parseClose(frame) };
  return { none: Date.now() >= deadline ? 'timeout' : 'closed' };
}

export type HttpAnswer = Awaited<ReturnType<RawConn['handshake']>>;

/** How long probeUpgrade waits for an answer, and then once more on a fresh socket. */
const ANSWER_MS = 2000;

/**
 * One upgrade request on a fresh socket (default: a valid one for the target path, with the allowed
 * Origin when the run has one); the socket is then closed. Without an answer within 2 s the request
 * is sent once more with a longer wait (PRECONDITION_MS), so that a server busy with another case's
 * input (a stall is C4's, judged by the security cases) still gets its answer judged here;
 * `retry: false` for requests whose answer is only noted.
 */
export async function probeUpgrade(
  ctx: CaseContext,
  opts: {
    path?: string;
    method?: string;
    headers?: Record<string, string | undefined>;
    retry?: boolean;
  } = {},
): Promise<HttpAnswer> {
  const { retry = true, ...request } = opts;
  const once = async (timeoutMs: number): Promise<HttpAnswer> => {
    const raw = await rawSocket(ctx);
    try {
      return await raw.handshake({
        ...request,
        timeoutMs,
        headers: { ...originHeaders(ctx), ...request.headers },
      });
    } finally {
      raw.destroy();
    }
  };
  const first = await once(ANSWER_MS);
  if (!retry || (first !== null && first.status !== 0)) return first;
  return once(preconditionMs(ctx));
}

/** The HTTP answer, or the case fails: every C1/C2 refusal must be an HTTP answer, not a dropped socket. */
export function requireAnswer(ctx: CaseContext, res: HttpAnswer, what: string): NonNullable<HttpAnswer> {
  if (res === null || res.status === 0)
    ctx.fail(
      `${what} got no HTTP answer (twice: within ${ANSWER_MS} ms, then within ${preconditionMs(ctx)} ms)`,
    );
  return res;
}

/** §5.5.1: a close payload is the status code (2 bytes, big-endian) followed by a UTF-8 reason. */
export function closePayload(code: number, reason: string | Buffer = ''): Buffer {
  const head = Buffer.alloc(2);
  head.writeUInt16BE(code, 0);
  return Buffer.concat([head, typeof reason === 'string' ? Buffer.from(reason, 'utf8') : reason]);
}
