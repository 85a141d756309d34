// The programmatic API (cli/api.ts, issue 10 §2) on the TS sources: options are the CLI's flags in
// camelCase, the result is report.json's object, the engine's events reach onEvent, bad input is a
// typed error naming the option. test/package/pack.test.ts runs the same API from the packed package.
import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../cli/api.js';
import { listCases, run, runFailed, WsconformOptionError, WsconformUsageError } from '../../cli/api.js';
import { startReferenceServer } from '../../reference-server/index.js';
import { OPTION_NAMES } from '../../cli/api-options.js';
import { RUN_USAGE } from '../../cli/args.js';
import { reportErrors } from '../reports/_schema.js';

const camel = (flag: string) => flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

describe('run() of the API', () => {
  it('runs the embedded target, emits every event and returns a report that validates', {
    timeout: 60_000,
  }, async () => {
    const events: EngineEvent[] = [];
    const report = await run({ suite: 'heartbeat', seed: 7, onEvent: (e) => events.push(e) });
    expect(reportErrors(report)).toEqual([]);
    expect(report.embedded).toBe(true);
    expect(report.seed).toBe(7);
    expect(report.cases.length).toBeGreaterThan(3);
    expect(report.cases.every((c) => c.suite === 'heartbeat' || c.suite === 'schema')).toBe(true);
    expect(events[0]?.type).toBe('run-start');
    expect(events.at(-1)?.type).toBe('run-end');
    const ended = events.filter((e) => e.type === 'case-end').map((e) => e.result.id);
    expect(ended.sort()).toEqual(report.cases.map((c) => c.id).sort());
    // the embedded server conforms: the CLI would exit 0
    expect(runFailed(report)).toBe(false);
    // listCases() plans exactly the results the run reports
    const planned = await listCases({ suite: 'heartbeat' });
    expect(planned.map((c) => c.id).sort()).toEqual(report.cases.map((c) => c.id).sort());
  });

  it('takes every flag of `wsconform run` but --help and --list, in camelCase', () => {
    const flags = [...RUN_USAGE.matchAll(/^ {2}--([a-z-]+)/gm)].map((m) => camel(m[1] as string));
    expect(flags.length).toBeGreaterThan(20);
    const expected = flags.filter((f) => f !== 'list' && f !== 'help');
    expect([...OPTION_NAMES].filter((o) => o !== 'onEvent').sort()).toEqual(expected.sort());
  });

  it('rejects an unknown option with a WsconformOptionError naming it (and the likely one)', async () => {
    const err = await run({ jwt_secret: 'x' } as never).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WsconformOptionError);
    expect((err as WsconformOptionError).option).toBe('jwt_secret');
    expect((err as Error).message).toMatch(/unknown option 'jwt_secret' \(did you mean 'jwtSecret'\?\)/);
  });

  it('rejects a bad value with the option named as the API spells it', async () => {
    const err = await run({ rateMsgs: 0 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WsconformOptionError);
    expect((err as WsconformOptionError).option).toBe('rateMsgs');
    expect((err as Error).message).toMatch(/option 'rateMsgs' takes a whole number >= 1/);
    const wrongType = await run({ strict: 'yes' } as never).catch((e: unknown) => e);
    expect((wrongType as WsconformOptionError).option).toBe('strict');
    const suite = await run({ suite: 'nope' } as never).catch((e: unknown) => e);
    expect((suite as WsconformOptionError).option).toBe('suite');
  });

  it('rejects an unreachable target with a WsconformUsageError, without running', async () => {
    const events: EngineEvent[] = [];
    const err = await run({
      target: 'ws://127.0.0.1:9/ws',
      suite: 'heartbeat',
      onEvent: (e) => events.push(e),
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WsconformUsageError);
    expect((err as Error).message).toMatch(/cannot reach ws:\/\/127\.0\.0\.1:9\/ws/);
    expect(events).toEqual([]);
  });

  it('against a running target: its state is kept, and the process signals of the caller are left alone', {
    timeout: 60_000,
  }, async () => {
    const server = await startReferenceServer({ port: 0 });
    try {
      const before = [process.listenerCount('SIGINT'), process.listenerCount('SIGTERM')];
      const during: number[][] = [];
      const report = await run({
        target: server.url('/ws'),
        suite: ['heartbeat'],
        onEvent: (e) => {
          if (e.type === 'case-start')
            during.push([process.listenerCount('SIGINT'), process.listenerCount('SIGTERM')]);
        },
      });
      expect(reportErrors(report)).toEqual([]);
      expect(report.embedded).toBe(false);
      expect(report.targets[0]?.state).toBeDefined();
      expect(report.cases.find((c) => c.id === 'ATH-HEARTBEAT-100')?.verdict).toBe('pass');
      expect(during.length).toBeGreaterThan(0);
      for (const counts of during) expect(counts).toEqual(before);
    } finally {
      await server.close();
    }
  });

  it('takes expected failures as an object and checks their ids', async () => {
    const err = await run({ suite: 'heartbeat', expectedFailures: { 'ATH-NOPE-001': 'x' } }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(WsconformUsageError);
    expect((err as Error).message).toMatch(/ATH-NOPE-001/);
  });
});
