import type { CaseContext, Target } from '../engine/types.js';

// Issue 9 §6 "Leave the target as you found it": the observable state of a shared-state target,
// taken at the start of a run and put back at its end. Each protocol (atheria-snapshot.ts,
// evolution-snapshot.ts) says what it can observe and how to set it; this file holds what they
// share: the shapes and the restore procedure (look again, set only what differs, verify).

/** A protocol's observable state: only the fields that could be observed are present. */
export type ObservedState = Record<string, string | number | boolean>;

export interface Snapshot<S extends ObservedState = ObservedState> {
  state: Partial<S>;
  /** what could not be observed, one phrase each ("fps: paused and initial_state has no simulation_info") */
  unobserved: string[];
}

export interface StateOps<S extends ObservedState> {
  /** observes the state on fresh connections, changing nothing */
  snapshot(ctx: CaseContext): Promise<Snapshot<S>>;
  /** sets `state` (only the fields given) on a fresh connection */
  apply(ctx: CaseContext, state: Partial<S>): Promise<void>;
}

export interface Restoration<S extends ObservedState = ObservedState> {
  /** the state found at the end of the run, before restoring */
  end: Partial<S>;
  /** what was set: the fields of the snapshot that differed at the end or could not be observed then */
  set: Partial<S>;
  /** observed after setting (absent when nothing had to be set) */
  after?: Partial<S>;
  /** fields set whose value could not be observed afterwards */
  unverified: string[];
  /** fields that are still not as found */
  differ: string[];
}

/** The fields of `found` that `now` does not show with the same value (unknown counts as different). */
export function differences<S extends ObservedState>(found: Partial<S>, now: Partial<S>): Partial<S> {
  const out: Partial<S> = {};
  for (const key of Object.keys(found) as (keyof S)[]) {
    if (found[key] !== undefined && now[key] !== found[key]) out[key] = found[key];
  }
  return out;
}

/** Puts `found` back: look at the state now, set only what differs, and look again to verify. */
export async function restoreWith<S extends ObservedState>(
  ops: StateOps<S>,
  ctx: CaseContext,
  found: Partial<S>,
): Promise<Restoration<S>> {
  const end = (await ops.snapshot(ctx)).state;
  const set = differences(found, end);
  const keys = Object.keys(set);
  if (keys.length === 0) return { end, set, unverified: [], differ: [] };
  await ops.apply(ctx, set);
  const after = (await ops.snapshot(ctx)).state;
  const unverified = keys.filter((k) => after[k] === undefined);
  const differ = keys.filter((k) => after[k] !== undefined && after[k] !== set[k]);
  return { end, set, after, unverified, differ };
}

/** What a run found and did about a target's state: report.json `targets[].state` (cli/target-state.ts). */
export interface TargetStateReport {
  /** found: restored (something had to be set and now is as found), unchanged (nothing to set),
   * not-restored (setting failed or the state still differs), not-observed (nothing observable) */
  outcome: 'restored' | 'unchanged' | 'not-restored' | 'not-observed';
  /** the observable state at the start of the run */
  found: ObservedState;
  /** what could not be observed at the start, and why */
  unobserved?: string[];
  /** the state at the end of the run, before restoring */
  end?: ObservedState;
  /** what the restore set */
  set?: ObservedState;
  /** the state after restoring */
  after?: ObservedState;
  /** why the state could not be observed or restored, or what is left unverified */
  reason?: string;
  /** the signal that interrupted the run, when restored after one */
  interrupted?: string;
}

export interface TargetWithState extends Target {
  state?: TargetStateReport;
}
