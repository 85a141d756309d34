// E8: command rollback to a generation in [0, current]: an update with exactly that generation
// within 1 s, later generations continue from it; out of range / unknown cmd → INVALID_COMMAND.
// Generations run on a manual clock that the tests move on.
import { describe, expect, it } from 'vitest';
import { authed, type Client, type Msg, useSchemaCheck } from './helpers/client.js';
import { ManualClock } from './helpers/manual-clock.js';
import { token } from './helpers/tokens.js';
import { EVO, GENERATION_MS, useServer } from './helpers/server.js';

useSchemaCheck();
const clock = new ManualClock();
const srv = useServer({ generationMs: GENERATION_MS, clock });
/** `ms` of run time pass; what the server sent meanwhile has then arrived at `c` */
const pass = async (c: Client, ms: number) => {
  clock.advance(ms);
  await c.sync();
};
const open = async () => {
  const c = await authed(srv().url(EVO), await token('rb'));
  c.send({ type: 'subscribe', channels: ['evolution', 'control'] });
  await c.next('subscribed');
  return c;
};
type Update = { generation: number; best_fitness: number; average_fitness: number };
const data = (m: Msg) => m['data'] as Update;
const codeOf = (m: Msg) => (m['error'] as { code: string }).code;

describe('E8 rollback', () => {
  it('an update with exactly the generation arrives within 1 s, and later ones continue from it', async () => {
    const c = await open();
    await pass(c, 30 * GENERATION_MS);
    const seen = c.messages.filter((m) => m.type === 'evolution_update').map(data);
    const target = seen[Math.floor(seen.length / 2)] as Update;
    const sent = Date.now();
    c.skip();
    c.send({ type: 'command', cmd: 'rollback', args: { generation: target.generation } });
    const back = await c.next(
      (m) => m.type === 'evolution_update' && data(m).generation === target.generation,
      1000,
    );
    expect(Date.now() - sent).toBeLessThan(1000);
    // the GA is deterministic: the restored generation is the one reported before
    expect(data(back).best_fitness).toBe(target.best_fitness);
    expect(data(back).average_fitness).toBe(target.average_fitness);
    const at = c.messages.indexOf(back);
    clock.advance(GENERATION_MS);
    const next = await c.next((m) => m.type === 'evolution_update' && c.messages.indexOf(m) > at);
    expect(data(next).generation).toBe(target.generation + 1);
    expect(JSON.stringify((await c.next('log'))['data'])).toContain('rollback');
    c.close();
  });

  it('rollback to generation 0 and to the current generation work', async () => {
    const c = await open();
    await pass(c, GENERATION_MS);
    await c.next('evolution_update');
    c.skip();
    c.send({ type: 'command', cmd: 'rollback', args: { generation: 0 } });
    await c.next((m) => m.type === 'evolution_update' && data(m).generation === 0, 1000);
    await pass(c, 3 * GENERATION_MS);
    c.send({ type: 'control', action: 'pause' });
    await c.next('log');
    const current = data(c.messages.filter((m) => m.type === 'evolution_update').at(-1) as Msg).generation;
    c.skip();
    c.send({ type: 'command', cmd: 'rollback', args: { generation: current } });
    await c.next((m) => m.type === 'evolution_update' && data(m).generation === current, 1000);
    c.send({ type: 'control', action: 'resume' });
    c.close();
  });

  it('a rollback far back replays from a checkpoint', async () => {
    const c = await open();
    // past several checkpoints (one every 20 generations)
    await pass(c, 75 * GENERATION_MS);
    c.skip();
    c.send({ type: 'command', cmd: 'rollback', args: { generation: 7 } });
    await c.next((m) => m.type === 'evolution_update' && data(m).generation === 7, 1000);
    c.close();
  });

  it('out-of-range generations, bad args and unknown commands get INVALID_COMMAND', async () => {
    const c = await open();
    const bad = [
      { type: 'command', cmd: 'rollback', args: { generation: 10_000_000 } },
      { type: 'command', cmd: 'rollback', args: { generation: -1 } },
      { type: 'command', cmd: 'rollback', args: { generation: 1.5 } },
      { type: 'command', cmd: 'rollback', args: { generation: '3' } },
      { type: 'command', cmd: 'rollback', args: {} },
      { type: 'command', cmd: 'rollback' },
      { type: 'command', cmd: 'self_destruct', args: {} },
      { type: 'command', args: { generation: 1 } },
    ];
    for (const msg of bad) {
      c.send(msg);
      expect(codeOf(await c.next('error')), JSON.stringify(msg)).toBe('INVALID_COMMAND');
    }
    expect(c.isOpen).toBe(true);
    c.close();
  });
});
