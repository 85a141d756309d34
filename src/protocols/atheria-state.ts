import type { CaseContext, Conn } from '../engine/types.js';
import {
  command,
  expectInferenceStatus,
  expectInitialState,
  experimentNames,
  LOAD_MS,
} from './atheria-commands.js';
import { framesIn, nextFrame, simInfoOf } from './atheria-frames.js';
import { isFinalNotification, Probe } from './atheria-probe.js';
import { describe, idle, isRecord, mark, notificationStatus, waitFor } from './atheria-wait.js';

// A0: a case never assumes the shared simulation's state; it sets what it needs first and, when it
// changed something other cases rely on, puts it back.

export interface SimState {
  running?: boolean;
  liveFeed?: boolean;
  fps?: number;
  viz?: string;
  /** simulation.set_binary; `false` turns binary frames off */
  binary?: false | 'msgpack' | 'cbor';
}

/**
 * Sends the commands for `state` and waits until the server has processed them (sentinel, see
 * atheria-probe.ts). Does not judge the answers: the case checking each command does (A3).
 */
export async function setState(
  ctx: CaseContext,
  conn: Conn,
  state: SimState,
  probe = new Probe(conn),
): Promise<void> {
  if (state.liveFeed !== undefined) command(conn, 'simulation.set_live_feed', { enabled: state.liveFeed });
  if (state.fps !== undefined) command(conn, 'simulation.set_fps', { fps: state.fps });
  if (state.viz !== undefined) command(conn, 'inference.set_viz', { viz_type: state.viz });
  if (state.binary !== undefined) {
    command(
      conn,
      'simulation.set_binary',
      state.binary === false ? { enabled: false } : { enabled: true, format: state.binary },
    );
  }
  if (state.running !== undefined) {
    const want = state.running ? 'running' : 'paused';
    const from = command(conn, state.running ? 'inference.play' : 'inference.pause');
    // the status update, when the server sends one, is the usual sign that the command took effect;
    // only the one it asked for: another (a load's broadcast) is no answer the case reads
    await expectInferenceStatus(conn, from, want, 1000);
  }
  const answer = await probe.sync();
  if (!answer) ctx.note('A0: no answer to the state-setting sentinel; continuing');
}

/**
 * The state to put back after a case: running as `initial_state.inference_status` reported it at
 * the case's start, live feed on, and whatever else the case changed (`extra`).
 */
export function restoreState(initial: Record<string, unknown>, extra: SimState = {}): SimState {
  return { running: initial['inference_status'] === 'running', liveFeed: true, ...extra };
}

/** Restores `state` over `conn` when it is open. */
export async function restore(ctx: CaseContext, conn: Conn, state: SimState, probe?: Probe): Promise<void> {
  if (conn.isOpen) await setState(ctx, conn, state, probe);
}

export interface SimSession {
  conn: Conn;
  initial: Record<string, unknown>;
  probe: Probe;
  /** what is put back when the case ends; a case that changes more adds to it */
  restore: SimState;
}

/** The case that checks the sentinel's command (load_experiment of an unknown name → error, A3). */
export const SENTINEL_CASE = 'ATH-SUBSCRIPTIONS-004';

/** Opens a connection, takes its initial_state and calibrates its sentinel (preconditions, not findings). */
export async function openSession(ctx: CaseContext): Promise<SimSession> {
  const conn = await ctx.connect();
  const initial = await expectInitialState(ctx, conn);
  const probe = new Probe(conn);
  ctx.precondition(
    await probe.sync(),
    'load_experiment of an unknown experiment got no final notification (error) within 2 s; the harness uses it to know when a command was processed',
    SENTINEL_CASE,
  );
  return { conn, initial, probe, restore: restoreState(initial) };
}

/**
 * A case that needs frames needs a model: a server whose initial_state says no experiment is
 * active (`active_experiment: null`, as the public backend at start-up) gets the first listed one
 * loaded. Not loadable → the case cannot run (precondition, see the load_experiment case).
 */
async function ensureExperiment(ctx: CaseContext, s: SimSession): Promise<void> {
  if (s.initial['active_experiment'] !== null) return;
  const name = experimentNames(s.initial)[0];
  ctx.precondition(
    name !== undefined,
    'no experiment is active and initial_state lists none to load',
    SENTINEL_CASE,
  );
  const from = command(s.conn, 'inference.load_experiment', { experiment_name: name });
  const answer = await waitFor(s.conn, from, isFinalNotification, LOAD_MS);
  ctx.precondition(
    answer && notificationStatus(answer.message) === 'success',
    `no experiment is active and load_experiment of the listed "${name}" did not succeed (${answer ? describe(answer.message) : `no final answer within ${LOAD_MS} ms`})`,
    SENTINEL_CASE,
  );
  ctx.note(`A0: no experiment was active; loaded "${name}" (it stays loaded: the seed has no unload)`);
}

