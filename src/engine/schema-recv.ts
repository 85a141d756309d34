import type { CaseResult, Finding, Protocol, Received, SuiteName, Target, Violation } from './types.js';

// Profile C5 and CLI-CONTRACT "Received-message conformance": everything received during the run
// on schema-checked connections is judged here, whichever case was running, as synthesized
// results — one per documented server message type (C5), one for messages of no usable type, one
// per per-connection invariant (A5 step order, E4 channel scope) and one listing the message
// types the seed does not list (A9/E1: MAY, informational). Each distinct violation is listed (by
// schema path) with its count, an example and the case it first arrived in.

const PREFIX: Record<Protocol, string> = { atheria: 'ATH', evolution: 'EVO', generic: 'GEN' };

/** The pseudo-type counting binary messages (an invariant may need them: A6). */
export const BINARY = '(binary)';

/** A per-connection invariant checked on everything received (reported like C5). */
export interface InvariantInfo {
  /** id suffix, e.g. 'step-order' */
  name: string;
  rule: string;
  title: string;
  /** the message type the invariant needs to have been received to be judged at all */
  needs: string;
}

/** What the run reports besides its cases, for one protocol: known before the run (--list). */
export interface SynthesizedSpec {
  protocol: Protocol;
  /** documented server message types */
  types: readonly string[];
  invariants: readonly InvariantInfo[];
  /** the rule allowing extra message types (A9 Atheria, E1 Evolution) */
  extraRule: string;
}

export interface SynthesizedCase {
  id: string;
  protocol: Protocol;
  suite: SuiteName;
  rule: string;
  title: string;
}

/** The synthesized results a run of this protocol produces, in report order. */
export function synthesizedCases(spec: SynthesizedSpec): SynthesizedCase[] {
  // a protocol without application messages (generic) has no run-wide schema results
  if (spec.extraRule === '') return [];
  const p = PREFIX[spec.protocol];
  const base = { protocol: spec.protocol, suite: 'schema' as const };
  return [
    ...spec.types.map((type) => ({
      ...base,
      id: `${p}-SCHEMA-RECV-${type}`,
      rule: 'C5',
      title: `every ${type} message received during the run matches its schema`,
    })),
    {
      ...base,
      id: `${p}-SCHEMA-RECV-other`,
      rule: 'C5',
      title: 'every message received is JSON with a string type (or a valid binary payload)',
    },
    ...spec.invariants.map((inv) => ({
      ...base,
      id: `${p}-SCHEMA-RECV-${inv.name}`,
      rule: inv.rule,
      title: inv.title,
    })),
    {
      ...base,
      id: `${p}-SCHEMA-RECV-extra-types`,
      rule: spec.extraRule,
      title: 'message types the seed does not list are reported once each (MAY)',
    },
  ];
}

interface Distinct {
  violation: Violation;
  count: number;
  caseId: string;
}

interface TypeLog {
  count: number;
  example?: string;
  caseId?: string;
}

interface TargetLog {
  types: Map<string, TypeLog>;
  /** by synthesized id, then by distinct key */
  violations: Map<string, Map<string, Distinct>>;
}

/** Checked connections' traffic, per target, gathered as cases end. */
export class ReceivedLog {
  private readonly byTarget = new Map<string, TargetLog>();

  constructor(private readonly specs: (protocol: Protocol) => SynthesizedSpec | undefined) {}

  private logOf(target: string): TargetLog {
    let log = this.byTarget.get(target);
    if (!log) {
      log = { types: new Map(), violations: new Map() };
      this.byTarget.set(target, log);
    }
    return log;
  }

