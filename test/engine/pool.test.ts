// The scheduler: an `alone` job (a hostile case) has its host to itself.
import { describe, expect, it } from 'vitest';
import { type PoolJob, runPool } from '../../src/engine/pool.js';

interface J extends PoolJob {
  name: string;
}

async function schedule(jobs: J[], concurrency = 4) {
  const active = new Set<J>();
  const overlaps: string[] = [];
  const order: string[] = [];
  await runPool(jobs, {
    concurrency,
    async execute(job) {
      for (const other of active) {
        if (other.host === job.host && (other.alone || job.alone))
          overlaps.push(`${job.name} beside ${other.name}`);
      }
      active.add(job);
      order.push(job.name);
      await new Promise((r) => setTimeout(r, 15));
      active.delete(job);
      return job.name;
    },
    skip: () => undefined,
    onDone() {},
  });
  return { overlaps, order };
}

describe('runPool: alone jobs', () => {
  it('never overlap another job of their host, and run before the rest of it', async () => {
    const jobs: J[] = [
      ...Array.from({ length: 4 }, (_, i) => ({ name: `a${i}`, host: 'h1' })),
      { name: 'hostile1', host: 'h1', alone: true },
      { name: 'hostile2', host: 'h1', alone: true, group: 'sim' },
      ...Array.from({ length: 3 }, (_, i) => ({ name: `s${i}`, host: 'h1', group: 'sim', shared: true })),
    ];
    const { overlaps, order } = await schedule(jobs);
    expect(overlaps).toEqual([]);
    expect(order.slice(0, 2).sort()).toEqual(['hostile1', 'hostile2']);
    expect(order).toHaveLength(9);
  });

  it('jobs of another host run beside an alone job', async () => {
    const jobs: J[] = [
      { name: 'hostile', host: 'h1', alone: true },
      { name: 'other1', host: 'h2' },
      { name: 'other2', host: 'h2' },
    ];
    const active: string[] = [];
    let peak = 0;
    await runPool(jobs, {
      concurrency: 3,
      async execute(job) {
        active.push(job.name);
        peak = Math.max(peak, active.length);
        await new Promise((r) => setTimeout(r, 20));
        active.splice(active.indexOf(job.name), 1);
        return job.name;
      },
      skip: () => undefined,
      onDone() {},
    });
    expect(peak).toBe(3);
  });
});
