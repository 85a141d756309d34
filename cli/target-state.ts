import { CaseRun } from '../src/engine/context.js';
import type { RunRecord } from '../src/engine/events.js';
import type { CaseContext, Protocol, ProtocolAdapter, RunConfig, Target } from '../src/engine/types.js';
import type {
  ObservedState,
  Restoration,
  Snapshot,
  TargetStateReport,
  TargetWithState,
} from '../src/protocols/state-snapshot.js';

export type { TargetStateReport, TargetWithState } from '../src/protocols/state-snapshot.js';

// Issue 9 §6 "Leave the target as you found it": around a run against a target the user runs (a
// shared simulation, a shared evolution run), snapshot the observable state first and put it back
// at the end — after failing cases, after a harness error, and after Ctrl-C / SIGTERM (restore,
// then exit 130 / 143). What was found and what was done is reported per target (report.json
// `targets[].state`). A target the run started itself (embedded server, container) is left alone.

interface StateModule {
  snapshot(ctx: CaseContext): Promise<Snapshot>;
  restore(ctx: CaseContext, found: ObservedState): Promise<Restoration>;
}

/** generic: a WebSocket endpoint without application state, nothing to keep */
const MODULES: Partial<Record<Protocol, () => Promise<StateModule>>> = {
  atheria: async () => (await import('../src/protocols/atheria-snapshot.js')) as unknown as StateModule,
  evolution: async () => (await import('../src/protocols/evolution-snapshot.js')) as unknown as StateModule,
};

export interface Signals {
  on(signal: 'SIGINT' | 'SIGTERM', listener: (signal: NodeJS.Signals) => void): unknown;
  off(signal: 'SIGINT' | 'SIGTERM', listener: (signal: NodeJS.Signals) => void): unknown;
}

export interface TargetStateOptions {
  targets: readonly Target[];
  /** false when the run started the targets itself: nothing else uses them, nothing to keep */
  active: boolean;
  adapters: Partial<Record<Protocol, ProtocolAdapter>>;
  configFor(target: Target): RunConfig;
  io: { stdout: { write(text: string): unknown }; stderr: { write(text: string): unknown } };
  quiet?: boolean;
  /**
   * where SIGINT / SIGTERM come from (default: process); null: no signal handling (a library
   * caller, e.g. the programmatic API, keeps its process's signals to itself)
   */
  signals?: Signals | null;
  /** how the process ends after an interrupt (default: process.exit) */
  exit?: (code: number) => void;
  /** called first on SIGINT / SIGTERM: stops the running cases before the state is restored */
  onInterrupt?: (signal: NodeJS.Signals) => void;
}

/** Thrown by withTargetState after an interrupt when `exit` returned (tests). */
export class Interrupted extends Error {
  override name = 'Interrupted';
  constructor(
    readonly signal: NodeJS.Signals,
    readonly states: ReadonlyMap<string, TargetStateReport>,
  ) {
    super(`interrupted by ${signal}`);
  }
}

const exitCode = (signal: NodeJS.Signals): number => (signal === 'SIGINT' ? 130 : 143);

const message = (err: unknown): string =>
  (err instanceof Error ? err.message : String(err)).split('\n')[0] ?? '';

