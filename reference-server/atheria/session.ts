// Per-connection state: whether the live feed is on (set_live_feed) and the wire format of frames
// (set_binary). Both decide the connection's membership in the frame broadcaster.

import { WebSocket } from 'ws';
import type { WireFormat } from './codec.js';
import type { ServerMessage } from './messages.js';
import type { AtheriaWorld } from './world.js';

export class Session {
  liveFeed = true;
  format: WireFormat = 'json';
  /** initial_state has been sent: before that nothing else may go out (A1) */
  ready = false;

  constructor(
    readonly ws: WebSocket,
    private readonly world: AtheriaWorld,
  ) {}

  send(msg: ServerMessage): void {
    if (this.ws.readyState !== WebSocket.OPEN) return;
    this.ws.send(JSON.stringify(msg));
    this.world.ctx.metrics.messagesOut++;
  }

  /** Re-derive broadcaster membership after liveFeed, format or ready changed. */
  update(): void {
    this.world.broadcaster.set(this.ws, this.ready && this.liveFeed ? this.format : null);
  }
}
