// E4 delivery: who is subscribed to which channel, and the broadcast path. Each event is
// serialized once and the same Buffer goes to every subscriber (the hot path validates nothing).
import type { FaultName } from '../faults.js';
import { CHANNELS, type Channel } from './channels.js';
import type { Body, Envelope } from './envelope.js';
import type { Session } from './session.js';

export class Hub {
  private readonly subscribers = new Map<Channel, Set<Session>>(CHANNELS.map((c) => [c, new Set<Session>()]));
  /** every authenticated connection (for the evo-leak-unsubscribed fault) */
  readonly authenticated = new Set<Session>();

  constructor(
    private readonly envelope: Envelope,
    private readonly has: (fault: FaultName) => boolean,
  ) {}

  private set(channel: Channel): Set<Session> {
    const set = this.subscribers.get(channel);
    if (!set) throw new Error(`no channel ${channel}`);
    return set;
  }

  subscribe(session: Session, channel: Channel): void {
    this.set(channel).add(session);
    session.channels.add(channel);
  }

  unsubscribe(session: Session, channel: Channel): void {
    this.set(channel).delete(session);
    session.channels.delete(channel);
  }

  remove(session: Session): void {
    for (const set of this.subscribers.values()) set.delete(session);
    this.authenticated.delete(session);
  }

  /** is anyone listening on `channel`? (lets producers skip building events nobody gets) */
  wanted(channel: Channel): boolean {
    return this.set(channel).size > 0 || (channel === 'metrics' && this.has('evo-leak-unsubscribed'));
  }

  /**
   * Sends one event to the subscribers of `channels` (each session once), optionally only to those
   * `accept` admits (E5 filters). Returns how many sessions it was sent to.
   */
  publish(channels: readonly Channel[], type: string, body: Body, accept?: (s: Session) => boolean): number {
    // evo-leak-unsubscribed (E4): metrics go to every authenticated connection
    const lists =
      channels.includes('metrics') && this.has('evo-leak-unsubscribed')
        ? [this.authenticated]
        : channels.map((c) => this.set(c));
    let shared: Buffer | undefined;
    let sent = 0;
    // a session on several of the channels gets the event once; one channel needs no bookkeeping
    const seen = lists.length > 1 ? new Set<Session>() : undefined;
    for (const list of lists) {
      for (const session of list) {
        if (seen) {
          if (seen.has(session)) continue;
          seen.add(session);
        }
        if (accept && !accept(session)) continue;
        // serialized once, on the first subscriber that gets it, and the same bytes for everyone
        shared ??= Buffer.from(this.envelope.encode(type, body));
        if (session.sendShared(shared)) sent++;
      }
    }
    return sent;
  }
}
