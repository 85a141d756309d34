import { CaseRun } from './context.js';
import { EventBus, type RunRecord, summarize } from './events.js';
import { executeCase, runCanary } from './execute.js';
import { runPool } from './pool.js';
import { ReceivedLog, type SynthesizedSpec, synthesizedCases } from './schema-recv.js';
import type { CaseDefinition, CaseResult, Protocol, ProtocolAdapter, RunConfig, Target } from './types.js';

// Runs cases against targets: a pool of concurrent cases, exclusive groups never at the same time
// on one server, a timeout per case, the C4 canary after every hostile case, and a target that
// stops answering ends the run for that target at once instead of timing out case by case.

export interface RunOptions {
  targets: readonly Target[];
  cases: readonly CaseDefinition[];
  adapters: Partial<Record<Protocol, ProtocolAdapter>>;
  config: RunConfig;
  /** per-target inputs where they differ from `config` (e.g. limits of one protocol) */
  configFor?: (target: Target) => RunConfig;
  bus?: EventBus;
  /** cases at a time, default 6 */
  concurrency?: number;
  /** multiplies every case timeout (slow machines, remote targets), default 1 */
  timeoutScale?: number;
  /** the server message types of a protocol, for the C5 summary cases; none without it */
  serverMessageTypes?: (protocol: Protocol) => readonly string[];
  /** which synthesized C5 summary cases to report (the run's --suite / --case filters) */
  includeSynthesized?: (id: string, suite: 'schema') => boolean;
  /** pause before the second canary that decides whether the target is down, default 1000 ms */
  canaryRetryMs?: number;
  /** the longest a canary may take before it counts as failed, default 5000 ms */
  canaryTimeoutMs?: number;
  /** aborted (with a reason) to stop the run: running cases end at once, the rest are not run (error) */
  signal?: AbortSignal;
}

export const DEFAULT_CASE_TIMEOUT_MS = 10_000;

interface Job {
  def: CaseDefinition;
  target: Target;
  /** group key: the group on this server (host:port) */
  group?: string;
  shared?: boolean;
  host: string;
  alone?: boolean;
}

