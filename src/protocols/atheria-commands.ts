import type { CaseContext, Conn, Received } from '../engine/types.js';
import { ATHERIA_PRECONDITIONS } from './atheria.js';
import {
  describe,
  type Found,
  isNotification,
  isRecord,
  mark,
  notificationStatus,
  payloadOf,
  waitFor,
} from './atheria-wait.js';

// Client → server commands (A2, A3) and the replies cases wait for.

/** A1: initial_state within 2 s of the upgrade. */
export const INITIAL_STATE_MS = 2000;
/** How long a case waits for the answer to a command (notification / status update). */
export const REPLY_MS = 2000;
/** Loading a real experiment may take a server a moment (model weights, …). */
export const LOAD_MS = 5000;

export interface CommandOptions {
  /** send the legacy {scope, command, args} form instead of {type, payload} (A2) */
  legacy?: boolean;
}

/** The message for `scope.command` in either form of A2. */
export function commandMessage(
  type: string,
  payload: Record<string, unknown> = {},
  opts: CommandOptions = {},
): unknown {
  if (!opts.legacy) return { type, payload };
  const dot = type.indexOf('.');
  return { scope: type.slice(0, dot), command: type.slice(dot + 1), args: payload };
}

/** Sets `key` in the message's payload (`payload` of the {type} form, `args` of the legacy form). */
export function withArg(message: unknown, key: string, value: unknown): unknown {
  if (!isRecord(message)) return message;
  const field = Object.hasOwn(message, 'type') ? 'payload' : 'args';
  const current = message[field];
  return { ...message, [field]: { ...(isRecord(current) ? current : {}), [key]: value } };
}

/**
 * A2: the fields a server reads of a command: a message with `type` is read in the {type, payload}
 * form, so its `scope`, `command` and `args` are extra fields (C6); a message without `type` is read
 * in the legacy form, so its `payload` is extra. A "negative" property counts a message as invalid
 * only when it is invalid in the form the server reads (spec/atheria/DECISIONS.md, "Harness").
 */
export function asRead(message: unknown): unknown {
  if (!isRecord(message)) return message;
  const { scope: _scope, command: _command, args: _args, ...typed } = message;
  if (Object.hasOwn(message, 'type')) return typed;
  const { payload: _payload, ...legacy } = message;
  return legacy;
}

/** Sends a command; returns the position in conn.received from which its replies can be awaited. */
export function command(
  conn: Conn,
  type: string,
  payload: Record<string, unknown> = {},
  opts: CommandOptions = {},
): number {
  const from = mark(conn);
  conn.sendJson(commandMessage(type, payload, opts));
  return from;
}

/**
 * The first message is `initial_state`, within 2 s; returns its payload. A precondition of every
 * case but ATH-HANDSHAKE-001, which checks A1 itself: a server that never sends it fails that case
 * only, and the others end `error`.
 */
export async function expectInitialState(ctx: CaseContext, conn: Conn): Promise<Record<string, unknown>> {
  const first = await waitFor(conn, 0, () => true, INITIAL_STATE_MS);
  ctx.precondition(
    first,
    `no message within ${INITIAL_STATE_MS} ms of connecting (expected initial_state)`,
    ATHERIA_PRECONDITIONS.first,
  );
  ctx.precondition(
    first.index === 0 && first.message.type === 'initial_state',
    `the first message is ${describe(first.message)}, not initial_state`,
    ATHERIA_PRECONDITIONS.first,
  );
  return payloadOf(first.message) ?? {};
}

/** Opens a connection and consumes its initial_state (A1 is checked by ATH-HANDSHAKE-001). */
export async function connectAtheria(
  ctx: CaseContext,
): Promise<{ conn: Conn; initial: Record<string, unknown> }> {
  const conn = await ctx.connect();
  const initial = await expectInitialState(ctx, conn);
  return { conn, initial };
}

/** The next notification at index ≥ `from` with one of `statuses` (any status if omitted). */
export function expectNotification(
  conn: Conn,
  from: number,
  statuses?: readonly string[],
  timeoutMs = REPLY_MS,
): Promise<Found | null> {
  return waitFor(conn, from, (m) => isNotification(m, statuses), timeoutMs);
}

