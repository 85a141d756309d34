// Watching the shared evolution run (E4–E8) and staying under the message rate limit (E10).
import type { CaseContext, Conn, Received } from '../engine/types.js';
import { dataOf, isType, mark, nextSince } from './evolution-client.js';
import { connectAuthed, control, SEE, subscribe } from './evolution-session.js';

/** E6: while running, at least one evolution_update per second; allow scheduling slack. */
export const UPDATE_WITHIN_MS = 1500;
/** E4: delivery stops within 500 ms of an unsubscribe. */
export const UNSUBSCRIBE_STOPS_MS = 500;
/** E6: after pause/stop updates stop within 1 s. */
export const PAUSE_STOPS_MS = 1000;

export const isUpdate = isType('evolution_update');

/** `data.generation` of an evolution_update (or agent_update), NaN when absent. */
export function generationOf(m: Received): number {
  const g = dataOf(m)['generation'];
  return typeof g === 'number' ? g : Number.NaN;
}

export function bestFitnessOf(m: Received): number {
  const f = dataOf(m)['best_fitness'];
  return typeof f === 'number' ? f : Number.NaN;
}

/** The next evolution_update from now on (matching `pred`), null on timeout. */
export function nextUpdate(
  conn: Conn,
  timeoutMs = UPDATE_WITHIN_MS,
  pred: (m: Received) => boolean = () => true,
): Promise<Received | null> {
  return nextSince(conn, mark(conn), (m) => isUpdate(m) && pred(m), timeoutMs);
}

/** The next evolution_update, which MUST come (E6: the run is running); fails the case otherwise. */
export async function requireUpdate(
  ctx: CaseContext,
  conn: Conn,
  why: string,
  timeoutMs = UPDATE_WITHIN_MS,
): Promise<Received> {
  const m = await nextUpdate(conn, timeoutMs);
  ctx.require(
    m !== null,
    `no evolution_update within ${timeoutMs} ms ${why} (E6: at least one per second while running)`,
  );
  return m;
}

const sendTimes = new WeakMap<Conn, number[]>();

/** E10: half the target's per-connection message rate: the budget of a paced connection per second. */
const budgetOf = (ctx: CaseContext): number => Math.max(1, Math.floor(ctx.config.limits.msgsPerSecond / 2));

/** Send times of `conn` within the last second (pruned). */
function window(conn: Conn, now: number): number[] {
  const times = sendTimes.get(conn) ?? [];
  sendTimes.set(conn, times);
  while (times.length && (times[0] ?? 0) <= now - 1000) times.shift();
  return times;
}

/** Whether `conn` may send `n` more messages now without exceeding the paced budget. */
export function hasRoom(ctx: CaseContext, conn: Conn, n = 2): boolean {
  const times = window(conn, Date.now());
  return times.length === 0 || times.length + n <= budgetOf(ctx);
}

/** Count `n` messages as sent on `conn` now. */
export function countSent(conn: Conn, n = 2): void {
  const now = Date.now();
  const times = window(conn, now);
  for (let i = 0; i < n; i++) times.push(now);
}

/**
 * E10: wait until `conn` may send `n` more messages while staying at half the target's message
 * rate limit in any sliding second, then count them as sent. Cases that send many messages on
 * one connection call this before each batch so that the limit never answers for the server.
 */
export async function paced(ctx: CaseContext, conn: Conn, n = 2): Promise<void> {
  while (!hasRoom(ctx, conn, n)) {
    const oldest = window(conn, Date.now())[0] ?? Date.now();
    await ctx.sleep(Math.max(5, oldest + 1001 - Date.now()));
  }
  countSent(conn, n);
}

/**
 * A connection for watching the run: authenticated as `sub`, subscribed to `evolution`, the run
 * put into the running state (E6), and the first evolution_update seen. All of it is what the
 * case needs, not what it tests: a failure ends the case `error` naming the case that checks it.
 * (E6: `resume` while running changes nothing, with or without an error; `start` then brings a
 * stopped run back.)
 */
export async function watchRun(ctx: CaseContext, sub: string): Promise<{ conn: Conn; first: Received }> {
  const conn = await connectAuthed(ctx, { sub });
  await subscribe(ctx, conn, { channels: ['evolution'] }, { see: SEE.subscribe });
  await control(conn, 'resume');
  let first = await nextUpdate(conn);
  if (first === null) {
    // E6: `resume` after `stop` changes nothing; `start` brings a stopped run back.
    await control(conn, 'start');
    first = await nextUpdate(conn);
  }
  ctx.precondition(
    first !== null,
    `no evolution_update within ${UPDATE_WITHIN_MS} ms after subscribing to evolution with the run resumed (E6)`,
    SEE.updatesFlow,
  );
  return { conn, first };
}
