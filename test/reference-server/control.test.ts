// E6: control start/stop/pause/resume on the one shared run, parameters and their ranges, and the
// control log (E4 control channel). Generations run on a manual clock that each test moves on.
import { describe, expect, it } from 'vitest';
import { authed, type Client, type Msg, useSchemaCheck } from './helpers/client.js';
import { ManualClock } from './helpers/manual-clock.js';
import { token } from './helpers/tokens.js';
import { EVO, useServer } from './helpers/server.js';

useSchemaCheck();
const GENERATION_MS = 50;
const clock = new ManualClock();
const srv = useServer({ generationMs: GENERATION_MS, clock });
/** `ms` of run time pass; everything the server sent meanwhile has then arrived at `c` */
const pass = async (c: Client, ms: number) => {
  clock.advance(ms);
  await c.sync();
};
const open = async () => {
  const c = await authed(srv().url(EVO), await token('ctl'));
  c.send({ type: 'subscribe', channels: ['evolution', 'control'] });
  await c.next('subscribed');
  return c;
};
const gen = (m: Msg) => (m['data'] as { generation: number }).generation;
const codeOf = (m: Msg) => (m['error'] as { code: string }).code;

describe('E6 control', () => {
  it('the run is running at start: at least one update per second', async () => {
    const c = await open();
    await pass(c, 1000);
    expect(c.takeAll('evolution_update').length).toBeGreaterThanOrEqual(1);
    c.close();
  });

  it('pause stops updates within 1 s; resume continues from where it was', async () => {
    const c = await open();
    await pass(c, GENERATION_MS);
    await c.next('evolution_update');
    c.send({ type: 'control', action: 'pause' });
    const log = await c.next('log');
    expect(log['level']).toBe('info');
    expect(JSON.stringify(log['data'])).toContain('pause');
    const last = c.messages.filter((m) => m.type === 'evolution_update').at(-1);
    c.takeAll('evolution_update');
    await pass(c, 1000);
    expect(c.takeAll('evolution_update')).toEqual([]);
    c.send({ type: 'control', action: 'resume' });
    await c.next('log');
    clock.advance(GENERATION_MS);
    const next = await c.next('evolution_update');
    expect(gen(next)).toBe(gen(last as Msg) + 1);
    c.close();
  });

  it('stop, then start, restarts from generation 0', async () => {
    const c = await open();
    await pass(c, GENERATION_MS);
    await c.next('evolution_update');
    c.send({ type: 'control', action: 'stop' });
    await c.next('log');
    c.takeAll('evolution_update');
    await pass(c, 1000);
    expect(c.takeAll('evolution_update')).toEqual([]);
    c.send({ type: 'control', action: 'start', parameters: { population_size: 40, mutation_rate: 0.3 } });
    await c.next('log');
    clock.advance(GENERATION_MS);
    const first = await c.next('evolution_update');
    expect(gen(first)).toBeLessThan(5);
    expect((first['data'] as { agents_evolved: number }).agents_evolved).toBe(40);
    c.close();
  });

  it('start or resume while running change nothing and are not errors', async () => {
    const c = await open();
    c.send({ type: 'control', action: 'start' });
    c.send({ type: 'control', action: 'resume' });
    for (let i = 0; i < 2; i++) expect(JSON.stringify((await c.next('log'))['data'])).toContain('no change');
    await pass(c, 8 * GENERATION_MS);
    const updates = c.takeAll('evolution_update');
    expect(updates.length).toBeGreaterThan(0);
    expect(gen(updates.at(-1) as Msg)).toBeGreaterThan(5);
    expect(c.messages.filter((m) => m.type === 'error')).toEqual([]);
    c.close();
  });

  it('parameters in range are applied while running', async () => {
    const c = await open();
    c.send({ type: 'control', action: 'pause', parameters: { population_size: 64 } });
    await c.next('log');
    c.send({ type: 'control', action: 'resume' });
    await c.next('log');
    clock.advance(GENERATION_MS);
    const u = await c.next(
      (m) => m.type === 'evolution_update' && (m['data'] as { agents_evolved: number }).agents_evolved === 64,
    );
    expect(u).toBeDefined();
    c.send({ type: 'control', action: 'resume', parameters: { mutation_rate: 0 } });
    await c.next('log');
    c.close();
  });

  it('unknown actions and out-of-range parameters get INVALID_COMMAND and change nothing', async () => {
    const c = await open();
    const bad = [
      { type: 'control', action: 'explode' },
      { type: 'control' },
      { type: 'control', action: 'pause', parameters: { population_size: 0 } },
      { type: 'control', action: 'pause', parameters: { population_size: 10_001 } },
      { type: 'control', action: 'pause', parameters: { population_size: 1.5 } },
      { type: 'control', action: 'pause', parameters: { population_size: '10' } },
      { type: 'control', action: 'pause', parameters: { mutation_rate: -0.1 } },
      { type: 'control', action: 'pause', parameters: { mutation_rate: 1.01 } },
      { type: 'control', action: 'pause', parameters: 'fast' },
    ];
    for (const msg of bad) {
      c.send(msg);
      expect(codeOf(await c.next('error')), JSON.stringify(msg)).toBe('INVALID_COMMAND');
    }
    // none of the pauses took effect
    c.takeAll('evolution_update');
    await pass(c, 10 * GENERATION_MS);
    expect(c.takeAll('evolution_update').length).toBeGreaterThan(0);
    expect(c.isOpen).toBe(true);
    c.close();
  });

  it('the boundary values 1, 10000, 0 and 1 are accepted', async () => {
    const c = await open();
    c.send({ type: 'control', action: 'resume', parameters: { population_size: 1, mutation_rate: 0 } });
    c.send({ type: 'control', action: 'resume', parameters: { population_size: 10_000, mutation_rate: 1 } });
    c.send({ type: 'control', action: 'resume', parameters: { population_size: 100, mutation_rate: 0.15 } });
    for (let i = 0; i < 3; i++) await c.next('log');
    expect(c.messages.filter((m) => m.type === 'error')).toEqual([]);
    c.close();
  });

  it('control actions are logged to control subscribers only (and logs ones)', async () => {
    const watcher = await open();
    const outsider = await authed(srv().url(EVO), await token('outsider'));
    outsider.send({ type: 'subscribe', channel: 'metrics' });
    const logger = await authed(srv().url(EVO), await token('logger'));
    logger.send({ type: 'subscribe', channels: ['logs', 'control'] });
    await logger.next('subscribed');
    outsider.send({ type: 'control', action: 'resume' });
    const entry = await watcher.next('log');
    expect((entry['data'] as { details: { action: string } }).details.action).toBe('resume');
    // a connection on both channels gets the entry once
    await logger.next((m) => m.type === 'log' && m['id'] === entry['id']);
    await logger.sync();
    expect(logger.messages.filter((m) => m['id'] === entry['id']).length).toBe(1);
    await outsider.sync();
    expect(outsider.messages.filter((m) => m.type === 'log')).toEqual([]);
    for (const c of [watcher, outsider, logger]) c.close();
  });
});
