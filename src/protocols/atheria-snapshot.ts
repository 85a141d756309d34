import type { CaseContext } from '../engine/types.js';
import { isBinaryFormat } from './atheria-binary.js';
import { connectAtheria } from './atheria-commands.js';
import { nextFrame, simInfoOf } from './atheria-frames.js';
import { setState } from './atheria-state.js';
import { isRecord } from './atheria-wait.js';
import { type Restoration, restoreWith, type Snapshot, type StateOps } from './state-snapshot.js';

// Issue 9 §6 for Atheria (A0: one simulation may be shared by every connection): what a fresh
// connection can see of the simulation without changing it — initial_state (inference_status, and
// the simulation_info some servers add, C6) and a short look at the frames it receives (their
// simulation_info, viz_type, JSON or binary) — and how to put it back (setState, A3 commands).
// A field that cannot be observed is not restored: in particular no fps is ever set that was not
// read from the target, so the run never leaves a lower fps than it found.

export type AtheriaState = {
  running: boolean;
  fps: number;
  liveFeed: boolean;
  viz: string;
  /** the format of the frames a fresh connection gets; false for JSON frames */
  binary: false | 'msgpack' | 'cbor';
};

/** How long the snapshot watches a fresh connection for a frame (at ≥ 1 fps one comes in time). */
export const LOOK_MS = 1500;

function readInfo(info: unknown, state: Partial<AtheriaState>): void {
  if (!isRecord(info)) return;
  const fps = info['fps'];
  if (typeof fps === 'number' && fps > 0 && fps <= 120) state.fps = fps;
  const live = info['live_feed_enabled'];
  if (typeof live === 'boolean') state.liveFeed = live;
}

/** The simulation's observable state, seen on one fresh connection; changes nothing. */
export async function snapshot(ctx: CaseContext, lookMs = LOOK_MS): Promise<Snapshot<AtheriaState>> {
  const { conn, initial } = await connectAtheria(ctx);
  try {
    const state: Partial<AtheriaState> = {};
    const unobserved: string[] = [];
    const status = initial['inference_status'];
    if (status === 'running') state.running = true;
    else if (status === 'paused' || status === 'idle') state.running = false;
    else unobserved.push('running: initial_state has no inference_status');
    readInfo(initial['simulation_info'], state);
    if (state.running === false) {
      if (state.fps === undefined)
        unobserved.push('fps: paused, and initial_state has no simulation_info.fps');
      unobserved.push('viz, binary: paused, no frame to look at');
    } else {
      const frame = await nextFrame(conn, 0, lookMs);
      if (frame) {
        // a frame is the most direct observation of the running simulation
        readInfo(simInfoOf(frame), state);
        const viz = frame.payload?.['viz_type'];
        if (typeof viz === 'string') state.viz = viz;
        else unobserved.push('viz: frames carry no viz_type');
        if (!frame.binary) state.binary = false;
        else if (isBinaryFormat(frame.format)) state.binary = frame.format;
        if (state.fps === undefined) unobserved.push('fps: frames carry no simulation_info.fps');
      } else {
        if (state.fps === undefined) unobserved.push(`fps: no simulation_frame within ${lookMs} ms`);
        unobserved.push(`viz, binary: no simulation_frame within ${lookMs} ms`);
      }
    }
    if (state.liveFeed === undefined) unobserved.push('liveFeed: no simulation_info.live_feed_enabled seen');
    return { state, unobserved };
  } finally {
    conn.close(1000);
  }
}

/** Sets `state` on a fresh connection (setState: live feed, fps, viz, binary, then play/pause). */
export async function apply(ctx: CaseContext, state: Partial<AtheriaState>): Promise<void> {
  const { conn } = await connectAtheria(ctx);
  try {
    await setState(ctx, conn, state);
  } finally {
    conn.close(1000);
  }
}

export const atheriaStateOps: StateOps<AtheriaState> = { snapshot: (ctx) => snapshot(ctx), apply };

/** Puts back what `snapshot` found: only what differs now, verified by a second look. */
export function restore(ctx: CaseContext, found: Partial<AtheriaState>): Promise<Restoration<AtheriaState>> {
  return restoreWith(atheriaStateOps, ctx, found);
}
