import type { Violation } from '../engine/types.js';
import { loadManifest } from '../schema/manifest.js';

// Profile E4, checked on every Evolution connection for the whole run (like C5), not only inside
// the window of one subscription case: a connection receives the seed's event types only of the
// channels it is subscribed to, and none before its first subscribe. What the connection sent is
// what it asked for:
// - a `subscribe` (channel and/or channels, flat or wrapped in data/payload, E1) opens its known
//   channels from the moment it is sent;
// - an `unsubscribe` closes them 500 ms after it is sent (E4 tolerates deliveries in flight);
// - a `get_agent` or a binary `agent_code` may be answered by one `agent_update` on any
//   connection (E7, E11).
// Message types the seed does not list never count as channel events (E1).

/** E4: delivery stops within this many ms of an unsubscribe. */
export const UNSUBSCRIBE_GRACE_MS = 500;

export interface ChannelScope {
  sent(json: unknown, t: number, kind: 'text' | 'binary'): void;
  /** the violation of a received message of this type at time t, if any */
  received(type: string | undefined, t: number): Violation | null;
}

function fieldsOf(json: Record<string, unknown>): Record<string, unknown>[] {
  const out = [json];
  for (const key of ['data', 'payload']) {
    const inner = json[key];
    if (inner && typeof inner === 'object' && !Array.isArray(inner))
      out.push(inner as Record<string, unknown>);
  }
  return out;
}

function channelsOf(json: Record<string, unknown>): string[] {
  const names: string[] = [];
  for (const f of fieldsOf(json)) {
    if (typeof f.channel === 'string') names.push(f.channel);
    if (Array.isArray(f.channels))
      names.push(...f.channels.filter((c): c is string => typeof c === 'string'));
  }
  return names;
}

export function channelScope(): ChannelScope {
  const channels = loadManifest('evolution').channels;
  /** event type → the channels that carry it */
  const carriers = new Map<string, string[]>();
  for (const [channel, types] of Object.entries(channels)) {
    for (const type of types) carriers.set(type, [...(carriers.get(type) ?? []), channel]);
  }
  /** channel → open since (ms), or closed at (ms) */
  const open = new Map<string, number>();
  const closedAt = new Map<string, number>();
  let agentRequests = 0;

  return {
    sent(json, t, kind) {
      if (kind === 'binary') {
        agentRequests++;
        return;
      }
      if (!json || typeof json !== 'object' || Array.isArray(json)) return;
      const msg = json as Record<string, unknown>;
      if (msg.type === 'get_agent') agentRequests++;
      if (msg.type === 'subscribe') {
        for (const c of channelsOf(msg)) {
          if (!Object.hasOwn(channels, c)) continue;
          open.set(c, t);
          closedAt.delete(c);
        }
      }
      if (msg.type === 'unsubscribe') {
        for (const c of channelsOf(msg)) {
          if (open.delete(c)) closedAt.set(c, t);
        }
      }
    },
    received(type, t) {
      const via = type === undefined ? undefined : carriers.get(type);
      if (!via) return null;
      if (via.some((c) => open.has(c))) return null;
      if (via.some((c) => t <= (closedAt.get(c) ?? Number.NEGATIVE_INFINITY) + UNSUBSCRIBE_GRACE_MS))
        return null;
      if (type === 'agent_update' && agentRequests > 0) {
        agentRequests--;
        return null;
      }
      const why =
        open.size === 0 && closedAt.size === 0
          ? 'before any subscribe'
          : `while subscribed to ${[...open.keys()].join(', ') || 'nothing'}`;
      return {
        messageType: type as string,
        instancePath: '',
        schemaPath: '',
        rule: 'E4',
        message: `a ${type} event (channel ${via.join(' or ')}) arrived ${why} (E4: only subscribed channels)`,
      };
    },
  };
}
