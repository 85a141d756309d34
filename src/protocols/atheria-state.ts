import type { CaseContext, Conn } from '../engine/types.js';
import { command, expectInferenceStatus, expectInitialState } from './atheria-commands.js';
import { nextFrame, simInfoOf } from './atheria-frames.js';
import { Probe } from './atheria-probe.js';
import { isRecord, mark } from './atheria-wait.js';

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
    const from = command(conn, state.running ? 'inference.play' : 'inference.pause');
    // the status update, when the server sends one, is the usual sign that the command took effect
    await expectInferenceStatus(conn, from, undefined, 1000);
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

/** Opens a connection, takes its initial_state and calibrates its sentinel. */
export async function openSession(ctx: CaseContext): Promise<SimSession> {
  const conn = await ctx.connect();
  const initial = await expectInitialState(ctx, conn);
  const probe = new Probe(conn);
  ctx.require(
    await probe.sync(),
    'A3: load_experiment of an unknown experiment got no notification within 2 s; the harness uses it to know a command was processed',
  );
  return { conn, initial, probe, restore: restoreState(initial) };
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

/** The fps put back when the server's own value cannot be read (the reference server's default). */
export const FALLBACK_FPS = 30;

function validFps(v: unknown): number | undefined {
  return typeof v === 'number' && v > 0 && v <= 120 ? v : undefined;
}

/**
 * The simulation's current fps, to restore after a case that changes it: from
 * initial_state.simulation_info (an extra field some servers send, C6), else from the next frame's
 * simulation_info, else FALLBACK_FPS.
 */
export async function currentFps(s: SimSession): Promise<number> {
  const info = s.initial['simulation_info'];
  const fromInitial = isRecord(info) ? validFps(info['fps']) : undefined;
  if (fromInitial !== undefined) return fromInitial;
  const frame = await nextFrame(s.conn, mark(s.conn), 1000);
  const fromFrame = frame ? validFps(simInfoOf(frame)?.['fps']) : undefined;
  return fromFrame ?? FALLBACK_FPS;
}
