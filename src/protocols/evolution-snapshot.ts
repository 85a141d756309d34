import type { CaseContext } from '../engine/types.js';
import { nextUpdate } from './evolution-observe.js';
import { connectAuthed, control, ensureRunning, subscribe } from './evolution-session.js';
import { type Restoration, restoreWith, type Snapshot, type StateOps } from './state-snapshot.js';

// Issue 9 §6 for Evolution (E6: one run shared by every connection): running or not, observed as
// whether evolution_updates reach an authenticated `evolution` subscriber (E6: at least one per
// second while running). Paused and stopped look alike; a run found not running is put back with
// `pause` (a stopped run then ends paused, which is as quiet). Needs the target's JWT secret.

export type EvolutionState = { running: boolean };

/** How long the snapshot waits for an evolution_update: twice E6's one per second, and some slack. */
export const LOOK_MS = 3000;

/** The user of the state connections (E10 counts connections per user: not a case's user). */
const SUB = 'wsconform-target-state';

/** Whether the shared run is running; changes nothing. */
export async function snapshot(ctx: CaseContext, lookMs = LOOK_MS): Promise<Snapshot<EvolutionState>> {
  if (!ctx.config.jwtSecret) {
    return {
      state: {},
      unobserved: ['running: the run has no --jwt-secret, so no evolution subscriber can authenticate'],
    };
  }
  const conn = await connectAuthed(ctx, { sub: SUB });
  try {
    await subscribe(ctx, conn, { channels: ['evolution'] });
    return { state: { running: (await nextUpdate(conn, lookMs)) !== null }, unobserved: [] };
  } finally {
    conn.close(1000);
  }
}

/** Sets the run's state with a valid transition (E6): resume (or start), or pause. */
export async function apply(ctx: CaseContext, state: Partial<EvolutionState>): Promise<void> {
  if (state.running === undefined) return;
  const conn = await connectAuthed(ctx, { sub: SUB });
  try {
    if (state.running) ctx.require(await ensureRunning(conn), 'resume and start were both refused');
    else {
      const errors = await control(conn, 'pause');
      ctx.require(errors.length === 0, `pause was refused: ${errors.map((e) => e.text ?? '').join('; ')}`);
    }
  } finally {
    conn.close(1000);
  }
}

export const evolutionStateOps: StateOps<EvolutionState> = { snapshot: (ctx) => snapshot(ctx), apply };

/** Puts back what `snapshot` found: only when it differs now, verified by a second look. */
export function restore(
  ctx: CaseContext,
  found: Partial<EvolutionState>,
): Promise<Restoration<EvolutionState>> {
  return restoreWith(evolutionStateOps, ctx, found);
}
