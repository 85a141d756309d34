import { readFileSync } from 'node:fs';
import { runCases } from '../src/engine/runner.js';
import type { CaseResult, Finding, Protocol, RunConfig, TargetLimits } from '../src/engine/types.js';
import { parseProtocol, parseWsUrl } from './args.js';
import { failsRun } from '../src/engine/outcome.js';
import { requireReachable } from './run.js';
import { defaultDeps, type RunDeps, setupTargets } from './run-setup.js';
import { parseFlags, UsageError } from '../src/util/usage.js';

// `wsconform replay REPORT.json CASE_ID`: re-runs one case of a report against the report's target
// with the report's seed, prints its verdict, reason and transcript; exits as `run` would.

export const REPLAY_USAGE = `wsconform replay REPORT.json CASE_ID — re-run one case of a report

  --target URL        replay against this URL instead of the report's target
  --jwt-secret S      the target's HS256 secret (never stored in reports; the embedded one is known)
  --timeout-scale X   multiply the case timeout (default 1)

exit: as 'wsconform run' for that one case`;

interface ReportCaseLike {
  id: string;
  protocol: Protocol;
  target?: string;
  verdict: string;
  reason?: string;
  /** reports since the findings model; older reports have none */
  findings?: Finding[];
}

interface ReportLike {
  seed: number;
  runs?: number;
  strict?: boolean;
  embedded?: boolean;
  targets: { url: string; protocol: Protocol }[];
  inputs?: {
    jwtSecret?: boolean;
    originAllowed?: string;
    limits?: TargetLimits;
    binaryFormats?: ('msgpack' | 'cbor')[];
  };
  cases: ReportCaseLike[];
}

function readReport(path: string): ReportLike {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new UsageError(
      `cannot read ${path}: ${(err as Error).message.split('\n')[0]} — pass the report.json a run wrote`,
    );
  }
  const r = parsed as Partial<ReportLike> | null;
  if (!r || typeof r.seed !== 'number' || !Array.isArray(r.cases) || !Array.isArray(r.targets)) {
    throw new UsageError(`${path} is not a wsconform report.json (no seed, targets or cases)`);
  }
  return r as ReportLike;
}

/** Every finding, numbered, with its level, rule (spec/PROFILE.md#<rule>) and message. */
export function formatFindings(findings: readonly Finding[], indent = '  '): string {
  return findings
    .map((f, i) => `${indent}#${i + 1} ${f.level.toUpperCase()} ${f.rule}: ${f.message}\n`)
    .join('');
}

