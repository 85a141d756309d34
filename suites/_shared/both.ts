// One common C-rule check, two cases: the ATH- and the EVO- variant (the brief's "factory").
// The check itself is protocol-neutral; where a protocol matters, `run` reads ctx.target.protocol.
import type { FaultName } from '../../src/schema/faults.js';
import type { CaseContext, CaseDefinition, Protocol, SuiteName } from '../../src/engine/types.js';

export const ID_PREFIX: Readonly<Record<Protocol, string>> = { atheria: 'ATH', evolution: 'EVO', generic: 'GEN' };

/** Case numbers of the common-suites helper; the protocol helpers use the numbers below 100. */
export const COMMON_NUMBERS = { min: 100, max: 199 } as const;

export interface CommonCase {
  /** 100..199, unique within the suite */
  num: number;
  suite: SuiteName;
  /** profile rule ids, comma-separated (C1…C4) */
  rule: string;
  title: string;
  /** faults of reference-server/faults.ts that make this case fail */
  faults: readonly FaultName[];
  hostile?: boolean;
  /** a group of the target's shared state, for both protocols or per protocol */
  exclusive?: string | Partial<Record<Protocol, string>>;
  timeoutMs?: number;
  run(ctx: CaseContext): Promise<void>;
}

export function caseId(protocol: Protocol, suite: SuiteName, num: number): string {
  return `${ID_PREFIX[protocol]}-${suite.toUpperCase()}-${num}`;
}

/** The ATH- and EVO- variant of one common check. */
export function forBothProtocols(common: CommonCase): CaseDefinition[] {
  if (!Number.isInteger(common.num) || common.num < COMMON_NUMBERS.min || common.num > COMMON_NUMBERS.max) {
    throw new Error(
      `common case number ${common.num} is outside ${COMMON_NUMBERS.min}..${COMMON_NUMBERS.max}`,
    );
  }
  const protocols: Protocol[] = ['atheria', 'evolution'];
  return protocols.map((protocol) => {
    const def: CaseDefinition = {
      id: caseId(protocol, common.suite, common.num),
      protocol,
      suite: common.suite,
      rule: common.rule,
      title: common.title,
      faults: common.faults,
      run: common.run,
    };
    if (common.hostile !== undefined) def.hostile = common.hostile;
    const exclusive = typeof common.exclusive === 'string' ? common.exclusive : common.exclusive?.[protocol];
    if (exclusive !== undefined) def.exclusive = exclusive;
    if (common.timeoutMs !== undefined) def.timeoutMs = common.timeoutMs;
    return def;
  });
}

/** Several common checks → their cases, ATH and EVO variant of each. */
export function commonCases(...commons: CommonCase[]): CaseDefinition[] {
  return commons.flatMap(forBothProtocols);
}
