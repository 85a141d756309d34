import { it } from 'vitest';
import { FAULTS, type FaultName } from '../../reference-server/faults.js';
import { CONFIG, evolutionCases, runAgainst, show } from './_evolution-harness.js';
it('sweep', async () => {
  const ids = process.env['EVO_CASES']?.split(',');
  const cases = (await evolutionCases()).filter((c) => !ids || ids.includes(c.id));
  const only = process.env['EVO_FAULTS']?.split(',');
  const seed = Number(process.env['EVO_SEED'] ?? 42);
  const faults = new Set<FaultName>();
  for (const c of cases) for (const f of c.faults) faults.add(f as FaultName);
  if (!ids) for (const f of Object.keys(FAULTS)) if (f.startsWith('evo-') && !faults.has(f as FaultName)) console.log('UNCOVERED', f);
  if (process.env['EVO_CLEAN']) {
    const t0 = Date.now();
    for (const r of await runAgainst([], cases, { ...CONFIG, seed })) console.log(r.verdict === 'pass' ? 'OK ' : 'BAD', 'clean →', show(r).slice(0, 300), `(${r.durationMs} ms)`);
    console.log('CLEAN', Date.now() - t0);
  }
  for (const fault of faults) {
    if (only && !only.includes(fault)) continue;
    const want = FAULTS[fault].level === 'must' ? 'fail' : 'non-strict';
    const mine = cases.filter((c) => c.faults.includes(fault));
    const results = await runAgainst([fault], mine, { ...CONFIG, seed });
    for (const r of results) console.log(r.verdict === want ? 'OK ' : 'BAD', fault, '→', show(r).slice(0, 220), `(${r.durationMs} ms)`);
  }
}, 1_800_000);
