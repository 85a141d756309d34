// Property-based (fast-check, --seed/--runs): client messages generated from spec/evolution.
// Valid ones are accepted (E1/E4/E6/E7: no error but the ones their content legitimately earns, the
// connection stays open); schema-invalid ones get INVALID_COMMAND and the connection stays open
// (E9). `auth` is left out (its failures close the connection by E2), and so is `command` from the
// valid property (a schema-valid command may still be an unknown cmd or out of range: E8).
import fc from 'fast-check';
import { type CaseContext, type Conn, defineCase } from '../../src/engine/types.js';
import { allChannels, describe, errorOf, isError, settle } from '../../src/protocols/evolution-client.js';
import { ConnPool } from '../../src/protocols/evolution-pool.js';
import { checkProperty } from '../../src/protocols/evolution-property.js';
import { restoreRunning } from '../../src/protocols/evolution-session.js';
import { caseSub } from '../../src/protocols/evolution-tokens.js';
import { invalidMessage, validMessage } from '../../src/schema/arbitrary.js';
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

/** Errors a schema-valid message of `type` may legitimately get. */
function allowedCodes(type: string, value: unknown): string[] {
  if (type === 'get_agent') return ['AGENT_NOT_FOUND'];
  const known = new Set(allChannels());
  if (
    (type === 'subscribe' || type === 'unsubscribe') &&
    namedChannels(value).some((c) => !known.has(String(c)))
  )
    return ['INVALID_COMMAND'];
  return [];
}

const VALID_TYPES = clientMessageTypes('evolution').filter((t) => t !== 'auth' && t !== 'command');
const INVALID_TYPES = clientMessageTypes('evolution').filter((t) => t !== 'auth');

interface Sample {
  type: string;
  value: unknown;
  broken?: string;
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
    id: 'EVO-SCHEMA-003',
    protocol: 'evolution',
    suite: 'schema',
    rule: 'E1,E4,E6,E7,C6',
    title:
      'property: schema-valid client messages (id/timestamp, extra fields) are accepted and the connection stays open',
    faults: ['evo-reject-client-id'],
    exclusive: 'evolution-run',
    timeoutMs: 60_000,
    async run(ctx: CaseContext) {
      const sub = caseSub(ctx.caseId);
      const pool = new ConnPool(ctx, sub, POOL_SIZE);
      const outcome = new Map<string, string>();
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
            const allowed = allowedCodes(s.type, s.value);
            const bad = r.errors.filter((e) => !allowed.includes(String(errorOf(e)?.code)));
            const problem = judge(conn, r, bad.length ? `got ${bad.map(describe).join('; ')}` : '');
            return recordOutcome(outcome, pool, s, conn, problem);
          }),
          {
            budgetMs: BUDGET_MS,
            explain: (s) => ({
              counterexample: s.value,
              reason: `the valid ${s.type} ${JSON.stringify(s.value)} was not accepted: ${outcome.get(JSON.stringify(s)) ?? '?'}`,
            }),
          },
        );
      } finally {
        await restoreRunning(ctx, sub); // valid controls include pause and stop (E6)
      }
    },
  }),
  defineCase({
    id: 'EVO-SCHEMA-004',
    protocol: 'evolution',
    suite: 'schema',
    rule: 'E9,C7',
    title:
      'property: client messages with one schema rule broken get INVALID_COMMAND and the connection stays open',
    faults: ['evo-invalid-closes'],
    exclusive: 'evolution-run',
    timeoutMs: 60_000,
    async run(ctx: CaseContext) {
      const sub = caseSub(ctx.caseId);
      const pool = new ConnPool(ctx, sub, POOL_SIZE);
      const outcome = new Map<string, string>();
      const arb: fc.Arbitrary<Sample> = fc
        .constantFrom(...INVALID_TYPES)
        .chain((type) => invalidMessage('evolution', 'client', type).map((x) => ({ type, ...x })));
      try {
        await checkProperty(
          ctx,
          fc.asyncProperty(arb, async (s) => {
            // Shrinking may not keep a value invalid: only invalid ones count, and never an `auth` (E2).
            fc.pre(validateClientMessage('evolution', s.value).length > 0);
            fc.pre(!(isRecord(s.value) && s.value['type'] === 'auth'));
            const conn = await pool.take();
            const r = await settle(conn, () => conn.sendJson(s.value));
            const problem = judge(
              conn,
              r,
              r.errors.some(isError('INVALID_COMMAND'))
                ? ''
                : `got ${r.errors.map(describe).join('; ') || 'no error'} instead of INVALID_COMMAND`,
            );
            return recordOutcome(outcome, pool, s, conn, problem);
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
      } finally {
        await restoreRunning(ctx, sub); // an invalid control must have no effect, but be safe
      }
    },
  }),
];