/** Runs `fn` (the cases) between a snapshot of every target's state and its restoration. */
export async function withTargetState(
  opts: TargetStateOptions,
  fn: () => Promise<RunRecord>,
): Promise<RunRecord> {
  if (!opts.active || !opts.targets.some((t) => MODULES[t.protocol])) return fn();
  const signals: Signals = opts.signals === null ? { on() {}, off() {} } : (opts.signals ?? process);
  const exit = opts.exit ?? ((code: number) => process.exit(code));

  // a context per look, so that every connection is closed afterwards whatever happened
  const withContext = async <T>(target: Target, body: (ctx: CaseContext) => Promise<T>): Promise<T> => {
    const adapter = opts.adapters[target.protocol] as ProtocolAdapter;
    const run = new CaseRun('(target state)', target, opts.configFor(target), adapter);
    try {
      return await body(run.context());
    } finally {
      await run.closeAll(500);
    }
  };

  const snapshots = Promise.all(
    opts.targets.map(async (t) => {
      try {
        const load = MODULES[t.protocol];
        if (!load) throw new Error('a generic target has no application state');
        const mod = await load();
        return { target: t, mod, snap: await withContext(t, (ctx) => mod.snapshot(ctx)) };
      } catch (err) {
        return { target: t, error: message(err) };
      }
    }),
  );

  let restoring: Promise<Map<string, TargetStateReport>> | undefined;
  const restoreAll = (interrupted?: NodeJS.Signals) => {
    restoring ??= snapshots.then(async (taken) => {
      const states = new Map<string, TargetStateReport>();
      await Promise.all(
        taken.map(async (s) => {
          const report = await restoreOne(s, withContext, interrupted ? INTERRUPT_PASSES : 1);
          if (interrupted) report.interrupted = interrupted;
          states.set(s.target.url, report);
        }),
      );
      return states;
    });
    return restoring;
  };

  let interrupted: NodeJS.Signals | undefined;
  let afterInterrupt: Promise<Map<string, TargetStateReport>> | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    if (interrupted) {
      // a second Ctrl-C: leave at once, without waiting for the restore
      exit(exitCode(signal));
      return;
    }
    interrupted = signal;
    opts.onInterrupt?.(signal);
    opts.io.stderr.write(
      `wsconform: ${signal}: putting the target state back as it was found, then exiting\n`,
    );
    afterInterrupt = restoreAll(signal).then(
      (states) => {
        for (const [url, s] of states) opts.io.stderr.write(`${stateLine(url, s)}\n`);
        exit(exitCode(signal));
        return states;
      },
      (err: unknown) => {
        opts.io.stderr.write(`wsconform: restoring the target state failed: ${message(err)}\n`);
        exit(exitCode(signal));
        return new Map<string, TargetStateReport>();
      },
    );
  };
  signals.on('SIGINT', onSignal);
  signals.on('SIGTERM', onSignal);
  try {
    await snapshots;
    let record: RunRecord;
    try {
      record = await fn();
    } finally {
      // after failing cases and after a harness error alike
      await restoreAll(interrupted).catch(() => undefined);
    }
    if (interrupted && afterInterrupt) throw new Interrupted(interrupted, await afterInterrupt);
    const states = await restoreAll();
    if (!opts.quiet) for (const [url, s] of states) opts.io.stdout.write(`${stateLine(url, s)}\n`);
    return {
      ...record,
      targets: record.targets.map((t): TargetWithState => {
        const state = states.get(t.url);
        return state ? { ...t, state } : t;
      }),
    };
  } finally {
    signals.off('SIGINT', onSignal);
    signals.off('SIGTERM', onSignal);
  }
}

type Taken = { target: Target; mod: StateModule; snap: Snapshot } | { target: Target; error: string };

/**
 * After an interrupt the cases still running may change the state again while it is put back (the
 * runner has no way to stop them): look again after a moment and set what differs, a few times.
 */
const INTERRUPT_PASSES = 3;
const SETTLE_MS = 1000;

async function restoreOne(
  s: Taken,
  withContext: <T>(target: Target, body: (ctx: CaseContext) => Promise<T>) => Promise<T>,
  passes = 1,
): Promise<TargetStateReport> {
  if ('error' in s) return { outcome: 'not-observed', found: {}, reason: `the snapshot failed: ${s.error}` };
  const { snap, mod } = s;
  const found = snap.state as ObservedState;
  const base: TargetStateReport = { outcome: 'unchanged', found };
  if (snap.unobserved.length) base.unobserved = snap.unobserved;
  if (Object.keys(found).length === 0)
    return { ...base, outcome: 'not-observed', reason: snap.unobserved.join('; ') || 'nothing observable' };
  try {
    const first = await withContext(s.target, (ctx) => mod.restore(ctx, found));
    let last = first;
    const set = { ...first.set } as ObservedState;
    for (let pass = 1; pass < passes && Object.keys(last.set).length > 0; pass++) {
      await new Promise((r) => setTimeout(r, SETTLE_MS));
      last = await withContext(s.target, (ctx) => mod.restore(ctx, found));
      Object.assign(set, last.set);
    }
    const report: TargetStateReport = { ...base, end: first.end as ObservedState };
    if (Object.keys(set).length === 0) return report;
    report.set = set;
    const after = last.after ?? last.end;
    if (after) report.after = after as ObservedState;
    if (last.differ.length) {
      report.outcome = 'not-restored';
      report.reason = `still differs after restoring: ${last.differ.join(', ')}`;
    } else {
      report.outcome = 'restored';
      if (last.unverified.length)
        report.reason = `set but not observable afterwards: ${last.unverified.join(', ')}`;
    }
    return report;
  } catch (err) {
    return { ...base, outcome: 'not-restored', reason: `restoring failed: ${message(err)}` };
  }
}

function show(state: ObservedState | undefined): string {
  const entries = Object.entries(state ?? {});
  return entries.length ? entries.map(([k, v]) => `${k} ${String(v)}`).join(', ') : 'nothing';
}

/** One line for the terminal: what was found and what became of it. */
export function stateLine(url: string, s: TargetStateReport): string {
  const head = `target state of ${url}: found ${show(s.found)}`;
  switch (s.outcome) {
    case 'unchanged':
      return `${head}; unchanged at the end`;
    case 'restored':
      return `${head}; restored (set ${show(s.set)})${s.reason ? ` — ${s.reason}` : ''}`;
    case 'not-restored':
      return `${head}; NOT restored: ${s.reason ?? ''}`;
    case 'not-observed':
      return `target state of ${url}: not observed (${s.reason ?? ''}), not restored`;
  }
}
