import type { CaseRun } from './context.js';
import { violationReason } from './schema-recv.js';
import type { CanaryFailure, CaseDefinition, ProtocolAdapter, RunConfig } from './types.js';

// One case from start to end: its body under a timeout, every connection closed afterwards, and
// the schema violations (C5) and per-connection invariant breaks (A5, E4) of the message types the
// case checks (`validates`) or of the messages it claimed, kept as its findings. Any other
// violation — in another case's broadcast, a periodic event, or a reply a case of another rule
// merely read — is no finding of this case (one defect, one failing rule): the run-wide
// `…-SCHEMA-RECV-…` results report it, with the case in which it first arrived.

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
      run.outcome.find('must', `the case did not finish within ${opts.timeoutMs} ms: the target stalled`);
      resolve();
    }, opts.timeoutMs);
    onStop = () => {
      run.outcome.endAs('error', opts.stopReason());
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
  const validates = new Set(def.validates ?? []);
  for (const conn of run.checkedConns()) {
    for (const v of conn.violations) {
      const own = (v.index !== undefined && conn.wasClaimed(v.index)) || validates.has(v.messageType);
      if (own) run.outcome.find(v.level ?? 'must', violationReason(v), v.rule ?? 'C5');
    }
  }
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
): Promise<CanaryFailure | null> {
  let timer: NodeJS.Timeout | undefined;
  const see = adapter.preconditionCases.handshake;
  try {
    return await Promise.race([
      adapter.canary(run.canaryOpen, config),
      new Promise<CanaryFailure>((resolve) => {
        timer = setTimeout(
          () => resolve({ reason: `the canary did not finish within ${limitMs} ms`, see }),
          limitMs,
        );
      }),
    ]);
  } catch (err) {
    return { reason: `the canary threw: ${(err as Error).message}`, see };
  } finally {
    clearTimeout(timer);
    await run.closeAll(500);
  }
}
