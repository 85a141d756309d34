// Per-connection state: whether the live feed is on (set_live_feed) and the wire format of frames
// (set_binary). Both decide the connection's membership in the frame broadcaster.
// It knows the broadcaster and the metrics, not the world (no import cycle with ./world.ts).

import { WebSocket } from 'ws';
import type { ServerMetrics } from '../metrics.js';
import type { FrameBroadcaster } from './broadcaster.js';
import type { WireFormat } from './codec.js';
import type { ServerMessage } from './messages.js';

export class Session {
  liveFeed = true;
  format: WireFormat = 'json';
  /** initial_state has been sent: before that nothing else may go out (A1) */
  ready = false;

  constructor(
    readonly ws: WebSocket,
    /** the server's id of the connection, for the error log */
    readonly id: string,
    private readonly broadcaster: FrameBroadcaster,
    private readonly metrics: ServerMetrics,
  ) {}

  send(msg: ServerMessage): void {
    if (this.ws.readyState !== WebSocket.OPEN) return;
    this.ws.send(JSON.stringify(msg));
    this.metrics.messagesOut++;
  }

  /** Re-derive broadcaster membership after liveFeed, format or ready changed. */
  update(): void {
    this.broadcaster.set(this.ws, this.ready && this.liveFeed ? this.format : null);
  }
}
