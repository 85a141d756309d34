// Runs the fault checks of some faults: each must hold on a correct server and fail with its fault.
import { describe, it } from 'vitest';
import { FAULTS, type FaultInfo } from '../../../reference-server/faults.js';
import { FAULT_CHECKS } from './fault-checks.js';
import type { FaultCheck } from './fault-probes.js';
import { ManualClock } from './manual-clock.js';
import { withServer } from './server.js';

/** one run of a check against a server with a clock of its own that the check moves on */
function runCheck(entry: FaultCheck, faults: string[]): Promise<void> {
  const clock = new ManualClock();
  return withServer({ ...entry.opts, faults, clock }, (s) => entry.check(s, clock));
}

/**
 * `concurrent: false` for faults that stall the event loop: the server runs in the test's process,
 * so a stall would also delay every check running beside it.
 */
export function faultSuite(
  title: string,
  select: (name: string, info: FaultInfo) => boolean,
  { concurrent = true } = {},
): void {
  const names = Object.entries(FAULTS as Record<string, FaultInfo>)
    .filter(([name, info]) => select(name, info))
    .map(([name]) => name);
  (concurrent ? describe.concurrent : describe)(title, () => {
    it('selects at least one fault', ({ expect }) => expect(names.length).toBeGreaterThan(0));
    for (const name of names) {
      // the test's own expect: with concurrent tests the global one may credit another test
      it(`${name}: the rule holds without the fault and breaks with it`, async ({ expect }) => {
        const entry = Object.entries(FAULT_CHECKS).find(([n]) => n === name)?.[1];
        if (!entry) throw new Error(`no check for fault ${name}`);
        await runCheck(entry, []);
        await expect(runCheck(entry, [name])).rejects.toThrow();
      }, 20_000);
    }
  });
}

/** the first rule a fault breaks, e.g. 'E12' */
export const ruleOf = (info: FaultInfo) => info.rule.split(',')[0] ?? '';
