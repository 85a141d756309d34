// E4 run-wide: channel events only for subscribed channels, none before the first subscribe.
import { describe, expect, it } from 'vitest';
import type { Received } from '../../src/engine/types.js';
import { evolutionAdapter } from '../../src/protocols/evolution.js';
import { channelScope, UNSUBSCRIBE_GRACE_MS } from '../../src/protocols/evolution-channel-scope.js';

describe('channelScope (E4)', () => {
  it('an event before any subscribe is a violation of E4', () => {
    const s = channelScope();
    expect(s.received('metrics', 10)).toMatchObject({ rule: 'E4', messageType: 'metrics' });
    expect(s.received('pong', 10)).toBeNull();
    expect(s.received('error', 10)).toBeNull();
  });

  it('subscribed channels (channel, channels, wrapped in data) deliver; others do not', () => {
    const s = channelScope();
    s.sent({ type: 'subscribe', channel: 'evolution', channels: ['metrics'] }, 0, 'text');
    s.sent({ type: 'subscribe', data: { channels: ['alerts'] } }, 0, 'text');
    expect(s.received('evolution_update', 5)).toBeNull();
    expect(s.received('metrics', 5)).toBeNull();
    expect(s.received('alert', 5)).toBeNull();
    expect(s.received('agent_update', 5)?.message).toMatch(/agents/);
  });

  it('an unsubscribed channel may deliver for 500 ms, not after', () => {
    const s = channelScope();
    s.sent({ type: 'subscribe', channels: ['evolution'] }, 0, 'text');
    s.sent({ type: 'unsubscribe', channels: ['evolution'] }, 100, 'text');
    expect(s.received('evolution_update', 100 + UNSUBSCRIBE_GRACE_MS)).toBeNull();
    expect(s.received('evolution_update', 101 + UNSUBSCRIBE_GRACE_MS)).toMatchObject({ rule: 'E4' });
  });

  it('log entries come on logs or control; one agent_update answers each get_agent or agent_code', () => {
    const s = channelScope();
    s.sent({ type: 'subscribe', channel: 'control' }, 0, 'text');
    expect(s.received('log', 1)).toBeNull();
    s.sent({ type: 'get_agent', agent_id: 'a' }, 2, 'text');
    s.sent(undefined, 3, 'binary');
    expect(s.received('agent_update', 4)).toBeNull();
    expect(s.received('agent_update', 5)).toBeNull();
    expect(s.received('agent_update', 6)).toMatchObject({ rule: 'E4' });
  });

  it('the adapter tracks what each connection sent', () => {
    const checker = evolutionAdapter.inboundChecker();
    const metrics: Received = {
      t: 50,
      kind: 'text',
      type: 'metrics',
      json: { type: 'metrics', data: {} },
      text: '{"type":"metrics","data":{}}',
    };
    expect(checker.inbound(metrics).some((v) => v.rule === 'E4')).toBe(true);
    checker.outbound?.({ type: 'subscribe', channel: 'metrics' }, 60, 'text');
    expect(checker.inbound({ ...metrics, t: 70 }).some((v) => v.rule === 'E4')).toBe(false);
  });
});

describe('evolution checker: E3 and E1 levels', () => {
  const text = (json: Record<string, unknown>, t = 0): Received => ({
    t,
    kind: 'text',
    json,
    text: JSON.stringify(json),
    type: json.type as string,
  });

  it('a pong answering a ping without a numeric timestamp is not judged by the numeric rule (E3)', () => {
    const checker = evolutionAdapter.inboundChecker();
    checker.outbound?.({ type: 'ping', timestamp: 'soon' }, 0, 'text');
    checker.outbound?.({ type: 'ping', timestamp: 5 }, 1, 'text');
    expect(checker.inbound(text({ type: 'pong', timestamp: 'soon' }))).toEqual([]);
    expect(checker.inbound(text({ type: 'pong', timestamp: 'late' })).map((v) => v.instancePath)).toEqual([
      '/timestamp',
    ]);
  });

  it('another shape of the profile-only acknowledgements is a SHOULD, not a MUST (E1, E4)', () => {
    const checker = evolutionAdapter.inboundChecker();
    const found = checker.inbound(text({ type: 'subscribed', channels: 7 }));
    expect(found.length).toBeGreaterThan(0);
    expect(found.every((v) => v.level === 'should')).toBe(true);
    const pong = checker.inbound(text({ type: 'pong', timestamp: 'x' }));
    expect(pong.every((v) => v.level === undefined)).toBe(true);
  });
});
