// Generated wire cases (issue 12 §1): each row of a table (suites/framing/table-*.ts) is one small
// declared unit — its key, RFC 6455 section, Autobahn case, title, faults and a short script — and
// becomes one case per protocol it applies to. Ids are derived from the key, so they stay stable as
// rows are added: the Autobahn case number when the row is one (GEN-FRAMING-6.4.3), the number of
// the row it varies plus a suffix (GEN-FRAMING-6.7.3-split), or `x` + the Autobahn category and a
// number of its own for a row Autobahn lacks (GEN-FRAMING-x7.7.14).
import type { FaultName } from '../../src/schema/faults.js';
import { defineCase } from '../../src/engine/define-case.js';
import type { CaseContext, CaseDefinition, Protocol } from '../../src/engine/types.js';
import { echoes, requireEcho } from './_echo.js';
import { type Wire, withWire } from './_wire.js';

export interface RowContext {
  ctx: CaseContext;
  /** the target echoes (--echo, confirmed): an `echo: 'optional'` row checks the echoes too */
  echo: boolean;
  /** a fresh upgraded raw connection for `fn`, released afterwards */
  wire<T>(fn: (w: Wire) => Promise<T>): Promise<T>;
}

export interface Row {
  /** 6.4.3 (an Autobahn case), 6.7.3-split (a variant of one), x7.7.14 (none) */
  key: string;
  /** the RFC 6455 section that fixes the expected behaviour, e.g. '5.2' */
  rfc: string;
  title: string;
  /** C3 (default), or C4 for a robustness row */
  rule?: 'C3' | 'C4';
  /**
   * true: needs an echo target (--protocol generic --echo), unimplemented elsewhere;
   * 'optional': runs on every target, and checks echoes too when the target echoes
   */
  echo?: boolean | 'optional';
  /** the protocols the row runs on (default: generic for echo rows, else all three) */
  protocols?: readonly Protocol[];
  /**
   * the reference-server faults that make the row fail on the protocol endpoints (and on the
   * reference server's /ws as a generic target); echo rows are proved against broken echo
   * servers in test/suites/generic-framing.test.ts instead
   */
  faults: readonly FaultName[];
  timeoutMs?: number;
  run(t: RowContext): Promise<void>;
}

const ALL: readonly Protocol[] = ['atheria', 'evolution', 'generic'];

/** The Autobahn case a key names exactly (none for variants and x-rows). */
export function autobahnOf(key: string): string | undefined {
  return /^\d+(\.\d+)+$/.test(key) ? key : undefined;
}

/** Ids of the cases that need an echo target (rows with `echo: true`), for the tests and tools. */
export const ECHO_CASE_IDS = new Set<string>();

export function tableCases(rows: readonly Row[]): CaseDefinition[] {
  return rows.flatMap((row) => {
    const protocols = row.protocols ?? (row.echo === true ? ['generic' as const] : ALL);
    const autobahn = autobahnOf(row.key);
    const base = row.key.replace(/^x/, '').split('-')[0];
    const where = autobahn
      ? `RFC 6455 §${row.rfc}, Autobahn ${autobahn}`
      : row.key.startsWith('x')
        ? `RFC 6455 §${row.rfc}`
        : `RFC 6455 §${row.rfc}, a variant of Autobahn ${base}`;
    const defs = defineCase({
      protocols,
      key: row.key,
      suite: 'framing',
      rule: row.rule ?? 'C3',
      title: `${row.title} (${where})`,
      faults: row.echo === true ? [] : row.faults,
      refs: autobahn ? { rfc: row.rfc, autobahn } : { rfc: row.rfc },
      ...(row.timeoutMs !== undefined && { timeoutMs: row.timeoutMs }),
      async run(ctx: CaseContext) {
        if (row.echo === true) await requireEcho(ctx);
        const echo = row.echo === true || (row.echo === 'optional' && (await echoes(ctx)));
        await row.run({ ctx, echo, wire: (fn) => withWire(ctx, fn) });
      },
    });
    if (row.echo === true) for (const d of defs) ECHO_CASE_IDS.add(d.id);
    return defs;
  });
}
