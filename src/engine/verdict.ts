import type { Finding, Level, Verdict } from './types.js';

// How a case's outcome becomes one verdict (profile "Keywords"): every finding is kept with its
// rule and level; a broken MUST is fail, a broken SHOULD non-strict, a MAY observation
// informational. A case that could not be judged ends `error` (a precondition, the target down,
// the harness itself), one the target cannot run `unimplemented`: neither is a finding.

/** Thrown by ctx.require / fail / unimplemented / needs / precondition to end a case. */
export class CaseEnd extends Error {
  override name = 'CaseEnd';
  constructor(
    readonly verdict: 'fail' | 'unimplemented' | 'error',
    reason: string,
    /** the rule of the finding, for `fail` */
    readonly rule?: string,
  ) {
    super(reason);
  }
}

/** Worst first: the verdict of a case is the worst thing recorded in it. */
export const PRECEDENCE: readonly Verdict[] = [
  'fail',
  'error',
  'non-strict',
  'unimplemented',
  'informational',
  'pass',
];

const VERDICT_OF: Record<Level, Verdict> = { must: 'fail', should: 'non-strict', may: 'informational' };

/** The verdict a finding of this level gives. */
export function verdictOf(level: Level): Verdict {
  return VERDICT_OF[level];
}

/** What a running case has recorded so far. */
export class Outcome {
  readonly findings: Finding[] = [];
  private end: { verdict: 'unimplemented' | 'error'; reason: string } | undefined;

  constructor(
    /** the rule a finding cites when the case does not name one */
    private readonly defaultRule: string,
    /** the evidence of a finding made now: the index of the last transcript entry */
    private readonly evidence: () => number | undefined = () => undefined,
  ) {}

  /** Records a finding (deduplicated: the same rule, level and message count once). */
  find(level: Level, message: string, rule = this.defaultRule): void {
    const text = message.trim() || '(no reason given)';
    if (this.findings.some((f) => f.rule === rule && f.level === level && f.message === text)) return;
    const finding: Finding = { rule, level, message: text };
    const index = this.evidence();
    if (index !== undefined && index >= 0) finding.transcriptIndex = index;
    this.findings.push(finding);
  }

  /** Ends the case as unimplemented or error (the first such end wins). */
  endAs(verdict: 'unimplemented' | 'error', reason: string): void {
    this.end ??= { verdict, reason: reason.trim() || '(no reason given)' };
  }

  has(verdict: Verdict): boolean {
    return this.result().verdict === verdict;
  }

  /** Records how the case's run ended: a CaseEnd carries its verdict, any other error is a harness error. */
  recordThrown(err: unknown): void {
    if (err instanceof CaseEnd) {
      if (err.verdict === 'fail') this.find('must', err.message, err.rule);
      else this.endAs(err.verdict, err.message);
    } else {
      this.endAs(
        'error',
        `internal error of the harness: ${err instanceof Error ? err.message || err.name : String(err)}`,
      );
    }
  }

  /** The worst verdict recorded and its reason (the worst findings' messages, joined), or pass. */
  result(): { verdict: Verdict; reason?: string } {
    let verdict: Verdict = this.end?.verdict ?? 'pass';
    for (const f of this.findings) verdict = worse(verdict, verdictOf(f.level));
    if (verdict === 'pass') return { verdict };
    if (this.end && verdict === this.end.verdict) return { verdict, reason: this.end.reason };
    const worst = this.findings.filter((f) => verdictOf(f.level) === verdict).map((f) => f.message);
    return { verdict, reason: joinReasons(worst) };
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