export function formatResult(r: CaseResult): string {
  let text = `${r.id} (${r.rule}) ${r.title}\n  verdict: ${r.verdict.toUpperCase()}\n`;
  if (r.reason) text += `  reason: ${r.reason}\n`;
  if (r.findings?.length)
    text += `  findings (rules in spec/PROFILE.md):\n${formatFindings(r.findings, '    ')}`;
  if (r.seed !== undefined) text += `  seed: ${r.seed}\n`;
  if (r.counterexample !== undefined) text += `  counterexample: ${JSON.stringify(r.counterexample)}\n`;
  const lines = [
    ...r.transcript.map((e, i) => ({
      t: e.t,
      text: `${e.conn ? `#${e.conn} ` : ''}${e.dir === 'in' ? '<-' : '->'} ${e.kind} ${e.data}${evidence(r.findings ?? [], i)}`,
    })),
    ...(r.notes ?? []).map((n) => ({ t: n.t, text: `${n.conn ? `#${n.conn} ` : ''}note: ${n.text}` })),
  ].sort((a, b) => a.t - b.t);
  text += `  transcript:\n${lines.map((l) => `    +${String(l.t).padStart(5)}ms ${l.text}`).join('\n')}\n`;
  return text;
}

/** '  ◀ evidence of #1, #3' when findings were made right after transcript entry `i` */
function evidence(findings: readonly Finding[], i: number): string {
  const n = findings.flatMap((f, k) => (f.transcriptIndex === i ? [`#${k + 1}`] : []));
  return n.length ? `  ◀ evidence of ${n.join(', ')}` : '';
}

export async function replayVerb(argv: string[], deps: RunDeps = defaultDeps): Promise<number> {
  const { values, positionals } = parseFlags(
    'replay',
    argv,
    {
      help: { type: 'boolean', short: 'h' },
      target: { type: 'string' },
      'jwt-secret': { type: 'string' },
      'timeout-scale': { type: 'string' },
    },
    true,
  );
  if (values.help) {
    process.stdout.write(`${REPLAY_USAGE}\n`);
    return 0;
  }
  const [path, caseId, ...extra] = positionals;
  if (path === undefined || caseId === undefined || extra.length)
    throw new UsageError('replay takes REPORT.json CASE_ID — see wsconform replay --help');
  const scale = values['timeout-scale'] === undefined ? 1 : Number(values['timeout-scale']);
  if (!(scale > 0))
    throw new UsageError(`--timeout-scale takes a positive number, got '${values['timeout-scale']}'`);
  const report = readReport(path);
  const override = values.target === undefined ? undefined : parseWsUrl(values.target);
  const entry =
    report.cases.find(
      (c) => c.id === caseId && (!override || c.target === undefined || c.target === override),
    ) ?? report.cases.find((c) => c.id === caseId);
  if (!entry) throw new UsageError(`${path} has no case ${caseId}`);
  if (/-SCHEMA-RECV-/.test(caseId))
    throw new UsageError(`${caseId} sums up a whole run; re-run 'wsconform run' to check it again`);
  const protocol = parseProtocol(entry.protocol) as Protocol;
  const original = entry.target ?? report.targets.find((t) => t.protocol === protocol)?.url;
  if (!original) throw new UsageError(`${path} names no target for ${caseId}`);

  const embedded = report.embedded === true && !override;
  const setup = await setupTargets(
    {
      targets: embedded ? [] : [override ?? original],
      protocol,
      jwtSecret: values['jwt-secret'],
      originAllowed: report.inputs?.originAllowed,
      rateMsgs: report.inputs?.limits?.msgsPerSecond,
      rateConns: report.inputs?.limits?.connsPerUser,
      rateBytes: report.inputs?.limits?.bytesPerMinute,
      authTimeoutMs: report.inputs?.limits?.authTimeoutMs,
      maxMessageBytes: report.inputs?.limits?.maxMessageBytes,
      binaryFormats: report.inputs?.binaryFormats,
    },
    deps,
  );
  try {
    await requireReachable(setup.targets);
    const def = (await deps.loadCases()).find((c) => c.id === caseId);
    if (!def) throw new UsageError(`case ${caseId} is not in this version of wsconform`);
    if (report.inputs?.jwtSecret && !setup.jwtSecret) {
      process.stderr.write(
        `wsconform replay: the original run had a JWT secret; pass --jwt-secret to replay ${caseId} with it\n`,
      );
    }
    const target = setup.targets[0];
    if (!target) throw new UsageError(`no ${protocol} target to replay ${caseId} against`);
    const limits = report.inputs?.limits ?? (await deps.defaultLimits(protocol));
    const config: RunConfig = { limits, seed: report.seed, runs: report.runs ?? 100 };
    if (setup.jwtSecret !== undefined) config.jwtSecret = setup.jwtSecret;
    if (setup.originAllowed !== undefined) config.originAllowed = setup.originAllowed;
    const record = await runCases({
      targets: [target],
      cases: [def],
      adapters: await deps.adapters(),
      config,
      timeoutScale: scale,
      concurrency: 1,
    });
    const result = record.results[0] as CaseResult;
    process.stdout.write(`replaying against ${target.url} with seed ${report.seed}\n${formatResult(result)}`);
    process.stdout.write(
      `  in the report: ${entry.verdict.toUpperCase()}${entry.reason ? ` — ${entry.reason}` : ''}\n` +
        (Array.isArray(entry.findings) ? formatFindings(entry.findings, '    ') : ''),
    );
    return failsRun(result, report.strict === true) ? 1 : 0;
  } finally {
    await setup.close();
  }
}
