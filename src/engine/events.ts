import type { CaseResult, Protocol, SuiteName, Target, TargetLimits } from './types.js';

// The engine's output is a stream of events; reporters (reports/) and the terminal progress
// consume them and never reach into the runner.

export interface Summary {
  pass: number;
  fail: number;
  nonStrict: number;
  informational: number;
  unimplemented: number;
  /** cases that could not be judged (precondition not met, target down, harness error) */
  error: number;
}

/** Everything a reporter needs about a finished run. */
export interface RunRecord {
  startedAt: string;
  durationMs: number;
  seed: number;
  runs: number;
  targets: Target[];
  summary: Summary;
  results: CaseResult[];
  /** inputs of the run (never the JWT secret itself) */
  inputs: {
    jwtSecret: boolean;
    originAllowed?: string;
    limits: TargetLimits;
    /** the binary formats the target offers (--binary-formats) */
    binaryFormats?: ('msgpack' | 'cbor')[];
  };
}

export type EngineEvent =
  | { type: 'run-start'; startedAt: string; seed: number; targets: Target[]; total: number }
  | {
      type: 'case-start';
      id: string;
      protocol: Protocol;
      suite: SuiteName;
      target: string;
      started: number;
      total: number;
    }
  | { type: 'case-end'; result: CaseResult; done: number; total: number }
  | { type: 'run-end'; run: RunRecord };

export type EngineListener = (event: EngineEvent) => void;

export class EventBus {
  private readonly listeners: EngineListener[] = [];

  on(listener: EngineListener): this {
    this.listeners.push(listener);
    return this;
  }

  emit(event: EngineEvent): void {
    for (const l of this.listeners) {
      try {
        l(event);
      } catch (err) {
        // A broken consumer (e.g. a progress line on a closed terminal) must not stop the run.
        process.emitWarning(`wsconform: an event listener failed: ${(err as Error).message}`);
      }
    }
  }
}

export function summarize(results: readonly CaseResult[]): Summary {
  const s: Summary = { pass: 0, fail: 0, nonStrict: 0, informational: 0, unimplemented: 0, error: 0 };
  for (const r of results) {
    if (r.verdict === 'non-strict') s.nonStrict++;
    else s[r.verdict]++;
  }
  return s;
}
