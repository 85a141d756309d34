// Property-based (fast-check, --seed/--runs): client messages generated from spec/evolution.
// Valid ones are accepted (E1/E4/E6/E7: no error but the ones their content legitimately earns, the
// connection stays open); schema-invalid ones keep the connection open (E9 MUST) and SHOULD get
// INVALID_COMMAND (another code or silence is non-strict; an error is a MUST for an unknown type;
// the MUST errors of E6 and E8 are EVO-SUBSCRIPTIONS-009's and -014's). Negative messages
// break only rules the profile makes normative (src/protocols/evolution-negative.ts), so a correct
// server passes whatever the seed. SHOULD-level observations are gathered over all runs and
// reported once, so they never shrink into a counterexample. `auth` is left out (its failures close
// the connection by E2), and so is `command` from the valid property (a schema-valid command may
// still be an unknown cmd or out of range: E8).
import fc from 'fast-check';
import { defineCase } from '../../src/engine/define-case.js';
import type { CaseContext, Conn, Received } from '../../src/engine/types.js';
import {
  allChannels,
  describe,
  errorOf,
  indexOf,
  isError,
  mark,
  roundTrip,
  settle,
} from '../../src/protocols/evolution-client.js';
import { type NegativeSample, normativeInvalidMessage } from '../../src/protocols/evolution-negative.js';
import { ConnPool } from '../../src/protocols/evolution-pool.js';
import { checkProperty } from '../../src/protocols/evolution-property.js';
import { restoreRunning } from '../../src/protocols/evolution-session.js';
import { caseSub, tokensFor } from '../../src/protocols/evolution-tokens.js';
import { validMessage } from '../../src/schema/arbitrary.js';
import { clientMessageTypes, validateClientMessage } from '../../src/schema/index.js';

const POOL_SIZE = 4;
const BUDGET_MS = 40_000;

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** The channel names a subscribe/unsubscribe names. */
function namedChannels(v: unknown): unknown[] {
  if (!isRecord(v)) return [];
  return [
    ...(v['channel'] === undefined ? [] : [v['channel']]),
    ...(Array.isArray(v['channels']) ? v['channels'] : []),
  ];
}

/** Half of the generated subscriptions use known channel names (the schema allows any string, E4). */
function withKnownChannels(v: unknown, picks: number[]): unknown {
  if (!isRecord(v)) return v;
  const known = allChannels();
  const pick = (i: number) => known[(picks[i] ?? 0) % known.length];
  const out: Record<string, unknown> = { ...v };
  if (typeof out['channel'] === 'string') out['channel'] = pick(0);
  if (Array.isArray(out['channels'])) out['channels'] = out['channels'].map((_, i) => pick(i + 1));
  return out;
}

/**
 * How the errors a schema-valid message got are judged: 'ok' (E7 AGENT_NOT_FOUND; E6 a control
 * that does not fit the state or exceeds a tighter limit of the server), 'should' (E4: an unknown
 * channel SHOULD get INVALID_COMMAND), 'must' (anything else: a valid message was refused).
 */
function judgeErrors(type: string, value: unknown, errors: Received[]): 'ok' | 'should' | 'must' {
  if (errors.length === 0) return 'ok';
  const codes = errors.map((e) => String(errorOf(e)?.code));
  if (type === 'get_agent' && codes.every((c) => c === 'AGENT_NOT_FOUND')) return 'ok';
  if (type === 'control') return 'ok';
  const known = new Set(allChannels());
  if (
    (type === 'subscribe' || type === 'unsubscribe') &&
    namedChannels(value).some((c) => !known.has(String(c)))
  )
    return codes.every((c) => c === 'INVALID_COMMAND') ? 'ok' : 'should';
  return 'must';
}

/** C6: an error that names one of the message's unknown extra fields (refusing them is non-strict). */
function namesExtraField(value: unknown, errors: Received[]): boolean {
  if (!isRecord(value)) return false;
  const extras = ['x_extra', 'meta', 'note'].filter((k) => Object.hasOwn(value, k));
  return extras.length > 0 && errors.every((e) => extras.some((k) => (e.text ?? '').includes(k)));
}

/** SHOULD-level observations of a property run, reported once when it ends (never a counterexample). */
class Observations {
  private readonly seen = new Map<string, { count: number; example: string }>();
  add(kind: string, example: string): void {
    const o = this.seen.get(kind) ?? { count: 0, example };
    o.count++;
    this.seen.set(kind, o);
  }
  report(ctx: CaseContext, rule: (kind: string) => string): void {
    for (const [kind, o] of this.seen)
      ctx.should(false, `${kind}: ${o.count} message(s), e.g. ${o.example}`, rule(kind));
  }
}

const VALID_TYPES = clientMessageTypes('evolution').filter((t) => t !== 'auth' && t !== 'command');
// A ping with a broken timestamp is E3's (EVO-HEARTBEAT-004: a pong answering it is non-strict).
const INVALID_TYPES = clientMessageTypes('evolution').filter((t) => t !== 'auth' && t !== 'ping');

interface Sample {
  type: string;
  value: unknown;
}

/** What went wrong with one message: the connection closed or stalled, else `answer` ('' = fine). */
function judge(conn: Conn, r: { pong: unknown }, answer: string): string {
  if (!conn.isOpen) return 'the connection closed';
  if (r.pong === null) return 'no pong: the connection stalled';
  return answer;
}

/** Keeps a problem for the counterexample's explanation and retires its connection; true if none. */
function recordOutcome(
  outcome: Map<string, string>,
  pool: ConnPool,
  sample: unknown,
  conn: Conn,
  problem: string,
): boolean {
  if (!problem) return true;
  outcome.set(JSON.stringify(sample), problem);
  pool.discard(conn);
  return false;
}

