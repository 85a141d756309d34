import type { Verdict } from './types.js';

// How a case's outcome becomes one verdict (profile "Keywords"): a broken MUST is fail, a broken
// SHOULD non-strict, a MAY observation informational, a missing feature or input unimplemented.

/** Thrown by ctx.require / fail / unimplemented / needs to end a case with a verdict. */
export class CaseEnd extends Error {
  override name = 'CaseEnd';
  constructor(
    readonly verdict: 'fail' | 'unimplemented',
    reason: string,
  ) {
    super(reason);
  }
}

/** Worst first: the verdict of a case is the worst thing recorded in it. */
export const PRECEDENCE: readonly Verdict[] = [
  'fail',
  'non-strict',
  'unimplemented',
  'informational',
  'pass',
];

/** What a running case has recorded so far. */
export class Outcome {
  private readonly reasons = new Map<Verdict, string[]>();

  record(verdict: Exclude<Verdict, 'pass'>, reason: string): void {
    const list = this.reasons.get(verdict) ?? [];
    list.push(reason.trim() || '(no reason given)');
    this.reasons.set(verdict, list);
  }

  has(verdict: Verdict): boolean {
    return (this.reasons.get(verdict)?.length ?? 0) > 0;
  }

  /** Records how the case's run ended: a CaseEnd carries its verdict, any other error is a fail. */
  recordThrown(err: unknown): void {
    if (err instanceof CaseEnd) this.record(err.verdict, err.message);
    else this.record('fail', err instanceof Error ? err.message || err.name : String(err));
  }

  /** The worst verdict recorded and its reasons (the first ones, joined), or pass. */
  result(): { verdict: Verdict; reason?: string } {
    for (const verdict of PRECEDENCE) {
      const list = this.reasons.get(verdict);
      if (list?.length) return { verdict, reason: joinReasons(list) };
    }
    return { verdict: 'pass' };
  }
}

function joinReasons(list: string[]): string {
  const unique = [...new Set(list)];
  return unique.length <= 3
    ? unique.join('; ')
    : `${unique.slice(0, 3).join('; ')}; and ${unique.length - 3} more`;
}

/** The worse of two verdicts. */
export function worse(a: Verdict, b: Verdict): Verdict {
  return PRECEDENCE.indexOf(a) <= PRECEDENCE.indexOf(b) ? a : b;
}
