import { afterEach, describe, expect, it } from 'vitest';
import { EventBus, type EngineEvent } from '../../src/engine/events.js';
import { runCases } from '../../src/engine/runner.js';
import type { CaseContext, CaseDefinition, CaseResult, Target } from '../../src/engine/types.js';
import { startEchoServer, type TestServer } from '../wire/_servers.js';
import { fakeAdapter, fakeCase, fakeChecker, testConfig } from './_fakes.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function run(cases: CaseDefinition[], extra: Partial<Parameters<typeof runCases>[0]> = {}) {
  server = await startEchoServer();
  const target: Target = { url: server.url(), protocol: 'evolution' };
  const events: EngineEvent[] = [];
  const bus = new EventBus().on((e) => events.push(e));
  const record = await runCases({
    targets: [target],
    cases,
    adapters: { evolution: fakeAdapter() },
    config: testConfig,
    bus,
    ...extra,
  });
  const byId = (id: string) => record.results.find((r) => r.id === id) as CaseResult;
  return { record, events, byId };
}

describe('verdicts', () => {
  it('follows fail > error > non-strict > unimplemented > informational > pass', async () => {
    const pass = fakeCase(async (ctx: CaseContext) => {
      ctx.require(true, 'never');
    });
    const info = fakeCase(async (ctx: CaseContext) => ctx.inform('the server sent auth_ok'));
    const unimpl = fakeCase(async (ctx: CaseContext) => {
      ctx.inform('seen');
      ctx.unimplemented('no binary support');
    });
    const nonStrict = fakeCase(async (ctx: CaseContext) => {
      ctx.should(false, 'no error notification');
      ctx.inform('seen');
      ctx.unimplemented('then unimplemented');
    });
    const fail = fakeCase(async (ctx: CaseContext) => {
      ctx.should(false, 'a should');
      ctx.require(false, 'the MUST broke');
    });
    const thrown = fakeCase(async () => {
      throw new Error('boom');
    });
    const { byId, record } = await run([pass, info, unimpl, nonStrict, fail, thrown]);
    expect(byId(pass.id)).toMatchObject({ verdict: 'pass' });
    expect(byId(pass.id).reason).toBeUndefined();
    expect(byId(info.id)).toMatchObject({ verdict: 'informational', reason: 'the server sent auth_ok' });
    expect(byId(unimpl.id)).toMatchObject({ verdict: 'unimplemented', reason: 'no binary support' });
    expect(byId(nonStrict.id)).toMatchObject({ verdict: 'non-strict', reason: 'no error notification' });
    expect(byId(fail.id)).toMatchObject({ verdict: 'fail', reason: 'the MUST broke' });
    // a harness exception is no finding against the target: the case could not be judged
    expect(byId(thrown.id)).toMatchObject({
      verdict: 'error',
      reason: 'internal error of the harness: boom',
    });
    expect(record.summary).toEqual({
      pass: 1,
      fail: 1,
      nonStrict: 1,
      informational: 1,
      unimplemented: 1,
      error: 1,
    });
    // every finding is kept, with its rule (the case's first by default) and level
    expect(byId(fail.id).findings.map((f) => [f.rule, f.level, f.message])).toEqual([
      ['E9', 'should', 'a should'],
      ['E9', 'must', 'the MUST broke'],
    ]);
    expect(byId(pass.id).findings).toEqual([]);
  });

  it('needs() is unimplemented without the input and names the flag', async () => {
    const c = fakeCase(async (ctx: CaseContext) => ctx.needs('jwtSecret'));
    const { byId } = await run([c]);
    expect(byId(c.id)).toMatchObject({ verdict: 'unimplemented' });
    expect(byId(c.id).reason).toMatch(/--jwt-secret/);
  });

  it('--timeout-scale reaches the cases (their precondition waits follow it), 1 by default', async () => {
    const seen: (number | undefined)[] = [];
    const c = fakeCase(async (ctx: CaseContext) => {
      seen.push(ctx.config.timeoutScale);
    });
    await run([c]);
    await run([c], { timeoutScale: 2.5 });
    expect(seen).toEqual([undefined, 2.5]);
  });

  it('a timed-out case fails, its connections are closed, and a late throw changes nothing', async () => {
    let serverSideOpen = -1;
    const c = fakeCase(
      async (ctx: CaseContext) => {
        const conn = await ctx.connect();
        await conn.next((m) => m.type === 'never', 60_000);
        throw new Error('late error after the timeout');
      },
      { timeoutMs: 200 },
    );
    // The server sees the close a moment after the client does: poll briefly.
    const after = fakeCase(async (ctx: CaseContext) => {
      for (let i = 0; i < 50 && (server?.sockets.size ?? 0) > 0; i++) await ctx.sleep(20);
      serverSideOpen = server?.sockets.size ?? -1;
    });
    const { byId } = await run([c, after], { concurrency: 1 });
    expect(byId(c.id)).toMatchObject({
      verdict: 'fail',
      reason: 'the case did not finish within 200 ms: the target stalled',
    });
    expect(serverSideOpen).toBe(0);
  });

  it('a violation of a type the case validates, on any of its connections, fails it with its schema path (C5)', async () => {
    const c = fakeCase(
      async (ctx: CaseContext) => {
        const a = await ctx.connect();
        const b = await ctx.connect();
        a.sendJson({ type: 'fine' });
        await a.next();
        b.sendJson({ type: 'update', bad: true });
        await b.next();
        ctx.inform('otherwise fine');
      },
      { validates: ['update'] },
    );
    const { byId } = await run([c]);
    expect(byId(c.id).verdict).toBe('fail');
    expect(byId(c.id).reason).toMatch(/update.*\/bad.*#\/properties\/bad\/const/);
    expect(new Set(byId(c.id).transcript.map((e) => e.conn))).toEqual(new Set([1, 2]));
  });

  it('skipValidation connections are not checked', async () => {
    const c = fakeCase(async (ctx: CaseContext) => {
      const r = await ctx.open({ skipValidation: true });
      ctx.require(r.ok, 'upgrade');
      r.conn.sendJson({ type: 'update', bad: true });
      await r.conn.next();
    });
    const { byId } = await run([c]);
    expect(byId(c.id).verdict).toBe('pass');
  });

  it('stores a counterexample with the seed, and notes', async () => {
    const c = fakeCase(async (ctx: CaseContext) => {
      ctx.note('trying');
      ctx.counterexample({ type: 'subscribe', channel: 42 });
      ctx.fail('property failed');
    });
    const { byId } = await run([c]);
    expect(byId(c.id)).toMatchObject({
      verdict: 'fail',
      seed: 42,
      counterexample: { type: 'subscribe', channel: 42 },
    });
    expect(byId(c.id).notes?.[0]?.text).toBe('trying');
  });
});

describe('synthesized C5 cases', () => {
  it('one per server message type: fail with the first violation, unimplemented if never received, else pass', async () => {
    const c = fakeCase(async (ctx: CaseContext) => {
      const conn = await ctx.connect();
      conn.sendJson({
        cmd: 'send',
        messages: [{ type: 'good' }, { type: 'metrics', bad: true }, { type: 'metrics' }],
      });
      await conn.collect(200);
    });
    const { byId, record } = await run([c], { serverMessageTypes: () => ['good', 'metrics', 'never'] });
    expect(byId('EVO-SCHEMA-RECV-good')).toMatchObject({ verdict: 'pass', suite: 'schema', rule: 'C5' });
    expect(byId('EVO-SCHEMA-RECV-never')).toMatchObject({ verdict: 'unimplemented' });
    const m = byId('EVO-SCHEMA-RECV-metrics');
    expect(m.verdict).toBe('fail');
    expect(m.reason).toContain('#/properties/bad/const');
    expect(m.reason).toContain(c.id);
    expect(record.results.filter((r) => r.id.includes('SCHEMA-RECV')).map((r) => r.id)).toEqual([
      'EVO-SCHEMA-RECV-good',
      'EVO-SCHEMA-RECV-metrics',
      'EVO-SCHEMA-RECV-never',
      'EVO-SCHEMA-RECV-other',
      'EVO-SCHEMA-RECV-extra-types',
    ]);
  });

  it('the filter decides which synthesized cases are reported', async () => {
    const c = fakeCase(async () => {});
    const { record } = await run([c], {
      serverMessageTypes: () => ['a', 'b'],
      includeSynthesized: (id) => id.endsWith('-a'),
    });
    expect(record.results.map((r) => r.id)).toEqual([c.id, 'EVO-SCHEMA-RECV-a']);
  });

  it('lists each distinct violation of a type with its count, not only the first', async () => {
    const c = fakeCase(async (ctx: CaseContext) => {
      const conn = await ctx.connect();
      conn.sendJson({
        cmd: 'send',
        messages: [
          { type: 'metrics', bad: true },
          { type: 'metrics', bad: true },
          { type: 'metrics', worse: true },
        ],
      });
      await conn.collect(200);
    });
    const twoChecks = fakeAdapter();
    twoChecks.inboundChecker = () => ({
      inbound: (m) => {
        const json = m.json as { worse?: unknown };
        if (json?.worse)
          return [
            {
              messageType: 'metrics',
              instancePath: '/worse',
              schemaPath: '#/properties/worse',
              message: 'no',
            },
          ];
        return fakeChecker(m);
      },
    });
    const { byId } = await run([c], {
      serverMessageTypes: () => ['metrics'],
      adapters: { evolution: twoChecks },
    });
    const m = byId('EVO-SCHEMA-RECV-metrics');
    expect(m.findings).toHaveLength(2);
    expect(m.findings[0]?.message).toMatch(/#\/properties\/bad\/const.*2×/);
    expect(m.findings[1]?.message).toMatch(/#\/properties\/worse.*1×/);
    expect(m.reason).toMatch(/^2 distinct violations in 3 messages/);
  });

  it('message types the seed does not list are reported once each as informational (A9/E1)', async () => {
    const c = fakeCase(async (ctx: CaseContext) => {
      const conn = await ctx.connect();
      conn.sendJson({
        cmd: 'send',
        messages: [{ type: 'auth_success' }, { type: 'auth_success' }, { type: 'metrics' }],
      });
      await conn.collect(200);
    });
    const { byId } = await run([c], { serverMessageTypes: () => ['metrics'] });
    expect(byId(c.id).verdict).toBe('pass');
    const extra = byId('EVO-SCHEMA-RECV-extra-types');
    expect(extra).toMatchObject({ verdict: 'informational', rule: 'E1' });
    expect(extra.findings).toHaveLength(1);
    expect(extra.findings[0]).toMatchObject({ rule: 'E1', level: 'may' });
    expect(extra.findings[0]?.message).toMatch(/2 message\(s\) of type "auth_success"/);
  });
});

describe('C5 attribution', () => {
  it('a violation in a message the case did not check is no finding of the case, only of the run-wide result', async () => {
    const c = fakeCase(async (ctx: CaseContext) => {
      const conn = await ctx.connect();
      // a "broadcast" the case does not look at, then a bad reply it reads but does not check
      conn.sendJson({
        cmd: 'send',
        messages: [
          { type: 'metrics', bad: true },
          { type: 'reply', bad: true },
        ],
      });
      const reply = await conn.next((m) => m.type === 'reply');
      ctx.require(reply, 'a reply');
      await conn.collect(50);
    });
    const { byId } = await run([c], { serverMessageTypes: () => ['metrics', 'reply'] });
    expect(byId(c.id).verdict).toBe('pass');
    expect(byId('EVO-SCHEMA-RECV-reply')).toMatchObject({ verdict: 'fail' });
    expect(byId('EVO-SCHEMA-RECV-metrics')).toMatchObject({ verdict: 'fail' });
    expect(byId('EVO-SCHEMA-RECV-metrics').reason).toContain(`first in ${c.id}`);
  });

  it('a case that declares the type it validates, or claims the message, owns its violation', async () => {
    const declares = fakeCase(
      async (ctx: CaseContext) => {
        const conn = await ctx.connect();
        conn.sendJson({ cmd: 'send', messages: [{ type: 'metrics', bad: true }] });
        await ctx.sleep(150);
      },
      { validates: ['metrics'] },
    );
    const claims = fakeCase(async (ctx: CaseContext) => {
      const conn = await ctx.connect();
      conn.sendJson({ cmd: 'send', messages: [{ type: 'metrics', bad: true }] });
      await ctx.sleep(150);
      conn.claim(...conn.received);
    });
    const { byId } = await run([declares, claims]);
    for (const c of [declares, claims]) {
      expect(byId(c.id).verdict).toBe('fail');
      expect(byId(c.id).findings.map((f) => f.rule)).toEqual(['C5']);
      expect(byId(c.id).findings[0]?.transcriptIndex).toBeGreaterThanOrEqual(0);
    }
  });
});

describe('preconditions', () => {
  it('precondition() ends the case as error naming the case that checks it; no finding', async () => {
    const c = fakeCase(async (ctx: CaseContext) => {
      ctx.should(false, 'a SHOULD seen before');
      ctx.precondition(false, 'no agent id was seen in agent_update events', 'EVO-SUBSCRIPTIONS-011');
    });
    const { byId } = await run([c]);
    expect(byId(c.id)).toMatchObject({
      verdict: 'error',
      reason: 'precondition not met: no agent id was seen in agent_update events, see EVO-SUBSCRIPTIONS-011',
    });
  });

  it('a refused upgrade in connect() is a precondition, not a finding of the case', async () => {
    const c = fakeCase(async (ctx: CaseContext) => {
      await ctx.connect({ path: '/refused' });
      ctx.fail('never reached');
    });
    const { byId } = await run([c]);
    expect(byId(c.id).verdict).toBe('error');
    expect(byId(c.id).reason).toMatch(
      /^precondition not met: the upgrade to .* was refused: HTTP 404.*, see EVO-HANDSHAKE-100$/,
    );
    expect(byId(c.id).findings).toEqual([]);
  });
});

describe('scheduling', () => {
  it('never runs two cases of one exclusive group at once, but runs others concurrently', async () => {
    const active = new Map<string, number>();
    const peak = new Map<string, number>();
    const track = (group: string) => async (ctx: { sleep(ms: number): Promise<void> }) => {
      active.set(group, (active.get(group) ?? 0) + 1);
      peak.set(group, Math.max(peak.get(group) ?? 0, active.get(group) ?? 0));
      await ctx.sleep(60);
      active.set(group, (active.get(group) ?? 1) - 1);
    };
    const cases = [
      ...Array.from({ length: 4 }, () => fakeCase(track('sim'), { exclusive: 'sim' })),
      ...Array.from({ length: 4 }, () => fakeCase(track('free'))),
    ];
    const { record, events } = await run(cases, { concurrency: 4 });
    expect(peak.get('sim')).toBe(1);
    expect(peak.get('free')).toBeGreaterThan(1);
    expect(record.summary.pass).toBe(8);
    expect(events.filter((e) => e.type === 'case-end')).toHaveLength(8);
    expect(events[0]?.type).toBe('run-start');
    expect(events.at(-1)?.type).toBe('run-end');
  });

  it('runs cases sharing a group together, but never beside an exclusive case of that group', async () => {
    let writers = 0;
    let readers = 0;
    let peakReaders = 0;
    const overlaps: string[] = [];
    const writer = async (ctx: { sleep(ms: number): Promise<void> }) => {
      writers++;
      if (readers > 0 || writers > 1) overlaps.push('writer beside another case of the group');
      await ctx.sleep(40);
      writers--;
    };
    const reader = async (ctx: { sleep(ms: number): Promise<void> }) => {
      readers++;
      peakReaders = Math.max(peakReaders, readers);
      if (writers > 0) overlaps.push('reader beside a writer');
      await ctx.sleep(40);
      readers--;
    };
    const cases = [
      ...Array.from({ length: 3 }, () => fakeCase(reader, { shares: 'run' })),
      ...Array.from({ length: 2 }, () => fakeCase(writer, { exclusive: 'run' })),
      ...Array.from({ length: 3 }, () => fakeCase(reader, { shares: 'run' })),
    ];
    const { record } = await run(cases, { concurrency: 4 });
    expect(overlaps).toEqual([]);
    expect(peakReaders).toBeGreaterThan(1);
    expect(record.summary.pass).toBe(8);
  });
});

describe('canary (C4)', () => {
  it('a canary that fails before any case makes the hostile cases error, not fail', async () => {
    server = await startEchoServer();
    const adapter = fakeAdapter({ failFirst: 1 });
    const hostile = fakeCase(async () => {}, { hostile: true });
    const record = await runCases({
      targets: [{ url: server.url(), protocol: 'evolution' }],
      cases: [hostile],
      adapters: { evolution: adapter },
      config: testConfig,
    });
    expect(record.results[0]).toMatchObject({
      verdict: 'error',
      reason:
        'precondition not met: the C4 canary fails before any hostile case (forced canary failure), see EVO-HANDSHAKE-100',
    });
  });

  it('runs after hostile cases only; a failed canary fails the case but a recovered target goes on', async () => {
    server = await startEchoServer();
    // call 1 is the calibration before the run, call 2 the canary after the hostile case
    const adapter = fakeAdapter({ failCalls: [2] });
    const hostile = fakeCase(async () => {}, { hostile: true });
    const next = fakeCase(async (ctx: CaseContext) => {
      await ctx.connect();
    });
    const record = await runCases({
      targets: [{ url: server.url(), protocol: 'evolution' }],
      cases: [hostile, next],
      adapters: { evolution: adapter },
      config: testConfig,
      concurrency: 1,
      canaryRetryMs: 10,
    });
    expect(adapter.canaryCalls).toBe(3);
    expect(record.results[0]).toMatchObject({
      verdict: 'fail',
      reason: 'canary after the case: forced canary failure',
    });
    expect(record.results[0]?.findings).toMatchObject([{ rule: 'C4', level: 'must' }]);
    expect(record.results[1]?.verdict).toBe('pass');
  });

  it('a target that dies mid-run ends every remaining case at once as error, naming the case', async () => {
    const killer = fakeCase(
      async () => {
        await server?.close();
      },
      { hostile: true },
    );
    const stuck = fakeCase(async (ctx: CaseContext) => ctx.sleep(60_000), { timeoutMs: 60_000 });
    const rest = Array.from({ length: 5 }, () =>
      fakeCase(async (ctx: CaseContext) => ctx.sleep(60_000), { timeoutMs: 60_000 }),
    );
    const { record, byId } = await run([stuck, killer, ...rest], { concurrency: 2 });
    expect(byId(killer.id).verdict).toBe('fail');
    expect(byId(killer.id).reason).toMatch(
      /^canary after the case: the canary upgrade failed \(HTTP 0, .*ECONNREFUSED/,
    );
    for (const c of [stuck, ...rest]) {
      expect(byId(c.id).verdict).toBe('error');
      expect(byId(c.id).reason).toMatch(
        new RegExp(`^the target stopped answering after ${killer.id}: the canary upgrade failed`),
      );
    }
    expect(record.summary.fail).toBe(1);
    expect(record.summary.error).toBe(6);
  }, 15_000);
});

describe('interrupt', () => {
  it('an aborted run ends its running cases at once and does not run the rest (error, with the reason)', async () => {
    const controller = new AbortController();
    const running = fakeCase(async (ctx: CaseContext) => {
      setTimeout(() => controller.abort('the run was interrupted by SIGINT'), 50);
      await ctx.sleep(60_000);
    });
    const later = fakeCase(async () => {});
    const t0 = performance.now();
    const { byId } = await run([running, later], { concurrency: 1, signal: controller.signal });
    expect(performance.now() - t0).toBeLessThan(5000);
    for (const c of [running, later]) {
      expect(byId(c.id)).toMatchObject({ verdict: 'error', reason: 'the run was interrupted by SIGINT' });
    }
  });
});
