import fc from 'fast-check';
import type { CaseContext, Received } from '../engine/types.js';
import { INFERENCE_STATUSES, NOTIFICATION_STATUSES } from './atheria-commands.js';
import { openSession, type SimSession } from './atheria-state.js';
import { describe, isNotification, payloadOf } from './atheria-wait.js';

// Property-based command checks (A2–A4, C6, C7) over one connection: each generated message is
// sent, followed by the sentinel (atheria-probe.ts), so one round trip tells what the server
// answered to that message alone; 100 runs take well under a second against a local server.
// A closed connection is replaced, so that shrinking can go on.

export interface RunFailure {
  level: 'must' | 'should';
  reason: string;
  /** the rule the failure is about, when not the case's first */
  rule?: string;
}

export interface PropertyOutcome<T> {
  /** the shrunk counterexample and why its last run failed */
  failure?: { value: T; why: RunFailure; shrinks: number };
  /** the property failed but fast-check gave no counterexample (e.g. an error outside the runs) */
  failedWithout?: string;
  runs: number;
  /** runs that tested something: a run whose value does not apply is skipped, never a pass */
  applicable: number;
  interrupted: boolean;
}

export interface MessageProperty<T> {
  arbitrary: fc.Arbitrary<T>;
  /** the JSON value to send for a generated value */
  message(v: T): unknown;
  /** runs whose value this returns false for are not applicable (not sent, not counted): e.g. a "negative" value that is valid */
  applies?(v: T): boolean;
  /** judges the messages that arrived between the send and the sentinel's answer; null = fine */
  judge(v: T, replies: readonly Received[]): RunFailure | null;
  /** wall-clock budget for runs plus shrinking */
  timeLimitMs: number;
}

export async function checkMessages<T>(
  ctx: CaseContext,
  s: SimSession,
  p: MessageProperty<T>,
): Promise<PropertyOutcome<T>> {
  let last: RunFailure | null = null;
  let applicable = 0;
  const property = fc.asyncProperty(p.arbitrary, async (v) => {
    // not applicable: fast-check skips the run (fc.pre), it is not a pass
    fc.pre(!p.applies || p.applies(v));
    applicable++;
    let failure: RunFailure | null;
    try {
      if (!s.conn.isOpen) {
        const fresh = await openSession(ctx);
        s.conn = fresh.conn;
        s.probe = fresh.probe;
      }
      const conn = s.conn;
      const { replies, sentinel } = await s.probe.exchange(() => conn.sendJson(p.message(v)));
      if (!conn.isOpen) failure = { level: 'must', reason: 'the server closed the connection' };
      else if (!sentinel)
        failure = {
          level: 'must',
          reason: 'the server stopped answering (no reply to the next command within 2 s)',
        };
      else failure = p.judge(v, replies);
    } catch (err) {
      failure = {
        level: 'must',
        reason: `the connection could not be re-opened: ${err instanceof Error ? err.message : String(err)}`,
      };
    }
    if (failure) last = failure;
    return failure === null;
  });
  const details = await fc.check(property, {
    seed: ctx.config.seed,
    numRuns: ctx.config.runs,
    plugins: [fc.interruptAfterTimeLimit(p.timeLimitMs)],
  });
  const outcome: PropertyOutcome<T> = {
    runs: details.numRuns,
    applicable,
    interrupted: details.interrupted,
  };
  const cx = details.counterexample;
  if (details.failed && cx && last)
    outcome.failure = { value: (cx as unknown as [T])[0], why: last, shrinks: details.numShrinks };
  else if (details.failed && applicable > 0) {
    // too many skipped runs alone is no failure of the server (judged as not applicable below)
    const why =
      details.errorInstance instanceof Error
        ? details.errorInstance.message
        : String(details.errorInstance ?? '');
    if (!/pre-?condition/i.test(why))
      outcome.failedWithout = why || 'the property failed without a counterexample';
  }
  return outcome;
}

/**
 * The verdict of a property outcome common to every property case: no applicable run →
 * unimplemented; a failure without a counterexample → fail with fast-check's reason. Returns the
 * failure to judge further, if any.
 */
export function judgeOutcome<T>(
  ctx: CaseContext,
  outcome: PropertyOutcome<T>,
  limitMs: number,
): PropertyOutcome<T>['failure'] {
  if (outcome.interrupted)
    ctx.note(`the property stopped after ${outcome.runs} runs (time limit ${limitMs} ms)`);
  if (outcome.applicable === 0)
    ctx.unimplemented('no generated value was applicable: the property tested nothing');
  if (outcome.failedWithout !== undefined)
    ctx.fail(`the property failed without a counterexample: ${outcome.failedWithout}`);
  return outcome.failure;
}

/** A short JSON rendering of a counterexample for a reason. */
export function show(v: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(v) ?? String(v);
  } catch {
    text = String(v);
  }
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

/** The first error notification among replies, summarised; undefined when there is none. */
export function firstError(replies: readonly Received[]): string | undefined {
  const m = replies.find((r) => isNotification(r, ['error']));
  return m ? describe(m) : undefined;
}

/**
 * A3: the answer a command documents, when one is missing from `replies`: play → status running,
 * pause → status paused, load_experiment (of a listed name) → notification success/info,
 * inject_energy → notification success. Undefined when present or when none is documented.
 */
export function missingAnswer(type: string, replies: readonly Received[]): string | undefined {
  const status = (m: Received, want: string) =>
    m.type === 'inference_status_update' && payloadOf(m)?.['status'] === want;
  // an answer whose status is none of A7's / A8's is ATH-SCHEMA-002's finding: not judged here
  const unreadable = replies.some((m) => {
    const st = payloadOf(m)?.['status'];
    if (m.type === 'notification') return !(NOTIFICATION_STATUSES as readonly unknown[]).includes(st);
    if (m.type === 'inference_status_update') return !(INFERENCE_STATUSES as readonly unknown[]).includes(st);
    return false;
  });
  if (unreadable) return undefined;
  switch (type) {
    case 'inference.play':
      return replies.some((m) => status(m, 'running')) ? undefined : 'no inference_status_update "running"';
    case 'inference.pause':
      return replies.some((m) => status(m, 'paused')) ? undefined : 'no inference_status_update "paused"';
    case 'inference.load_experiment':
      return replies.some((m) => isNotification(m, ['success', 'info']))
        ? undefined
        : 'no notification success or info';
    case 'inference.inject_energy':
      return replies.some((m) => isNotification(m, ['success'])) ? undefined : 'no notification success';
    default:
      return undefined;
  }
}
