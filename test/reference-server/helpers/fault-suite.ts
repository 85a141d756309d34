// Runs the fault checks of some faults: each must hold on a correct server and fail with its fault.
import { describe, expect, it } from 'vitest';
import { FAULTS, type FaultInfo } from '../../../reference-server/faults.js';
import { FAULT_CHECKS } from './fault-checks.js';
import { withServer } from './server.js';

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
    it('selects at least one fault', () => expect(names.length).toBeGreaterThan(0));
    for (const name of names) {
      it(`${name}: the rule holds without the fault and breaks with it`, async () => {
        const entry = Object.entries(FAULT_CHECKS).find(([n]) => n === name)?.[1];
        if (!entry) throw new Error(`no check for fault ${name}`);
        await withServer(entry.opts ?? {}, (s) => entry.check(s));
        await expect(withServer({ ...entry.opts, faults: [name] }, (s) => entry.check(s))).rejects.toThrow();
      }, 20_000);
    }
  });
}

/** the first rule a fault breaks, e.g. 'E12' */
export const ruleOf = (info: FaultInfo) => info.rule.split(',')[0] ?? '';
