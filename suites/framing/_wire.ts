// The wire of a table row (suites/framing/table-*.ts): frames written on a raw upgraded connection
// (src/wire/raw.ts), as whole writes or chopped into TCP writes of a few bytes, and what the server
// answers read back as messages (fragments reassembled), pongs and its close frame.
import type { CaseContext, RawConn, RawFrame } from '../../src/engine/types.js';
import { type EncodeOptions, encodeFrame, OPCODE } from '../../src/wire/frames.js';
import { serverFrameProblem } from '../../src/wire/message-assembler.js';
import { openRaw, parseClose } from '../_shared/raw.js';

export { OPCODE };

export type Frame = Omit<EncodeOptions, 'mask' | 'lengthEncoding'> & { mask?: boolean };

/** A message or control frame the server sent, or the end of the connection. */
export type Reply =
  /**
   * rsv: the RSV bits of the message's first frame (RSV1 = 4: compressed, RFC 7692); dropped: the
   * message grew past --max-message-size and its bytes (that many) were not kept
   */
  | { kind: 'message'; opcode: number; payload: Buffer; rsv: number; dropped?: number }
  | { kind: 'pong'; payload: Buffer }
  | { kind: 'close'; code: number | null; reason: Buffer }
  | { kind: 'ended' }
  | { kind: 'timeout' }
  /** a frame no server may send (RFC 6455 §5.1, §5.2, §5.5): the stream means nothing after it */
  | { kind: 'invalid'; problem: string };

/** How long a row waits for an answer the RFC requires. */
export const ANSWER_MS = 2000;

/** §5.5.1: a close body is a 2-byte code and a reason (bytes, so that a row can send bad UTF-8). */
export function closeBody(code: number, reason: Buffer | string = ''): Buffer {
  const head = Buffer.alloc(2);
  head.writeUInt16BE(code, 0);
  return Buffer.concat([head, typeof reason === 'string' ? Buffer.from(reason) : reason]);
}

export function describeReply(r: Reply): string {
  switch (r.kind) {
    case 'message':
      return `a ${r.opcode === OPCODE.text ? 'text' : r.opcode === OPCODE.binary ? 'binary' : `0x${r.opcode.toString(16)}`} message of ${r.dropped === undefined ? `${r.payload.length} bytes` : `${r.dropped} bytes (over --max-message-size: not kept)`}`;
    case 'pong':
      return `a pong of ${r.payload.length} bytes`;
    case 'close':
      return `a close frame with ${r.code ?? 'no status code'}`;
    case 'ended':
      return 'a TCP close without a close frame';
    case 'timeout':
      return 'nothing';
    case 'invalid':
      return `a frame no server may send (${r.problem})`;
  }
}

export class Wire {
  /** fragments of a server message being reassembled */
  private partial: { opcode: number; rsv: number; parts: Buffer[]; size: number } | null = null;
  /** set once the server's close frame was read: nothing may follow it */
  closeSeen = false;
  /** set at the first frame no server may send: every later read answers it again */
  private invalid: string | null = null;

  /** `rsvAllowed`: RSV bits an extension negotiated (RSV1 = 4: permessage-deflate, RFC 7692) */
  constructor(
    readonly ctx: CaseContext,
    readonly raw: RawConn,
    private readonly rsvAllowed = 0,
  ) {}

  send(...frames: Frame[]): void {
    for (const f of frames) this.raw.sendFrame(f);
  }

  /** Many frames in one write (one transcript entry instead of one per frame). */
  sendAll(frames: Frame[]): void {
    this.ctx.note(`the next write holds ${frames.length} frames`);
    this.raw.write(Buffer.concat(frames.map((f) => encodeFrame({ ...f, mask: f.mask ?? true }))));
  }

  /**
   * The frames' bytes in TCP writes of `chop` bytes each (Autobahn's "in chops"), each write its
   * own segment: the socket has no Nagle delay and the event loop turns between writes.
   */
  async sendChopped(frames: Frame[], chop: number): Promise<void> {
    const bytes = Buffer.concat(frames.map((f) => encodeFrame({ ...f, mask: f.mask ?? true })));
    this.ctx.note(`the next ${bytes.length} bytes are written ${chop} byte(s) per TCP write`);
    for (let i = 0; i < bytes.length; i += chop) {
      this.raw.write(bytes.subarray(i, i + chop));
      await new Promise((r) => setImmediate(r));
    }
  }

  /** The next message (fragments reassembled), pong, close or end; server pings are answered. */
  async next(timeoutMs = ANSWER_MS): Promise<Reply> {
    if (this.invalid !== null) return { kind: 'invalid', problem: this.invalid };
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const left = deadline - Date.now();
      if (left <= 0) return { kind: 'timeout' };
      const f: RawFrame | null = await this.raw.readFrame(left);
      if (f === null) return (await this.raw.ended(0)) ? { kind: 'ended' } : { kind: 'timeout' };
      const reply = this.take(f);
      if (reply) return reply;
    }
  }

  private take(f: RawFrame): Reply | null {
    // a close or message "found" further on in noise must not pass a row (issue 12 §2)
    this.invalid ??= serverFrameProblem(f, this.rsvAllowed);
    if (this.invalid !== null) return { kind: 'invalid', problem: this.invalid };
    if (f.opcode === OPCODE.close) {
      this.closeSeen = true;
      const c = parseClose(f);
      return { kind: 'close', code: c.code, reason: f.payload.subarray(2) };
    }
    if (f.opcode === OPCODE.pong) return { kind: 'pong', payload: f.payload };
    if (f.opcode === OPCODE.ping) {
      this.raw.sendFrame({ opcode: OPCODE.pong, payload: f.payload });
      return null;
    }
    if (f.opcode === OPCODE.continuation) {
      if (!this.partial) return { kind: 'message', opcode: 0, payload: f.payload, rsv: f.rsv };
      this.partial.parts.push(f.payload);
      this.partial.size += f.payload.length;
    } else {
      this.partial = { opcode: f.opcode, rsv: f.rsv, parts: [f.payload], size: f.payload.length };
    }
    // Issue 12 §2: a server's message held whole is bounded like every buffer of the harness, by
    // --max-message-size; past it the fragments are counted, not kept (a fragmented message
    // that never ends would otherwise grow until the case's timeout)
    const over = this.partial.size > this.ctx.config.limits.maxMessageBytes;
    if (over) this.partial.parts = [];
    if (!f.fin) return null;
    const done: Extract<Reply, { kind: 'message' }> = {
      kind: 'message',
      opcode: this.partial.opcode,
      payload: Buffer.concat(this.partial.parts),
      rsv: this.partial.rsv,
    };
    if (over) done.dropped = this.partial.size;
    this.partial = null;
    return done;
  }

  /** The next reply other than the kinds in `skip` (e.g. messages a protocol endpoint sends on its own). */
  async nextExcept(skip: readonly Reply['kind'][], timeoutMs = ANSWER_MS): Promise<Reply> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const r = await this.next(Math.max(0, deadline - Date.now()));
      if (!skip.includes(r.kind) || r.kind === 'timeout') return r;
    }
  }
}

/** Runs `fn` on a fresh upgraded raw connection (a refused upgrade ends the case `error`). */
export async function withWire<T>(ctx: CaseContext, fn: (w: Wire) => Promise<T>): Promise<T> {
  const raw = await openRaw(ctx);
  try {
    return await fn(new Wire(ctx, raw));
  } finally {
    raw.destroy();
  }
}
