// What the worker needs to know about a protocol: how to open a client's stream, how to read what
// arrives, and how to ping. One driver per worker thread; per-client state is indexed by `ci`
// (the client's index within the worker). The drivers implement it (driver-atheria.ts,
// driver-evolution.ts); driver.ts picks one.
import type { WebSocket } from 'ws';

export interface Driver {
  /** Extra upgrade headers for client `ci` (none today: Evolution authenticates by message, E2). */
  prepare(ci: number, clientId: number): Promise<void>;
  /** Sends the commands that start the stream (target mode only; baselines ignore input). */
  start(ws: WebSocket, ci: number): void;
  onMessage(ci: number, data: Buffer, isBinary: boolean, nowMs: number): void;
  /** Sends one open-loop ping stamped with its intended send time (epoch ms). */
  ping(ws: WebSocket, ci: number, intendedMs: number): void;
  /** A WebSocket-level pong arrived (RFC 6455 §5.5.3). */
  onPong(ci: number, data: Buffer, nowMs: number): void;
  /** Intended send times of pings still waiting for their answer. */
  outstanding(ci: number): number[];
}
