// wsconform/vitest (cli/vitest.ts) registering tests in this very file, against a reference server
// started here without an origin given to the run: one test per planned result, the origin cases
// skipped as unimplemented, the others passing. test/package/pack.test.ts runs the shipped example
// file from the packed package, with a fault (a failing test naming the rule) and a target down.
import { afterAll, afterEach, expect } from 'vitest';
import { startReferenceServer } from '../../reference-server/index.js';
import { listCases } from '../../cli/api.js';
import { conformanceTests } from '../../cli/vitest.js';

const server = await startReferenceServer({ port: 0, origins: ['https://app.example.com'] });
const options = { target: server.url('/ws'), suite: ['handshake', 'heartbeat'] };
const planned = await listCases(options);
const verdicts = new Map<string, string>();
const states = new Map<string, string>();

await conformanceTests({
  ...options,
  name: 'reference server (no origin given)',
  onEvent: (e) => {
    if (e.type === 'case-end') verdicts.set(e.result.id, e.result.verdict);
  },
});

afterEach((ctx) => {
  states.set(ctx.task.name.split(' ')[0] as string, ctx.task.result?.state ?? 'none');
});

afterAll(async () => {
  await server.close();
  // one test per planned result, each ended as its case's verdict says
  expect([...states.keys()].sort()).toEqual(planned.map((p) => p.id).sort());
  expect([...verdicts.values()]).toContain('unimplemented');
  for (const [id, verdict] of verdicts)
    expect(`${id} ${states.get(id)}`).toBe(`${id} ${verdict === 'unimplemented' ? 'skip' : 'pass'}`);
});
