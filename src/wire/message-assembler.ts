import type { RawFrame } from '../engine/types.js';

// Frames → messages (RFC 6455 §5.4, §5.5), incrementally and bounded: the reader of a peer's
// fragmented messages. Pure like the frame parser beneath it (frame-parser.ts): frames in, at most
// one message or control frame out per frame. A protocol error stops it for good, as §7.1.7 has
// the endpoint fail the connection.
//
// What it checks is what §5.4/§5.5 fix for any endpoint whatever the extensions: fragments of one
// message are not interleaved with another's, a continuation has a message to continue, control
// frames are neither fragmented nor longer than 125 bytes, reserved opcodes are not used, RSV bits
// are set only where an extension allows them (`rsvAllowed`). It does not check UTF-8: a text
// message's bytes are handed over as they came, for the caller to judge (§8.1).

export type MessageErrorCode =
  /** §5.4: a continuation frame with no fragmented message started */
  | 'continuation-without-start'
  /** §5.4: a new text/binary frame while a fragmented message is still open */
  | 'message-not-finished'
  /** the message's fragments add up to more than maxMessage */
  | 'message-too-big'
  /** §5.5: "Control frames themselves MUST NOT be fragmented" */
  | 'control-fragmented'
  /** §5.5: "All control frames MUST have a payload length of 125 bytes or less" */
  | 'control-too-long'
  /** §5.2: opcodes 0x3–0x7 and 0xB–0xF are reserved */
  | 'reserved-opcode'
  /** §5.2: RSV bits MUST be 0 unless an extension defines them */
  | 'reserved-bits';

export interface MessageError {
  code: MessageErrorCode;
  message: string;
  /** index (0-based, in push order) of the frame that broke the rule */
  frameIndex: number;
}

export interface AssembledMessage {
  /** the opcode of the first frame: 0x1 text or 0x2 binary */
  opcode: number;
  /** the RSV bits of the first frame (RFC 7692 §6: RSV1 there marks a compressed message) */
  rsv: number;
  payload: Buffer;
  /** how many frames carried it (1 for an unfragmented message) */
  frames: number;
}

export type AssembleResult =
  | { kind: 'message'; message: AssembledMessage }
  | { kind: 'control'; frame: RawFrame }
  /** a fragment was taken; the message is not finished */
  | { kind: 'pending' }
  | { kind: 'error'; error: MessageError };

export interface MessageAssemblerOptions {
  /** the largest message (all fragments together) accepted; the harness passes --max-message-size */
  maxMessage: number;
  /** RSV bits an extension negotiated (RFC 7692: RSV1 = 0b100 on a message's first frame); default 0 */
  rsvAllowed?: number;
}

const OP_CONTINUATION = 0x0;
const CONTROL_MAX = 125;

/**
 * What is wrong with one frame on its own (§5.2 reserved opcodes and bits, §5.5 control frames),
 * or null; `rsvAllowed` are the RSV bits an extension negotiated (RSV1 = 4 for permessage-deflate,
 * never on a control frame: RFC 7692 §6).
 */
export function frameProblem(
  frame: Pick<RawFrame, 'opcode' | 'rsv' | 'fin' | 'payload'>,
  rsvAllowed = 0,
): { code: MessageErrorCode; message: string } | null {
  const { opcode } = frame;
  if ((opcode >= 0x3 && opcode <= 0x7) || opcode >= 0xb)
    return { code: 'reserved-opcode', message: `opcode 0x${opcode.toString(16)} is reserved (§5.2)` };
  const allowed = opcode >= 0x8 ? 0 : rsvAllowed;
  if ((frame.rsv & ~allowed) !== 0)
    return {
      code: 'reserved-bits',
      message: `RSV bits ${frame.rsv.toString(2).padStart(3, '0')} set (§5.2)`,
    };
  if (opcode >= 0x8 && !frame.fin)
    return { code: 'control-fragmented', message: 'a control frame without FIN (§5.5)' };
  if (opcode >= 0x8 && frame.payload.length > CONTROL_MAX)
    return { code: 'control-too-long', message: `a ${frame.payload.length}-byte control frame (§5.5)` };
  return null;
}

/** What is wrong with a frame a server sent (frameProblem, and §5.1: a server never masks), or null. */
export function serverFrameProblem(frame: RawFrame, rsvAllowed = 0): string | null {
  if (frame.masked) return 'a masked frame from the server (§5.1: a server MUST NOT mask)';
  return frameProblem(frame, rsvAllowed)?.message ?? null;
}

export class MessageAssembler {
  private readonly maxMessage: number;
  private readonly rsvAllowed: number;
  private parts: Buffer[] = [];
  private size = 0;
  private open: { opcode: number; rsv: number } | null = null;
  private index = -1;
  private failed: MessageError | null = null;

  constructor(opts: MessageAssemblerOptions) {
    if (!Number.isSafeInteger(opts.maxMessage) || opts.maxMessage < 0)
      throw new RangeError(`maxMessage must be a non-negative safe integer, got ${opts.maxMessage}`);
    this.maxMessage = opts.maxMessage;
    this.rsvAllowed = opts.rsvAllowed ?? 0;
  }

  /** Payload bytes held for the unfinished message: never more than maxMessage. */
  get bufferedBytes(): number {
    return this.size;
  }

  /** true while a fragmented message has started and not finished */
  get inMessage(): boolean {
    return this.open !== null;
  }

  get error(): MessageError | null {
    return this.failed;
  }

  /** Takes the next frame of the stream. */
  push(frame: RawFrame): AssembleResult {
    this.index++;
    if (this.failed) return { kind: 'error', error: this.failed };
    const { opcode } = frame;
    const problem = frameProblem(frame, this.rsvAllowed);
    if (problem) return this.stop(problem.code, problem.message);
    // §5.4: control frames MAY be injected in the middle of a fragmented message
    if (opcode >= 0x8) return { kind: 'control', frame };
    if (opcode === OP_CONTINUATION) {
      if (!this.open) return this.stop('continuation-without-start', 'a continuation with no message (§5.4)');
    } else {
      if (this.open)
        return this.stop('message-not-finished', 'a new data frame before the open message ended (§5.4)');
      this.open = { opcode, rsv: frame.rsv };
    }
    if (this.size + frame.payload.length > this.maxMessage)
      return this.stop(
        'message-too-big',
        `the message reaches ${this.size + frame.payload.length} bytes, more than ${this.maxMessage}`,
      );
    this.parts.push(frame.payload);
    this.size += frame.payload.length;
    if (!frame.fin) return { kind: 'pending' };
    const start = this.open ?? { opcode, rsv: frame.rsv }; // set above: a data frame opened it
    const message: AssembledMessage = {
      opcode: start.opcode,
      rsv: start.rsv,
      payload: this.parts.length === 1 ? (this.parts[0] ?? Buffer.alloc(0)) : Buffer.concat(this.parts),
      frames: this.parts.length,
    };
    this.reset();
    return { kind: 'message', message };
  }

  private reset(): void {
    this.parts = [];
    this.size = 0;
    this.open = null;
  }

  private stop(code: MessageErrorCode, message: string): AssembleResult {
    this.reset();
    this.failed = { code, message, frameIndex: this.index };
    return { kind: 'error', error: this.failed };
  }
}
