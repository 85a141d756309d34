import { it } from 'vitest';
import { FAULTS, type FaultName } from '../../reference-server/faults.js';
import { evolutionCases, runAgainst, show } from './_evolution-harness.js';
it('sweep', async () => {
  const cases = await evolutionCases();
  const only = process.env['EVO_FAULTS']?.split(',');
  const faults = new Set<FaultName>();
  for (const c of cases) for (const f of c.faults) faults.add(f as FaultName);
  for (const f of Object.keys(FAULTS)) if (f.startsWith('evo-') && !faults.has(f as FaultName)) console.log('UNCOVERED', f);
  for (const fault of faults) {
    if (only && !only.includes(fault)) continue;
    const want = FAULTS[fault].level === 'must' ? 'fail' : 'non-strict';
    const mine = cases.filter((c) => c.faults.includes(fault));
    const t0 = Date.now();
    const results = await runAgainst([fault], mine);
    for (const r of results) console.log(r.verdict === want ? 'OK ' : 'BAD', fault, '→', show(r).slice(0, 220), `(${Date.now() - t0} ms)`);
  }
}, 900_000);