export interface FinalAnswer {
  /** the first notification at index ≥ `from` that is not a progress `info`, null when none came */
  final: Found | null;
  /** the progress `info` notifications received before it (or before the timeout) */
  progress: Received[];
}

/**
 * The final answer to a command (A3): the public backend answers load_experiment with `info`
 * ("Cargando modelo…") first and success or error after it, so the first notification is not the
 * answer. Waits up to `timeoutMs` for a notification that is not `info`.
 */
export async function expectFinalNotification(
  conn: Conn,
  from: number,
  timeoutMs = REPLY_MS,
): Promise<FinalAnswer> {
  const final = await waitFor(
    conn,
    from,
    (m) => isNotification(m) && notificationStatus(m) !== 'info',
    timeoutMs,
  );
  const end = final ? final.index : conn.received.length;
  const progress = conn.received.slice(from, end).filter((m) => isNotification(m, ['info']));
  return { final, progress };
}

/** A7's notification statuses and A8's inference statuses. */
export const NOTIFICATION_STATUSES = ['info', 'success', 'warning', 'error'] as const;
export const INFERENCE_STATUSES = ['running', 'paused', 'idle'] as const;

/** The case that judges status values (A7, A8): an answer with another status is its finding. */
export const STATUS_CASE = 'ATH-SCHEMA-002';

/**
 * The status of a notification that answers `what`. A status outside A7's values is ATH-SCHEMA-002's
 * finding; the case cannot tell what the answer meant, so it ends `error` (precondition).
 */
export function answerStatus(ctx: CaseContext, m: Received, what: string): string {
  const status = payloadOf(m)?.['status'];
  ctx.precondition(
    typeof status === 'string' && (NOTIFICATION_STATUSES as readonly string[]).includes(status),
    `${what} was answered by a notification with status ${JSON.stringify(status)}, none of A7's`,
    STATUS_CASE,
  );
  return status;
}

/**
 * The inference_status_update with status `want` at index ≥ `from`; an update whose status is none
 * of A8's ends the case `error` (ATH-SCHEMA-002 judges it): the case cannot tell what it meant.
 */
export async function expectStatusUpdate(
  ctx: CaseContext,
  conn: Conn,
  from: number,
  want: (typeof INFERENCE_STATUSES)[number],
  what: string,
  timeoutMs = REPLY_MS,
): Promise<Found | null> {
  const invalid = (m: Received) => {
    const st = payloadOf(m)?.['status'];
    return typeof st !== 'string' || !(INFERENCE_STATUSES as readonly string[]).includes(st);
  };
  const hit = await waitFor(
    conn,
    from,
    (m) => m.type === 'inference_status_update' && (payloadOf(m)?.['status'] === want || invalid(m)),
    timeoutMs,
  );
  if (hit && invalid(hit.message)) {
    ctx.precondition(
      false,
      `${what} was answered by an inference_status_update with status ${JSON.stringify(payloadOf(hit.message)?.['status'])}, none of A8's`,
      STATUS_CASE,
    );
  }
  return hit;
}

/** The next inference_status_update at index ≥ `from` (with that status, if given). */
export function expectInferenceStatus(
  conn: Conn,
  from: number,
  status?: string,
  timeoutMs = REPLY_MS,
): Promise<Found | null> {
  return waitFor(
    conn,
    from,
    (m) =>
      m.type === 'inference_status_update' && (status === undefined || payloadOf(m)?.['status'] === status),
    timeoutMs,
  );
}

/** Names of the experiments listed in initial_state (entries are objects with `name`, or strings). */
export function experimentNames(initial: Record<string, unknown>): string[] {
  const list = initial['experiments'];
  if (!Array.isArray(list)) return [];
  const names: string[] = [];
  for (const e of list) {
    if (typeof e === 'string') names.push(e);
    else if (isRecord(e) && typeof e['name'] === 'string') names.push(e['name']);
  }
  return names;
}

/** Error notifications among `messages`. */
export function errorNotifications(messages: readonly Received[]): Received[] {
  return messages.filter((m) => isNotification(m, ['error']));
}
