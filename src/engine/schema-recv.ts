import type { CaseResult, Protocol, Received, Target, Violation } from './types.js';

// Profile C5 and CLI-CONTRACT "Received-message conformance": beside failing the case in which it
// was seen, schema conformance of everything received is reported as one synthesized case per
// server message type, e.g. EVO-SCHEMA-RECV-evolution_update.

const PREFIX: Record<Protocol, string> = { atheria: 'ATH', evolution: 'EVO' };

interface TypeLog {
  count: number;
  violations: number;
  first?: { violation: Violation; caseId: string };
}

/** Checked connections' traffic, per target and message type, gathered as cases end. */
export class ReceivedLog {
  private readonly byTarget = new Map<string, Map<string, TypeLog>>();

  private log(target: string, type: string): TypeLog {
    let types = this.byTarget.get(target);
    if (!types) {
      types = new Map();
      this.byTarget.set(target, types);
    }
    let log = types.get(type);
    if (!log) {
      log = { count: 0, violations: 0 };
      types.set(type, log);
    }
    return log;
  }

  /** Adds the messages and violations of one case's schema-checked connections. */
  record(
    target: Target,
    caseId: string,
    conns: readonly { received: readonly Received[]; violations: readonly Violation[] }[],
  ): void {
    for (const conn of conns) {
      for (const m of conn.received) if (m.type !== undefined) this.log(target.url, m.type).count++;
      for (const v of conn.violations) {
        const log = this.log(target.url, v.messageType);
        log.violations++;
        log.first ??= { violation: v, caseId };
      }
    }
  }

  /**
   * One result per server message type of the target's protocol; plus `…-SCHEMA-RECV-other` when a
   * violation concerned a type outside that list (an unknown type, a binary payload).
   */
  results(target: Target, types: readonly string[]): CaseResult[] {
    const logs = this.byTarget.get(target.url) ?? new Map<string, TypeLog>();
    const out = types.map((type) =>
      result(
        target,
        type,
        `every ${type} message received during the run matches its schema`,
        logs.get(type),
      ),
    );
    const others = [...logs.entries()].filter(([type, log]) => !types.includes(type) && log.violations > 0);
    if (others.length) {
      const merged: TypeLog = { count: 0, violations: 0 };
      for (const [, log] of others) {
        merged.count += log.count;
        merged.violations += log.violations;
        merged.first ??= log.first;
      }
      out.push(
        result(
          target,
          'other',
          'no message of an unknown type or an invalid binary payload was received',
          merged,
        ),
      );
    }
    return out;
  }
}

function result(target: Target, type: string, title: string, log: TypeLog | undefined): CaseResult {
  const base: CaseResult = {
    id: `${PREFIX[target.protocol]}-SCHEMA-RECV-${type}`,
    protocol: target.protocol,
    suite: 'schema',
    rule: 'C5',
    title,
    target: target.url,
    verdict: 'pass',
    durationMs: 0,
    transcript: [],
  };
  if (log?.first) {
    const { violation: v, caseId } = log.first;
    base.verdict = 'fail';
    base.reason =
      `${v.messageType} ${v.instancePath || '(root)'}: ${v.message} (schema ${v.schemaPath || '(root)'}), first seen in ${caseId}` +
      ` (${log.violations} violation${log.violations === 1 ? '' : 's'} in ${log.count} message${log.count === 1 ? '' : 's'})`;
  } else if (!log || log.count === 0) {
    base.verdict = 'unimplemented';
    base.reason = `no ${type} message was received during the run`;
  }
  return base;
}

/** The reason a case fails for its first C5 violation. */
export function violationReason(v: Violation): string {
  return `C5: received ${v.messageType} breaks its schema at ${v.instancePath || '(root)'}: ${v.message} (schema ${v.schemaPath || '(root)'})`;
}
