import { readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { checkCase } from '../../src/engine/registry.js';
import { type CaseDefinition, SUITES } from '../../src/engine/types.js';

// The Atheria cases of this helper (suites/*/atheria-*.ts), loaded directly so that a case file
// of another helper that does not load yet cannot hide them.

const SUITES_DIR = fileURLToPath(new URL('../../suites/', import.meta.url));

export async function atheriaCases(): Promise<CaseDefinition[]> {
  const out: CaseDefinition[] = [];
  for (const suite of SUITES) {
    let names: string[];
    try {
      names = readdirSync(`${SUITES_DIR}${suite}`).filter((n) => /^atheria-.*\.ts$/.test(n));
    } catch {
      continue;
    }
    for (const name of names.sort()) {
      const mod = (await import(pathToFileURL(`${SUITES_DIR}${suite}/${name}`).href)) as {
        default?: unknown;
      };
      const defs = Array.isArray(mod.default) ? mod.default : [mod.default];
      for (const def of defs) {
        const problems = checkCase(def, suite);
        if (problems.length) throw new Error(`${suite}/${name}: ${problems.join('; ')}`);
        out.push(def as CaseDefinition);
      }
    }
  }
  return out;
}

/** Settings a run against the reference server uses (the profile defaults). */
export const REFERENCE_CONFIG = {
  seed: 42,
  runs: 100,
  limits: {
    msgsPerSecond: 100,
    connsPerUser: 10,
    bytesPerMinute: 10_485_760,
    maxMessageBytes: 1_048_576,
    authTimeoutMs: 10_000,
  },
};
