// E4 channels (subscribe/unsubscribe, union, idempotence, unknown names) and E5 filters.
import { describe, expect, it } from 'vitest';
import { authed, type Msg, useSchemaCheck } from './helpers/client.js';
import { token } from './helpers/tokens.js';
import { EVO, useServer } from './helpers/server.js';

useSchemaCheck();
const srv = useServer();
const open = async (user = 'chan') => authed(srv().url(EVO), await token(user));
const data = (m: Msg) => m['data'] as Record<string, unknown>;
const codeOf = (m: Msg) => (m['error'] as { code: string }).code;

describe.concurrent('E4 channels', () => {
  it('nothing is delivered before the first subscribe', async () => {
    const c = await open();
    await new Promise((r) => setTimeout(r, 1200));
    expect(c.messages.map((m) => m.type)).toEqual(['auth_ok']);
    c.close();
  });

  it('each channel delivers its own event type and nothing else', async () => {
    const expected: Record<string, string> = {
      evolution: 'evolution_update',
      agents: 'agent_update',
      metrics: 'metrics',
      logs: 'log',
    };
    for (const [channel, type] of Object.entries(expected)) {
      const c = await open();
      c.send({ type: 'subscribe', channel });
      expect(data(await c.next('subscribed'))['channels']).toEqual([channel]);
      await c.next(type, 2500);
      await new Promise((r) => setTimeout(r, 300));
      const others = c.messages.filter((m) => !['auth_ok', 'subscribed', type].includes(m.type));
      expect(others, channel).toEqual([]);
      c.close();
    }
  });

  it('alerts deliver fitness regression alerts every few seconds', async () => {
    const c = await open();
    c.send({ type: 'subscribe', channel: 'alerts' });
    const alert = await c.next('alert', 5000);
    expect(['warning', 'error', 'critical']).toContain(alert['severity']);
    const d = data(alert);
    expect(d['title']).toBe('Fitness Regression Detected');
    const details = d['details'] as { previous_fitness: number; current_fitness: number };
    expect(details.current_fitness).toBeLessThan(details.previous_fitness);
    c.close();
  });

  it('channel and channels together subscribe the union; twice is idempotent', async () => {
    const c = await open();
    c.send({ type: 'subscribe', channel: 'metrics', channels: ['logs'] });
    expect(data(await c.next('subscribed'))['channels']).toEqual(['metrics', 'logs']);
    c.send({ type: 'subscribe', channels: ['logs', 'logs'] });
    await c.next('subscribed');
    await c.next('metrics', 2500);
    // a log entry arrives once, not twice, despite the double subscribe
    const logs = await c.collect(500, 'log');
    expect(logs.length).toBeGreaterThan(0);
    expect(new Set(logs.map((m) => m['id'])).size).toBe(logs.length);
    c.close();
  });

  it('unsubscribe stops delivery at once; others continue', async () => {
    const c = await open();
    c.send({ type: 'subscribe', channels: ['evolution', 'logs'] });
    await c.next('evolution_update');
    c.send({ type: 'unsubscribe', channels: ['evolution'] });
    const ack = await c.next('unsubscribed');
    expect(data(ack)['channels']).toEqual(['evolution']);
    const after = c.messages.indexOf(ack);
    await c.collect(400);
    expect(c.messages.slice(after).filter((m) => m.type === 'evolution_update')).toEqual([]);
    expect(c.messages.slice(after).some((m) => m.type === 'log')).toBe(true);
    c.send({ type: 'unsubscribe', channel: 'logs' });
    await c.next('unsubscribed');
    c.close();
  });

  it('an unknown channel gets INVALID_COMMAND naming it; the valid ones still apply', async () => {
    const c = await open();
    c.send({ type: 'subscribe', channels: ['evolution', 'bogus-channel'] });
    const err = await c.error('INVALID_COMMAND');
    expect((err['error'] as { message: string }).message).toContain('bogus-channel');
    await c.next('evolution_update');
    c.send({ type: 'unsubscribe', channels: ['nope'] });
    expect(codeOf(await c.next('error'))).toBe('INVALID_COMMAND');
    c.close();
  });

  it('subscribe without channel(s) or with wrong types is INVALID_COMMAND without effect', async () => {
    const c = await open();
    for (const msg of [
      { type: 'subscribe' },
      { type: 'subscribe', channel: 5 },
      { type: 'subscribe', channels: ['evolution', 3] },
      { type: 'subscribe', channel: 'evolution', filters: { generation_min: 'x' } },
      { type: 'subscribe', channel: 'evolution', filters: { fitness_min: true } },
      { type: 'subscribe', channel: 'evolution', filters: { generation_min: 1.5 } },
    ]) {
      c.send(msg);
      expect(codeOf(await c.next('error'))).toBe('INVALID_COMMAND');
    }
    expect((await c.collect(300)).filter((m) => m.type === 'evolution_update')).toEqual([]);
    c.close();
  });

  it('accepts the fields wrapped in data or payload (E1 SHOULD)', async () => {
    const c = await open();
    c.send({ type: 'subscribe', payload: { channels: ['metrics'] } });
    expect(data(await c.next('subscribed'))['channels']).toEqual(['metrics']);
    c.send({ type: 'subscribe', data: { channel: 'evolution' } });
    await c.next('evolution_update');
    c.close();
  });
});

describe.concurrent('E5 filters', () => {
  it('generation_min: only updates at or above it', async () => {
    const c = await open();
    c.send({ type: 'subscribe', channel: 'evolution' });
    await c.next('subscribed');
    const current = data(await c.next('evolution_update'))['generation'] as number;
    c.send({ type: 'subscribe', channel: 'evolution', filters: { generation_min: current + 15 } });
    const ack = c.messages.indexOf(await c.next('subscribed'));
    await c.collect(1000);
    const after = c.messages.slice(ack + 1).filter((m) => m.type === 'evolution_update');
    expect(after.length).toBeGreaterThan(0);
    for (const m of after) expect(data(m)['generation']).toBeGreaterThanOrEqual(current + 15);
    c.close();
  });

  it('fitness_min compares with best_fitness; an impossible filter delivers nothing', async () => {
    const c = await open();
    c.send({ type: 'subscribe', channel: 'evolution', filters: { fitness_min: 0.5 } });
    await c.next('subscribed');
    for (const m of await c.collect(600, 'evolution_update')) {
      expect(data(m)['best_fitness']).toBeGreaterThanOrEqual(0.5);
    }
    c.send({ type: 'subscribe', channel: 'evolution', filters: { fitness_min: 1.5, generation_min: 0 } });
    await c.next('subscribed');
    expect(await c.collect(500, 'evolution_update')).toEqual([]);
    c.close();
  });
});
