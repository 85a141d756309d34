// E1: every server message is `{type, id, timestamp, ...}`: `id` unique per connection (here unique
// per server, which implies it), `timestamp` ISO 8601 with ms precision, except pong whose
// `timestamp` is the number of E3. Each message is serialized once, however many receive it.
import type { Clock } from '../clock.js';
import type { FaultName } from '../faults.js';

export type Body = Record<string, unknown>;

export class Envelope {
  private seq = 0;

  constructor(
    private readonly has: (fault: FaultName) => boolean,
    private readonly clock: Clock,
  ) {}

  private head(type: string): Body {
    // evo-no-envelope-id (E1 SHOULD): no id, no timestamp
    if (this.has('evo-no-envelope-id')) return { type };
    const id = `m${(++this.seq).toString(36)}`;
    // evo-timestamp-number (E1, C5): epoch number instead of an ISO string
    const now = this.clock.now();
    const timestamp = this.has('evo-timestamp-number') ? Math.floor(now) : new Date(now).toISOString();
    return { type, id, timestamp };
  }

  /** JSON text of a server message; `body` holds `data` / `severity` / `level` / `error`. */
  encode(type: string, body: Body = {}): string {
    return JSON.stringify({ ...this.head(type), ...body });
  }

  /** E3: pong echoes the ping's numeric timestamp (no ISO timestamp on pong). */
  encodePong(timestamp: number): string {
    const id = this.has('evo-no-envelope-id') ? undefined : `m${(++this.seq).toString(36)}`;
    return JSON.stringify(id === undefined ? { type: 'pong', timestamp } : { type: 'pong', id, timestamp });
  }
}
