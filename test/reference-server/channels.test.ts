// E4 channels (subscribe/unsubscribe, union, idempotence, unknown names) and E5 filters. Events
// run on a manual clock that the tests move on (shared: no assertion here depends on how much
// clock time passes, only on what is subscribed).
import { describe, expect, it } from 'vitest';
import { authed, type Client, type Msg, useSchemaCheck } from './helpers/client.js';
import { ManualClock } from './helpers/manual-clock.js';
import { token } from './helpers/tokens.js';
import { EVO, GENERATION_MS, useServer } from './helpers/server.js';

useSchemaCheck();
const clock = new ManualClock();
const srv = useServer({ clock });
/** `ms` of clock time pass; what the server sent meanwhile has then arrived at `c` */
const pass = async (c: Client, ms: number) => {
  clock.advance(ms);
  await c.sync();
};
/** moves the clock on until `c` has a message of `type` (metrics come once a second, alerts every few) */
const until = (c: Client, type: string) =>
  clock.until(() => c.messages.some((m) => m.type === type), 100, 20_000);
const open = async (user = 'chan') => authed(srv().url(EVO), await token(user));
const data = (m: Msg) => m['data'] as Record<string, unknown>;
const codeOf = (m: Msg) => (m['error'] as { code: string }).code;

describe.concurrent('E4 channels', () => {
  it('nothing is delivered before the first subscribe', async () => {
    const c = await open();
    await pass(c, 1200);
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
      await until(c, type);
      await pass(c, 300);
      const others = c.messages.filter((m) => !['auth_ok', 'subscribed', type].includes(m.type));
      expect(others, channel).toEqual([]);
      c.close();
    }
  });

  it('alerts deliver fitness regression alerts every few seconds', async () => {
    const c = await open();
    c.send({ type: 'subscribe', channel: 'alerts' });
    await c.next('subscribed');
    await until(c, 'alert');
    const alert = await c.next('alert');
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
    await until(c, 'metrics');
    // a log entry arrives once, not twice, despite the double subscribe
    await pass(c, 500);
    const logs = c.takeAll('log');
    expect(logs.length).toBeGreaterThan(0);
    expect(new Set(logs.map((m) => m['id'])).size).toBe(logs.length);
    c.close();
  });

  it('unsubscribe stops delivery at once; others continue', async () => {
    const c = await open();
    c.send({ type: 'subscribe', channels: ['evolution', 'logs'] });
    await c.next('subscribed');
    await until(c, 'evolution_update');
    c.send({ type: 'unsubscribe', channels: ['evolution'] });
    const ack = await c.next('unsubscribed');
    expect(data(ack)['channels']).toEqual(['evolution']);
    const after = c.messages.indexOf(ack);
    await pass(c, 20 * GENERATION_MS);
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
    await until(c, 'evolution_update');
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
    await pass(c, 10 * GENERATION_MS);
    expect(c.messages.filter((m) => m.type === 'evolution_update')).toEqual([]);
    c.close();
  });

  it('accepts the fields wrapped in data or payload (E1 SHOULD)', async () => {
    const c = await open();
    c.send({ type: 'subscribe', payload: { channels: ['metrics'] } });
    expect(data(await c.next('subscribed'))['channels']).toEqual(['metrics']);
    c.send({ type: 'subscribe', data: { channel: 'evolution' } });
    await c.next('subscribed');
    await until(c, 'evolution_update');
    c.close();
  });
});

describe.concurrent('E5 filters', () => {
  it('generation_min: only updates at or above it', async () => {
    const c = await open();
    c.send({ type: 'subscribe', channel: 'evolution' });
    await c.next('subscribed');
    await until(c, 'evolution_update');
    const current = data(await c.next('evolution_update'))['generation'] as number;
    c.send({ type: 'subscribe', channel: 'evolution', filters: { generation_min: current + 15 } });
    const ack = c.messages.indexOf(await c.next('subscribed'));
    await pass(c, 50 * GENERATION_MS);
    const after = c.messages.slice(ack + 1).filter((m) => m.type === 'evolution_update');
    expect(after.length).toBeGreaterThan(0);
    for (const m of after) expect(data(m)['generation']).toBeGreaterThanOrEqual(current + 15);
    c.close();
  });

  it('fitness_min compares with best_fitness; an impossible filter delivers nothing', async () => {
    const c = await open();
    c.send({ type: 'subscribe', channel: 'evolution', filters: { fitness_min: 0.5 } });
    await c.next('subscribed');
    await pass(c, 30 * GENERATION_MS);
    for (const m of c.takeAll('evolution_update')) {
      expect(data(m)['best_fitness']).toBeGreaterThanOrEqual(0.5);
    }
    c.send({ type: 'subscribe', channel: 'evolution', filters: { fitness_min: 1.5, generation_min: 0 } });
    await c.next('subscribed');
    c.takeAll('evolution_update');
    await pass(c, 30 * GENERATION_MS);
    expect(c.takeAll('evolution_update')).toEqual([]);
    c.close();
  });
});
