// Several authenticated connections for property cases: each run takes the connection with room
// under the paced message budget (E10), so hundreds of runs finish in seconds without the rate
// limit answering for the server. Each connection is its own user, so the per-user connection
// limit is never touched; a closed or doubtful connection is replaced by a fresh one.
import type { CaseContext, Conn } from '../engine/types.js';
import { countSent, hasRoom } from './evolution-observe.js';
import { connectAuthed } from './evolution-session.js';

export class ConnPool {
  private readonly slots: (Conn | undefined)[];
  private opened = 0;

  constructor(
    private readonly ctx: CaseContext,
    private readonly sub: string,
    size: number,
  ) {
    this.slots = new Array<Conn | undefined>(size).fill(undefined);
  }

  /** Connections opened so far (for reports). */
  get connectionsOpened(): number {
    return this.opened;
  }

  /** An open, authenticated connection that may send `n` messages now; counts them as sent. */
  async take(n = 2): Promise<Conn> {
    for (;;) {
      for (const [i, conn] of this.slots.entries()) {
        if (conn && !conn.isOpen) this.slots[i] = undefined;
        const c = this.slots[i] ?? (await this.fresh(i));
        if (hasRoom(this.ctx, c, n)) {
          countSent(c, n);
          return c;
        }
      }
      await this.ctx.sleep(20);
    }
  }

  /** Close and forget `conn` (its message accounting may be off after a failure). */
  discard(conn: Conn): void {
    const i = this.slots.indexOf(conn);
    if (i >= 0) this.slots[i] = undefined;
    conn.close(1000);
  }

  private async fresh(i: number): Promise<Conn> {
    const conn = await connectAuthed(this.ctx, { sub: `${this.sub}-${i}` });
    countSent(conn, 4); // auth + its sentinel ping, the auth probe + its sentinel
    this.opened++;
    this.slots[i] = conn;
    return conn;
  }
}
