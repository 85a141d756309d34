import type { Conn, Received } from '../engine/types.js';
import { command, REPLY_MS } from './atheria-commands.js';
import {
  idle,
  isNotification,
  mark,
  notificationMessage,
  notificationStatus,
  waitFor,
} from './atheria-wait.js';

// Knowing that the server has processed a message that may get no answer (A4 silence is allowed,
// set_fps has no documented reply): send a sentinel after it and wait for the sentinel's answer.
// The sentinel is `inference.load_experiment` of a name that cannot exist, which A3 says MUST be
// answered by a notification (error) and which changes nothing. The server processes a
// connection's messages in order, so everything before the sentinel's answer belongs to what was
// sent before it. The answer is the FINAL one: the public backend first sends a progress
// notification `info` ("Cargando modelo 'X'...") and the error after it; taking the `info` would
// let the error fall into the next exchange as if it answered something else.
//
// "echo" mode: the server names the experiment in its answer, so the answer is recognised by a
// nonce and one round trip suffices. "quiet" mode (a server that does not echo the name): wait a
// quiet period before sending the sentinel, so that answers cannot be confused; slower.

export const QUIET_MS = 300;

/** A final answer to a command: a notification that is not a progress `info` (A7 statuses). */
export function isFinalNotification(m: Received): boolean {
  return isNotification(m) && notificationStatus(m) !== 'info';
}

let nonceCounter = 0;

export function sentinelName(): string {
  nonceCounter += 1;
  return `__wsconform_probe_${process.pid}_${nonceCounter}_${Math.floor(Math.random() * 1e9)}__`;
}

export interface Exchange {
  /** messages received after the send and before the sentinel's answer */
  replies: Received[];
  /** the sentinel's answer; null when it never came (connection dead or closed) */
  sentinel: Received | null;
}

export class Probe {
  private mode: 'echo' | 'quiet' | undefined;

  constructor(
    readonly conn: Conn,
    private readonly timeoutMs = REPLY_MS,
  ) {}

  get echoes(): boolean | undefined {
    return this.mode === undefined ? undefined : this.mode === 'echo';
  }

  /** Sends a sentinel; resolves with its answer (null if none). Learns whether the server echoes the name. */
  async sync(): Promise<Received | null> {
    const name = sentinelName();
    const from = command(this.conn, 'inference.load_experiment', { experiment_name: name });
    if (this.mode === 'echo') {
      const hit = await waitFor(
        this.conn,
        from,
        (m) => isFinalNotification(m) && notificationMessage(m).includes(name),
        this.timeoutMs,
      );
      return hit?.message ?? null;
    }
    // unknown or quiet: the first final notification after the send (callers left a quiet period before)
    const hit = await waitFor(this.conn, from, isFinalNotification, this.timeoutMs);
    if (hit && this.mode === undefined)
      this.mode = notificationMessage(hit.message).includes(name) ? 'echo' : 'quiet';
    return hit?.message ?? null;
  }

  /**
   * Runs `send` (which sends one or more messages), then syncs; returns what arrived in between.
   * Calibrates on first use.
   */
  async exchange(send: () => void): Promise<Exchange> {
    if (this.mode === undefined) await this.sync();
    const from = mark(this.conn);
    send();
    if (this.mode === 'echo') {
      const name = sentinelName();
      command(this.conn, 'inference.load_experiment', { experiment_name: name });
      const hit = await waitFor(
        this.conn,
        from,
        (m) => isFinalNotification(m) && notificationMessage(m).includes(name),
        this.timeoutMs,
      );
      const end = hit ? hit.index : this.conn.received.length;
      // the sentinel's own progress notifications (they name it) answer nothing that was sent
      const replies = this.conn.received
        .slice(from, end)
        .filter((m) => !(isNotification(m) && notificationMessage(m).includes(name)));
      return { replies, sentinel: hit?.message ?? null };
    }
    await idle(this.conn, QUIET_MS);
    const cut = mark(this.conn);
    const sentinel = await this.sync();
    return { replies: this.conn.received.slice(from, cut), sentinel };
  }
}
