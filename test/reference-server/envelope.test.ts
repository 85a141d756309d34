// E1 envelope (only the seed's types, id unique per connection, ISO timestamp except pong, no
// greeting, client id/timestamp accepted) and E12 value ranges over everything a client receives.
import { beforeAll, describe, expect, it } from 'vitest';
import { authed, Client, type Msg, useSchemaCheck } from './helpers/client.js';
import { ManualClock } from './helpers/manual-clock.js';
import { token } from './helpers/tokens.js';
import { EVO, useServer } from './helpers/server.js';

useSchemaCheck();
// every event type within seconds of run time, stepped on a manual clock
const clock = new ManualClock();
const srv = useServer({ clock });
const ALLOWED = [
  'evolution_update',
  'agent_update',
  'metrics',
  'alert',
  'log',
  'error',
  'pong',
  'auth_ok',
  'subscribed',
  'unsubscribed',
];
const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

async function everything(): Promise<Msg[]> {
  const c = await authed(srv().url(EVO), await token('env'));
  c.send({
    type: 'subscribe',
    id: 'c1',
    timestamp: new Date().toISOString(),
    channels: ['evolution', 'agents', 'metrics', 'alerts', 'logs', 'control'],
  });
  c.send({ type: 'ping', timestamp: 1 });
  c.send({ type: 'get_agent', agent_id: 'nobody' });
  c.send({ type: 'control', action: 'resume' });
  const has = (type: string) => c.messages.some((m) => m.type === type);
  await clock.until(() => has('alert') && has('metrics'), 100, 30_000);
  c.close();
  return c.messages;
}

describe('E1 envelope, E12 values', () => {
  let all: Msg[] = [];
  beforeAll(async () => {
    all = await everything();
  }, 15_000);

  it('nothing is sent on connect (no greeting)', async () => {
    const c = await Client.open(srv().url(EVO));
    await c.sync();
    expect(c.messages).toEqual([]);
    c.close();
  });

  it('every message: a seed type, a unique string id, an ISO timestamp (pong: a number)', () => {
    const types = new Set(all.map((m) => m.type));
    for (const t of [
      'evolution_update',
      'agent_update',
      'metrics',
      'alert',
      'log',
      'error',
      'pong',
      'auth_ok',
      'subscribed',
    ]) {
      expect(types.has(t), t).toBe(true);
    }
    for (const m of all) {
      expect(ALLOWED).toContain(m.type);
      expect(typeof m['id']).toBe('string');
      if (m.type === 'pong') expect(m['timestamp']).toBe(1);
      else expect(m['timestamp']).toMatch(ISO_MS);
    }
    expect(new Set(all.map((m) => m['id'])).size).toBe(all.length);
  });

  it('values stay in their E12 ranges', () => {
    const inUnit = (x: unknown) => typeof x === 'number' && x >= 0 && x <= 1;
    const count = (x: unknown) => Number.isInteger(x) && (x as number) >= 0;
    for (const m of all) {
      const d = m['data'] as Record<string, unknown>;
      if (m.type === 'evolution_update') {
        expect(inUnit(d['average_fitness']) && inUnit(d['best_fitness'])).toBe(true);
        expect(Number.isFinite(d['improvement'])).toBe(true);
        for (const k of ['generation', 'agents_evolved', 'mutations_applied', 'crossovers'])
          expect(count(d[k]), k).toBe(true);
      } else if (m.type === 'agent_update') {
        expect(inUnit(d['fitness'])).toBe(true);
        expect(typeof d['status'] === 'string' && d['status'] !== '').toBe(true);
        expect(count(d['generation'])).toBe(true);
      } else if (m.type === 'metrics') {
        for (const v of Object.values(d))
          expect(typeof v === 'number' && Number.isFinite(v) && v >= 0).toBe(true);
        expect(d['error_rate'] as number).toBeLessThanOrEqual(1);
      } else if (m.type === 'alert') {
        expect(['warning', 'error', 'critical']).toContain(m['severity']);
        const det = d['details'] as Record<string, unknown>;
        expect(inUnit(det['previous_fitness']) && inUnit(det['current_fitness'])).toBe(true);
      } else if (m.type === 'log') {
        expect(['info', 'warning', 'error']).toContain(m['level']);
      }
    }
  });
});