export async function runCases(opts: RunOptions): Promise<RunRecord> {
  const bus = opts.bus ?? new EventBus();
  const concurrency = Math.max(1, opts.concurrency ?? 6);
  const scale = opts.timeoutScale ?? 1;
  const baseConfig = opts.configFor ?? (() => opts.config);
  // the cases' own waits for what they need (a precondition, an upgrade) follow --timeout-scale too
  const configFor = (target: Target): RunConfig =>
    scale === 1 ? baseConfig(target) : { ...baseConfig(target), timeoutScale: scale };
  const specOf = (protocol: Protocol): SynthesizedSpec | undefined => {
    const adapter = opts.adapters[protocol];
    if (!adapter || !opts.serverMessageTypes) return undefined;
    return {
      protocol,
      types: opts.serverMessageTypes(protocol),
      invariants: adapter.invariants,
      extraRule: adapter.extraTypesRule,
    };
  };
  const received = new ReceivedLog(specOf);
  const include = opts.includeSynthesized ?? (() => true);
  const startedAt = new Date().toISOString();
  const t0 = performance.now();

  for (const t of opts.targets) {
    if (!opts.adapters[t.protocol]) throw new Error(`no protocol adapter for ${t.protocol}`);
  }
  const jobs: Job[] = [];
  for (const def of opts.cases) {
    for (const target of opts.targets) {
      if (def.protocol !== target.protocol) continue;
      // A hostile case has its server to itself (C4): a crash or stall it causes is judged by its
      // canary, never blamed on a case that happened to run beside it.
      const job: Job = { def, target, host: new URL(target.url).host };
      if (def.hostile) job.alone = true;
      if (def.exclusive) job.group = `${new URL(target.url).host} ${def.exclusive}`;
      else if (def.shares) {
        job.group = `${new URL(target.url).host} ${def.shares}`;
        job.shared = true;
      }
      jobs.push(job);
    }
  }
  // the progress header counts every result the run will produce, the synthesized ones included
  const synthesizedCount = opts.targets.reduce((n, t) => {
    const spec = specOf(t.protocol);
    return n + (spec ? synthesizedCases(spec).filter((c) => include(c.id, 'schema')).length : 0);
  }, 0);
  const total = jobs.length + synthesizedCount;
  bus.emit({ type: 'run-start', startedAt, seed: opts.config.seed, targets: [...opts.targets], total });

  // One controller per target, aborted (with the reason) when the target is found down: its
  // running cases end at once and its remaining cases fail without running.
  const downControllers = new Map(opts.targets.map((t) => [t.url, new AbortController()]));
  const stopAll = () => {
    for (const c of downControllers.values()) if (!c.signal.aborted) c.abort(String(opts.signal?.reason));
  };
  if (opts.signal?.aborted) stopAll();
  else opts.signal?.addEventListener('abort', stopAll, { once: true });
  const downReason = (url: string): string | undefined => {
    const signal = downControllers.get(url)?.signal;
    return signal?.aborted ? String(signal.reason) : undefined;
  };
  const results = new Map<Job, CaseResult>();
  let started = 0;

  // The C4 canary is the instrument of every hostile case; it is calibrated once per target before
  // any case runs. A target that fails it from the start (no initial_state, no pong, a broken
  // handshake) has that defect found by the case that checks it; its C4 cases end `error`, since
  // the canary cannot tell a crash from the defect it already has.
  //
  // A target whose canary cannot even complete a WebSocket upgrade (twice, a second apart) has that
  // found by the handshake cases, which run; every other case needs an upgrade and ends `error`
  // at once, instead of each waiting out its own upgrade timeout (a silent target would otherwise
  // take minutes to report what its first case already knows).
  const brokenCanary = new Map<string, string>();
  const noUpgrade = new Map<string, { reason: string; see: string }>();
  await Promise.all(
    opts.targets.map(async (target) => {
      if (!jobs.some((j) => j.target === target)) return;
      const adapter = opts.adapters[target.protocol] as ProtocolAdapter;
      const probe = new CaseRun('(canary)', target, configFor(target), adapter);
      const limit = (opts.canaryTimeoutMs ?? 5000) * scale;
      let failure = await runCanary(probe, adapter, configFor(target), limit);
      if (failure?.upgradeFailed) {
        await new Promise((r) => setTimeout(r, opts.canaryRetryMs ?? 1000));
        failure = await runCanary(probe, adapter, configFor(target), limit);
      }
      if (!failure) return;
      brokenCanary.set(
        target.url,
        `precondition not met: the C4 canary fails before any hostile case (${failure.reason}), see ${failure.see}`,
      );
      if (failure.upgradeFailed)
        noUpgrade.set(target.url, {
          reason: `precondition not met: the target completes no WebSocket upgrade (${failure.reason}), see ${failure.see}`,
          see: failure.see,
        });
    }),
  );

  const finish = (job: Job, result: CaseResult) => {
    results.set(job, result);
    bus.emit({ type: 'case-end', result, done: results.size, total });
  };

  const execute = async (job: Job): Promise<CaseResult> => {
    const { def, target } = job;
    const adapter = opts.adapters[target.protocol] as ProtocolAdapter;
    const config = configFor(target);
    const run = new CaseRun(def.id, target, config, adapter, def.rule);
    const t1 = performance.now();
    bus.emit({
      type: 'case-start',
      id: def.id,
      protocol: def.protocol,
      suite: def.suite,
      target: target.url,
      started: ++started,
      total,
    });
    // A hostile case whose canary cannot judge it is not run at all: its input would change the
    // target for nothing.
    const canaryBroken = def.hostile ? brokenCanary.get(target.url) : undefined;
    if (canaryBroken) return notJudged(job, canaryBroken);
    const upgradeBroken = noUpgrade.get(target.url);
    if (upgradeBroken && def.suite !== 'handshake' && def.id !== upgradeBroken.see)
      return notJudged(job, upgradeBroken.reason);
    await executeCase(run, def, {
      timeoutMs: Math.round((def.timeoutMs ?? DEFAULT_CASE_TIMEOUT_MS) * scale),
      stop: downControllers.get(target.url)?.signal,
      stopReason: () => downReason(target.url) ?? 'the target stopped answering',
    });
    received.record(target, def.id, run.checkedConns());
    const durationMs = Math.round(performance.now() - t1);

    // C4: after a hostile case a fresh connection must still complete a handshake and a heartbeat;
    // when a second canary a moment later fails too, the target is down.
    if (def.hostile && downReason(target.url) === undefined) {
      const limit = (opts.canaryTimeoutMs ?? 5000) * scale;
      const failure = await runCanary(run, adapter, config, limit);
      if (failure) {
        run.outcome.find('must', `canary after the case: ${failure.reason}`, 'C4');
        await new Promise((r) => setTimeout(r, opts.canaryRetryMs ?? 1000));
        const again =
          downReason(target.url) === undefined ? await runCanary(run, adapter, config, limit) : null;
        if (again && downReason(target.url) === undefined) {
          downControllers
            .get(target.url)
            ?.abort(`the target stopped answering after ${def.id}: ${again.reason}`);
        }
      }
    }
    return resultOf(job, run, durationMs);
  };

  await runPool(jobs, {
    concurrency,
    execute: (job) =>
      execute(job).catch((err: unknown) =>
        notJudged(job, `internal error of the harness: ${(err as Error).message}`),
      ),
    skip(job) {
      const reason = downReason(job.target.url);
      return reason === undefined ? undefined : notJudged(job, reason);
    },
    onDone: finish,
  });

  opts.signal?.removeEventListener('abort', stopAll);
  const ordered = jobs.map((j) => results.get(j) as CaseResult);
  if (opts.serverMessageTypes) {
    for (const target of opts.targets) {
      for (const result of received.results(target).filter((r) => include(r.id, 'schema'))) {
        ordered.push(result);
        bus.emit({ type: 'case-end', result, done: ordered.length, total });
      }
    }
  }
  const record: RunRecord = {
    startedAt,
    durationMs: Math.round(performance.now() - t0),
    seed: opts.config.seed,
    runs: opts.config.runs,
    targets: [...opts.targets],
    summary: summarize(ordered),
    results: ordered,
    inputs: { jwtSecret: Boolean(opts.config.jwtSecret), limits: opts.config.limits },
  };
  if (opts.config.originAllowed !== undefined) record.inputs.originAllowed = opts.config.originAllowed;
  if (opts.config.binaryFormats) record.inputs.binaryFormats = [...opts.config.binaryFormats];
  bus.emit({ type: 'run-end', run: record });
  return record;
}

function baseResult(job: Job): Omit<CaseResult, 'verdict' | 'durationMs' | 'transcript' | 'findings'> {
  const { def, target } = job;
  return {
    id: def.id,
    protocol: def.protocol,
    suite: def.suite,
    rule: def.rule,
    title: def.title,
    target: target.url,
    ...(def.refs && { refs: def.refs }),
  };
}

/** A case that could not be judged: its target is down, or the harness failed. */
function notJudged(job: Job, reason: string): CaseResult {
  return { ...baseResult(job), verdict: 'error', durationMs: 0, reason, findings: [], transcript: [] };
}

function resultOf(job: Job, run: CaseRun, durationMs: number): CaseResult {
  const { verdict, reason } = run.outcome.result();
  const result: CaseResult = {
    ...baseResult(job),
    verdict,
    durationMs,
    findings: [...run.outcome.findings],
    transcript: run.transcript.snapshot(),
  };
  if (reason !== undefined) result.reason = reason;
  if (run.counterexample) {
    result.counterexample = run.counterexample.value;
    result.seed = run.config.seed;
  }
  const notes = run.transcript.notesSnapshot();
  if (notes.length) result.notes = notes;
  return result;
}