export default [
  defineCase({
    protocol: 'evolution',
    num: 3,
    suite: 'schema',
    rule: 'E1,E4,E6,E7,C6',
    title:
      'property: schema-valid client messages (id/timestamp, extra fields) are accepted and the connection stays open',
    faults: ['evo-reject-client-id'],
    exclusive: 'evolution-run',
    timeoutMs: 60_000,
    async run(ctx: CaseContext) {
      const sub = caseSub(ctx.caseId);
      tokensFor(ctx, sub); // E2: without the run's JWT secret the case is unimplemented, before any run
      const pool = new ConnPool(ctx, sub, POOL_SIZE);
      const outcome = new Map<string, string>();
      const observed = new Observations();
      const arb: fc.Arbitrary<Sample> = fc.constantFrom(...VALID_TYPES).chain((type) =>
        fc
          .tuple(
            validMessage('evolution', 'client', type),
            fc.boolean(),
            fc.array(fc.nat(), { minLength: 8, maxLength: 8 }),
          )
          .map(([v, known, picks]) => ({
            type,
            value:
              known && (type === 'subscribe' || type === 'unsubscribe') ? withKnownChannels(v, picks) : v,
          })),
      );
      try {
        await checkProperty(
          ctx,
          fc.asyncProperty(arb, async (s) => {
            const conn = await pool.take();
            // A valid ping earns its own pong before the sentinel's.
            const r = await settle(conn, () => conn.sendJson(s.value), 2000, s.type === 'ping' ? 1 : 0);
            let verdict = judgeErrors(s.type, s.value, r.errors);
            if (verdict === 'must' && namesExtraField(s.value, r.errors)) verdict = 'should';
            if (verdict === 'should')
              observed.add(
                namesExtraField(s.value, r.errors)
                  ? 'a valid message was refused for an unknown extra field (C6: SHOULD be ignored)'
                  : 'a subscription naming an unknown channel got another error code (E4: SHOULD be INVALID_COMMAND)',
                `${JSON.stringify(s.value)} → ${r.errors.map(describe).join('; ')}`,
              );
            const answer = verdict === 'must' ? `got ${r.errors.map(describe).join('; ')}` : '';
            return recordOutcome(outcome, pool, s, conn, judge(conn, r, answer));
          }),
          {
            budgetMs: BUDGET_MS,
            explain: (s) => ({
              counterexample: s.value,
              reason: `the valid ${s.type} ${JSON.stringify(s.value)} was not accepted: ${outcome.get(JSON.stringify(s)) ?? '?'}`,
            }),
          },
        );
        observed.report(ctx, (kind) => (kind.includes('C6') ? 'C6' : 'E4'));
      } finally {
        await restoreRunning(ctx, sub); // valid controls include pause and stop (E6)
      }
    },
  }),
  defineCase({
    protocol: 'evolution',
    num: 4,
    suite: 'schema',
    rule: 'E9,C7',
    title:
      'property: client messages with one normative schema rule broken keep the connection open and get INVALID_COMMAND (SHOULD)',
    faults: ['evo-invalid-closes', 'evo-invalid-silent'],
    exclusive: 'evolution-run',
    timeoutMs: 60_000,
    async run(ctx: CaseContext) {
      const sub = caseSub(ctx.caseId);
      tokensFor(ctx, sub); // E2: without the run's JWT secret the case is unimplemented, before any run
      const pool = new ConnPool(ctx, sub, POOL_SIZE);
      const outcome = new Map<string, string>();
      const observed = new Observations();
      const arb: fc.Arbitrary<NegativeSample> = fc
        .constantFrom(...INVALID_TYPES)
        .chain((type) => normativeInvalidMessage(type));
      try {
        await checkProperty(
          ctx,
          fc.asyncProperty(arb, async (s) => {
            // Shrinking may not keep a value invalid: only invalid ones count, and never an `auth` (E2).
            fc.pre(validateClientMessage('evolution', s.value).length > 0);
            fc.pre(!(isRecord(s.value) && s.value['type'] === 'auth'));
            const conn = await pool.take();
            const at = mark(conn);
            conn.sendJson(s.value);
            const { pong } = await roundTrip(conn, at);
            const end = pong ? indexOf(conn, pong) : conn.received.length;
            const between = conn.received.slice(at, end);
            const errors = between.filter(isError());
            let problem = '';
            if (errors.length === 0 && s.errorMust) problem = 'got no error';
            else if (errors.length === 0)
              observed.add(
                'a schema-invalid message got no answer (E9: SHOULD get INVALID_COMMAND)',
                `${JSON.stringify(s.value)} (${s.broken})`,
              );
            else if (!errors.some(isError('INVALID_COMMAND')))
              observed.add(
                'a schema-invalid message got another error code (E9: SHOULD be INVALID_COMMAND)',
                `${JSON.stringify(s.value)} (${s.broken}) → ${errors.map(describe).join('; ')}`,
              );
            return recordOutcome(outcome, pool, s, conn, judge(conn, { pong }, problem));
          }),
          {
            budgetMs: BUDGET_MS,
            explain: (s) => {
              const violations = validateClientMessage('evolution', s.value);
              return {
                counterexample: { message: s.value, broken: s.broken, violations },
                reason: `the invalid ${s.type} ${JSON.stringify(s.value)} (${s.broken}; still invalid: ${violations.length > 0}) ${outcome.get(JSON.stringify(s)) ?? '?'} (E9)`,
              };
            },
          },
        );
        observed.report(ctx, () => 'E9');
      } finally {
        await restoreRunning(ctx, sub); // an invalid control must have no effect, but be safe
      }
    },
  }),
];
