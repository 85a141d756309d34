// E10: concurrent connections per user (JWT sub). A connection holds its slot from the moment it
// is authenticated until it closes.
import type { FaultName } from '../faults.js';

export class UserConnections {
  private readonly counts = new Map<string, number>();
  private total = 0;

  constructor(
    private readonly limit: number,
    private readonly has: (fault: FaultName) => boolean,
  ) {}

  /** takes a slot for `user`; false when the user already holds `limit` connections */
  tryAcquire(user: string): boolean {
    const held = this.counts.get(user) ?? 0;
    // evo-conn-limit-global: every user's connections count against one limit
    const used = this.has('evo-conn-limit-global') ? this.total : held;
    // evo-no-conn-limit: never refuse
    if (used >= this.limit && !this.has('evo-no-conn-limit')) return false;
    this.counts.set(user, held + 1);
    this.total++;
    return true;
  }

  release(user: string): void {
    const held = this.counts.get(user) ?? 0;
    if (held <= 1) this.counts.delete(user);
    else this.counts.set(user, held - 1);
    if (held > 0) this.total--;
  }
}