/**
 * A0 for a case body: connect, take initial_state, calibrate the sentinel, set `need`, run `body`,
 * and put the simulation back (also when the body fails; on a fresh connection if the server
 * closed the case's one). The body may replace `conn`/`probe` (after a reconnect).
 */
export async function withSimulation(
  ctx: CaseContext,
  need: SimState,
  body: (s: SimSession) => Promise<void>,
  opts: { shared?: boolean } = {},
): Promise<void> {
  const session = await openSession(ctx);
  // A case that shares the simulation (`shares: 'atheria-sim'`) runs beside other readers that
  // also need it running: it must not pause it again at its end, however it found it.
  if (opts.shared) delete session.restore.running;
  try {
    // a case that plays or pauses the simulation needs one to run
    if (need.running !== undefined) await ensureExperiment(ctx, session);
    await setState(ctx, session.conn, need, session.probe);
    await body(session);
  } finally {
    try {
      let { conn, probe } = session;
      if (!conn.isOpen && !ctx.signal.aborted) ({ conn, probe } = await openSession(ctx));
      await restore(ctx, conn, session.restore, probe);
      if (conn !== session.conn) conn.close(1000);
    } catch (err) {
      ctx.note(
        `A0: restoring the simulation state failed: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
    if (session.conn.isOpen) session.conn.close(1000);
  }
}

function validFps(v: unknown): number | undefined {
  return typeof v === 'number' && v > 0 && v <= 120 ? v : undefined;
}

/** How long currentFps watches frames to measure their rate. */
export const RATE_WATCH_MS = 1200;

export interface ObservedFps {
  /**
   * what the frames say (simulation_info.fps): the median over the frames watched, so that a server
   * that reports its measured rate is read at its usual value, not at one jittery interval
   */
  reported?: number;
  /** frames per second measured over RATE_WATCH_MS (at least 3 frames), when measurable */
  measured?: number;
}

function median(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/** The fps the frames report and the rate they arrive at (the simulation must be running). */
export async function observeFps(s: SimSession, watchMs = RATE_WATCH_MS): Promise<ObservedFps> {
  const first = await nextFrame(s.conn, mark(s.conn), 2000);
  if (!first) return {};
  await idle(s.conn, watchMs);
  const frames = framesIn(s.conn.received, first.index - (first.binary ? 1 : 0));
  const out: ObservedFps = {};
  const stated = frames
    .map((f) => validFps(simInfoOf(f)?.['fps']))
    .filter((v): v is number => v !== undefined);
  const reported = median(stated);
  if (reported !== undefined) out.reported = reported;
  const last = frames[frames.length - 1];
  if (frames.length >= 3 && last && last.t > first.t)
    out.measured = ((frames.length - 1) * 1000) / (last.t - first.t);
  return out;
}

/**
 * The fps to put back after a case that changes it (issue 9 §6: never leave a lower fps than
 * found). What the server states (initial_state, the frames' median) wins over what the harness
 * measures from arrival times, which a loaded machine bunches up; the measured rate is used only
 * when the server states none. A stated value that is itself a measured rate sits a little below
 * the setting (timers fire late: 9.96 or 9.6 for 10, 29.4 for 30) and is rounded up; one a
 * little above it (10.1: a timer fired early) is not, so the setting drifts neither way.
 */
export function fpsToRestore(fromInitial: number | undefined, seen: ObservedFps): number | undefined {
  const stated = [fromInitial, seen.reported].filter((v): v is number => v !== undefined);
  const values = stated.length > 0 ? stated : [seen.measured].filter((v): v is number => v !== undefined);
  if (values.length === 0) return undefined;
  const found = Math.max(...values);
  // below 1 fps, tenths matter: 0.5 stays 0.5
  if (found < 1) return Math.ceil(found * 10 - 1e-6) / 10;
  return Math.min(120, Math.max(1, Math.ceil(found - 0.25)));
}

/** initial_state's simulation_info.fps, when it states a usable one. */
export function initialFps(s: SimSession): number | undefined {
  const info = s.initial['simulation_info'];
  return isRecord(info) ? validFps(info['fps']) : undefined;
}

/** The simulation's current fps (see fpsToRestore); undefined when nothing can be read. */
export async function currentFps(s: SimSession): Promise<number | undefined> {
  return fpsToRestore(initialFps(s), await observeFps(s));
}