  /** Adds the messages and violations of one case's schema-checked connections. */
  record(
    target: Target,
    caseId: string,
    conns: readonly { received: readonly Received[]; violations: readonly Violation[] }[],
  ): void {
    const spec = this.specs(target.protocol);
    if (!spec) return;
    const log = this.logOf(target.url);
    const p = PREFIX[target.protocol];
    for (const conn of conns) {
      for (const m of conn.received) {
        if (m.kind === 'binary') {
          const b = log.types.get(BINARY) ?? { count: 0 };
          b.count++;
          log.types.set(BINARY, b);
          continue;
        }
        if (m.type === undefined) continue;
        const t = log.types.get(m.type) ?? { count: 0 };
        t.count++;
        if (t.example === undefined) {
          t.example = (m.text ?? '').slice(0, 300);
          t.caseId = caseId;
        }
        log.types.set(m.type, t);
      }
      for (const v of conn.violations) {
        const invariant =
          v.rule && v.rule !== 'C5' ? spec.invariants.find((i) => i.rule === v.rule) : undefined;
        const id = invariant
          ? `${p}-SCHEMA-RECV-${invariant.name}`
          : spec.types.includes(v.messageType)
            ? `${p}-SCHEMA-RECV-${v.messageType}`
            : `${p}-SCHEMA-RECV-other`;
        const byKey = log.violations.get(id) ?? new Map<string, Distinct>();
        const key = `${v.messageType} ${v.schemaPath} ${invariant ? '' : v.message}`;
        const d = byKey.get(key);
        if (d) d.count++;
        else byKey.set(key, { violation: v, count: 1, caseId });
        log.violations.set(id, byKey);
      }
    }
  }

  /** The synthesized results for one target, in the order of synthesizedCases. */
  results(target: Target): CaseResult[] {
    const spec = this.specs(target.protocol);
    if (!spec) return [];
    const log = this.logOf(target.url);
    return synthesizedCases(spec).map((c) => {
      const base: CaseResult = {
        ...c,
        target: target.url,
        verdict: 'pass',
        durationMs: 0,
        findings: [],
        transcript: [],
      };
      const distinct = [...(log.violations.get(c.id)?.values() ?? [])];
      if (distinct.length) return failing(base, distinct);
      if (c.id.endsWith('-extra-types')) return extraTypes(base, spec, log);
      const needed = spec.types.includes(c.id.slice(c.id.indexOf('-RECV-') + 6))
        ? c.id.slice(c.id.indexOf('-RECV-') + 6)
        : spec.invariants.find((i) => c.id.endsWith(`-RECV-${i.name}`))?.needs;
      if (needed && !log.types.get(needed)?.count) {
        base.verdict = 'unimplemented';
        base.reason = `no ${needed === BINARY ? 'binary' : needed} message was received during the run`;
      }
      return base;
    });
  }
}

function failing(base: CaseResult, distinct: Distinct[]): CaseResult {
  const total = distinct.reduce((n, d) => n + d.count, 0);
  base.findings = distinct.map(({ violation: v, count, caseId }) => finding(base.rule, v, count, caseId));
  base.verdict = base.findings.some((f) => f.level === 'must') ? 'fail' : 'non-strict';
  const first = (base.findings.find((f) => f.level === 'must') ?? base.findings[0]) as Finding;
  base.reason =
    distinct.length === 1
      ? first.message
      : `${distinct.length} distinct violations in ${total} messages; first: ${first.message}`;
  return base;
}

function finding(rule: string, v: Violation, count: number, caseId: string): Finding {
  const where =
    v.rule && v.rule !== 'C5' ? '' : ` at ${v.instancePath || '(root)'} (schema ${v.schemaPath || '(root)'})`;
  const example = v.example ? `; example: ${v.example.slice(0, 200)}` : '';
  return {
    rule,
    level: v.level ?? 'must',
    message: `${v.messageType}${where}: ${v.message} (${count}×, first in ${caseId})${example}`,
  };
}

function extraTypes(base: CaseResult, spec: SynthesizedSpec, log: TargetLog): CaseResult {
  const extra = [...log.types.entries()].filter(([type]) => type !== BINARY && !spec.types.includes(type));
  if (!extra.length) return base;
  base.verdict = 'informational';
  base.findings = extra.map(([type, t]) => ({
    rule: spec.extraRule,
    level: 'may',
    message: `the server sent ${t.count} message(s) of type ${JSON.stringify(type)}, which the seed does not list (first in ${t.caseId}); example: ${t.example}`,
  }));
  base.reason = `the server sent message types the seed does not list: ${extra.map(([type, t]) => `${type} (${t.count})`).join(', ')}`;
  return base;
}

/** The reason a case fails for a C5 violation (or an invariant break) of a message it read. */
export function violationReason(v: Violation): string {
  if (v.rule && v.rule !== 'C5') return `${v.rule}: received ${v.messageType}: ${v.message}`;
  return `C5: received ${v.messageType} breaks its schema at ${v.instancePath || '(root)'}: ${v.message} (schema ${v.schemaPath || '(root)'})`;
}
