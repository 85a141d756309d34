// The judge of the fault self-test's rule check (wrongRule), on made-up results: it must bite when
// a case fails for another rule than the fault's, and accept either rule of a fault like "A5,C5".
import { describe, expect, it } from 'vitest';
import { type ReportCase, wrongRule } from './_cross-check.js';

const result = (
  verdict: ReportCase['verdict'],
  findings: NonNullable<ReportCase['findings']>,
): ReportCase => ({
  id: 'ATH-SCHEMA-001',
  rule: 'A5,C5',
  verdict,
  findings,
});

describe('wrongRule', () => {
  it('accepts a fail whose must findings cite the fault rule, either rule of "A5,C5"', () => {
    expect(
      wrongRule('close-wrong-code', result('non-strict', [{ rule: 'C3', level: 'should', message: 'm' }])),
    ).toBe(null);
    expect(
      wrongRule('ath-frame-bad-map', result('fail', [{ rule: 'C5', level: 'must', message: 'm' }])),
    ).toBe(null);
    expect(
      wrongRule('ath-frame-bad-map', result('fail', [{ rule: 'A5', level: 'must', message: 'm' }])),
    ).toBe(null);
  });

  it('names a case whose verdict comes from another rule, or from no finding', () => {
    expect(
      wrongRule(
        'close-wrong-code',
        result('fail', [{ rule: 'C1', level: 'must', message: 'upgrade refused' }]),
      ),
    ).toMatch(/ATH-SCHEMA-001: fail citing \[C1\] not C3: upgrade refused/);
    expect(
      wrongRule('close-wrong-code', result('non-strict', [{ rule: 'C3', level: 'must', message: 'm' }])),
    ).toMatch(/citing \[\]/);
    // a should finding of the fault's rule does not excuse a must finding of another
    expect(
      wrongRule(
        'close-wrong-code',
        result('fail', [
          { rule: 'C3', level: 'must', message: 'a' },
          { rule: 'C4', level: 'must', message: 'b' },
        ]),
      ),
    ).toMatch(/citing \[C3,C4\] not C3: b/);
  });

  it('judges nothing for verdicts that decide nothing (pass, error: the verdict check reports those)', () => {
    expect(wrongRule('close-wrong-code', result('pass', []))).toBe(null);
    expect(wrongRule('close-wrong-code', result('error', []))).toBe(null);
  });
});
