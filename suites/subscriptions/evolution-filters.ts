// E5: filters of the evolution channel: `generation_min` (integer) and `fitness_min` (compared
// with `best_fitness`). Only evolution_updates meeting every filter are delivered.
import { defineCase } from '../../src/engine/define-case.js';
import type { CaseContext, Conn } from '../../src/engine/types.js';
import { describe } from '../../src/protocols/evolution-client.js';
import {
  bestFitnessOf,
  generationOf,
  isUpdate,
  nextUpdate,
  watchRun,
} from '../../src/protocols/evolution-observe.js';
import { connectAuthed, subscribe } from '../../src/protocols/evolution-session.js';
import { caseSub } from '../../src/protocols/evolution-tokens.js';

const SAMPLE_MS = 1000;
const WATCH_MS = 3000;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? 0;
}

export default defineCase({
  protocol: 'evolution',
  num: 7,
  suite: 'subscriptions',
  rule: 'E5',
  title: 'generation_min and fitness_min filters: only evolution_updates meeting every filter are delivered',
  faults: ['evo-filters-ignored'],
  shares: 'evolution-run',
  timeoutMs: 15_000,
  async run(ctx: CaseContext) {
    const { conn: watcher, first } = await watchRun(ctx, caseSub(ctx.caseId, 'watch'));
    // The filters ride on the seed's `{channel, filters}` form: that the form subscribes at all is
    // EVO-SUBSCRIPTIONS-003's to judge, not this case's.
    const probe = await connectAuthed(ctx, { sub: caseSub(ctx.caseId, 'probe') });
    await subscribe(ctx, probe, { channel: 'evolution' }, { see: 'EVO-SUBSCRIPTIONS-003' });
    ctx.precondition(
      (await nextUpdate(probe)) !== null,
      "subscribe {channel: 'evolution'} delivered no evolution_update",
      'EVO-SUBSCRIPTIONS-003',
    );
    probe.close(1000);
    const sample = [first, ...(await watcher.collect(SAMPLE_MS, isUpdate))];
    const gens = sample.map(generationOf).filter(Number.isFinite);
    const fits = sample.map(bestFitnessOf).filter(Number.isFinite);
    ctx.require(
      gens.length > 0 && fits.length > 0,
      'evolution_updates carry no numeric generation / best_fitness (E12)',
    );
    // A generation about a second ahead: nothing may come before it, something should after.
    const generationMin = Math.max(...gens) + Math.max(3, sample.length);
    const fitnessMin = median(fits);
    const subs: {
      name: string;
      filters: Record<string, number>;
      ok(m: Parameters<typeof generationOf>[0]): boolean;
    }[] = [
      {
        name: 'generation_min',
        filters: { generation_min: generationMin },
        ok: (m) => generationOf(m) >= generationMin,
      },
      {
        name: 'fitness_min',
        filters: { fitness_min: fitnessMin },
        ok: (m) => bestFitnessOf(m) >= fitnessMin,
      },
      {
        name: 'both filters',
        filters: { generation_min: generationMin, fitness_min: fitnessMin },
        ok: (m) => generationOf(m) >= generationMin && bestFitnessOf(m) >= fitnessMin,
      },
    ];
    const conns: Conn[] = [];
    for (const [i, s] of subs.entries()) {
      const conn = await connectAuthed(ctx, { sub: caseSub(ctx.caseId, String(i)) });
      await subscribe(ctx, conn, { channel: 'evolution', filters: s.filters });
      conns.push(conn);
    }
    await ctx.sleep(WATCH_MS);
    for (const [i, s] of subs.entries()) {
      const got = conns[i]?.received.filter(isUpdate) ?? [];
      const bad = got.filter((m) => !s.ok(m));
      ctx.require(
        bad.length === 0,
        `with ${JSON.stringify(s.filters)}, ${bad.length} update(s) not meeting the filter arrived, first ${bad[0] ? describe(bad[0]) : ''} (E5)`,
      );
    }
    const gm = conns[0]?.received.filter(isUpdate) ?? [];
    ctx.require(
      gm.length > 0,
      `with generation_min ${generationMin}, no evolution_update arrived within ${WATCH_MS} ms (E5, E6)`,
    );
  },
});
