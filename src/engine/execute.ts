import type { CaseRun } from './context.js';
import { violationReason } from './schema-recv.js';
import type { CaseDefinition, ProtocolAdapter, RunConfig } from './types.js';

// One case from start to end: its body under a timeout, every connection closed afterwards, and
// a schema violation on any checked connection failing it (profile C5).

export interface ExecuteOptions {
  timeoutMs: number;
  /** aborted when the target is found down: the case ends at once with `stopReason()` */
  stop?: AbortSignal;
  stopReason(): string;
}

export async function executeCase(run: CaseRun, def: CaseDefinition, opts: ExecuteOptions): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  let onStop: (() => void) | undefined;
  const ended = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      run.outcome.record('fail', `timed out after ${opts.timeoutMs} ms`);
      resolve();
    }, opts.timeoutMs);
    onStop = () => {
      run.outcome.record('fail', opts.stopReason());
      resolve();
    };
    opts.stop?.addEventListener('abort', onStop, { once: true });
  });
  const body = (async () => {
    try {
      await def.run(run.context());
    } catch (err) {
      // After a timeout the case may still throw (its connections were closed): ignore that.
      if (!run.ended) run.outcome.recordThrown(err);
    }
  })();
  try {
    await Promise.race([body, ended]);
  } finally {
    clearTimeout(timer);
    if (onStop) opts.stop?.removeEventListener('abort', onStop);
    run.controller.abort('the case ended');
    await run.closeAll();
  }
  const first = run.checkedConns().flatMap((c) => c.violations)[0];
  if (first) run.outcome.record('fail', violationReason(first));
}

/**
 * C4 canary: the adapter's check through fresh connections recorded in the case's transcript.
 * Resolves null when healthy, else the reason; never takes longer than `limitMs`.
 */
export async function runCanary(
  run: CaseRun,
  adapter: ProtocolAdapter,
  config: RunConfig,
  limitMs: number,
): Promise<string | null> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      adapter.canary(run.canaryOpen, config),
      new Promise<string>((resolve) => {
        timer = setTimeout(() => resolve(`the canary did not finish within ${limitMs} ms`), limitMs);
      }),
    ]);
  } catch (err) {
    return `the canary threw: ${(err as Error).message}`;
  } finally {
    clearTimeout(timer);
    await run.closeAll(500);
  }
}
