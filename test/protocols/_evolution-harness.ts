// Runs the Evolution cases (suites/*/evolution-*.ts) against the reference server, with or
// without a fault. Shared by the clean-run test and the fault self-test of these cases.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { EMBEDDED } from '../../reference-server/embedded.js';
import { type CaseDefinition, type RunConfig, SUITES } from '../../src/engine/types.js';

const SUITES_DIR = fileURLToPath(new URL('../../suites/', import.meta.url));

export const CONFIG: RunConfig = {
  jwtSecret: EMBEDDED.jwtSecret,
  originAllowed: EMBEDDED.originAllowed,
  seed: 42,
  runs: 16,
  limits: {
    msgsPerSecond: 100,
    connsPerUser: 10,
    bytesPerMinute: 10_485_760,
    maxMessageBytes: 1_048_576,
    authTimeoutMs: EMBEDDED.authTimeoutMs,
  },
};

/** Every case of the Evolution case files (not the common C-rule cases). */
export async function evolutionCases(): Promise<CaseDefinition[]> {
  const out: CaseDefinition[] = [];
  for (const suite of SUITES) {
    let names: string[] = [];
    try {
      names = readdirSync(join(SUITES_DIR, suite)).filter((n) => /^evolution-.*\.ts$/.test(n));
    } catch {
      continue;
    }
    for (const name of names.sort()) {
      const mod = (await import(pathToFileURL(join(SUITES_DIR, suite, name)).href)) as { default: unknown };
      out.push(...([mod.default].flat(2) as CaseDefinition[]));
    }
  }
  return out;
}
