// src/schema/types.generated.ts is produced from the schemas by scripts/gen-types.mjs and must be
// regenerated (`npm run gen:types`) whenever a schema changes.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';
import type { EvolutionAlert, WsconformMessageIndex } from '../../src/schema/index.js';
import { packageRoot } from '../../src/util/package-root.js';

const run = promisify(execFile);

it('types.generated.ts is up to date with the schemas', async () => {
  const { stderr } = await run(process.execPath, ['scripts/gen-types.mjs', '--check'], {
    cwd: packageRoot(),
  });
  expect(stderr).toBe('');
}, 30_000);

it('the generated types describe the messages (compile-time check)', () => {
  const alert: EvolutionAlert = {
    type: 'alert',
    severity: 'critical',
    data: { alert_id: 'a', title: 't', message: 'm' },
  };
  const index: WsconformMessageIndex = { 'evolution/server/alert': alert };
  const info = 'info';
  // @ts-expect-error — severity is an enum in the schema, so the type rejects 'info'
  const bad: EvolutionAlert['severity'] = info;
  expect(index['evolution/server/alert']?.severity).toBe('critical');
  expect(bad).toBe('info');
});
