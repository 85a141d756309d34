// The Evolution adapter and the case helpers, against the reference server through the engine's
// own case context (so the helpers are tested as the cases use them).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReferenceServer, type RunningServer } from '../../reference-server/index.js';
import { CaseRun } from '../../src/engine/context.js';
import type { CaseContext, Received } from '../../src/engine/types.js';
import { evolutionAdapter } from '../../src/protocols/evolution.js';
import {
  agentCode,
  isError,
  isType,
  looksLikeStack,
  mark,
  roundTrip,
  sendAndSettle,
  settle,
} from '../../src/protocols/evolution-client.js';
import { hasRoom, paced, requireUpdate, watchRun } from '../../src/protocols/evolution-observe.js';
import { ConnPool } from '../../src/protocols/evolution-pool.js';
import { authenticate, connectAuthed, probeAuth, subscribe } from '../../src/protocols/evolution-session.js';
import { CONFIG } from './_evolution-harness.js';

let server: RunningServer;
const runs: CaseRun[] = [];

function context(limits = CONFIG.limits): CaseContext {
  const run = new CaseRun(
    'TEST-CASE-001',
    { url: server.url('/v1/evolution'), protocol: 'evolution' },
    { ...CONFIG, limits },
    evolutionAdapter,
  );
  runs.push(run);
  return run.context();
}

const text = (json: unknown): Received => ({
  t: 0,
  kind: 'text',
  text: JSON.stringify(json),
  json,
  type: (json as { type?: string }).type,
});

beforeAll(async () => {
  server = await startReferenceServer({ jwtSecret: CONFIG.jwtSecret, authTimeoutMs: 5000 });
});
afterAll(async () => {
  for (const r of runs) await r.closeAll(200);
  await server.close();
});

describe('evolution adapter', () => {
  it('checks every message: valid pong passes; binary, non-JSON, unknown types and E12 ranges do not', () => {
    const checker = evolutionAdapter.inboundChecker();
    const check = (m: Received) => checker.inbound(m);
    expect(check(text({ type: 'pong', timestamp: 1 }))).toEqual([]);
    expect(check({ t: 0, kind: 'binary', data: Buffer.from([1]) })[0]?.messageType).toBe('(binary)');
    expect(check({ t: 0, kind: 'text', text: 'nope' })[0]?.message).toMatch(/not JSON/);
    // E1 (2026-12-06): a type the seed does not list is no violation (informational in the run)
    expect(check(text({ type: 'welcome' }))).toEqual([]);
    expect(
      check(text({ type: 'alert', severity: 'info', data: { alert_id: 'a', title: 't', message: 'm' } })),
    ).not.toEqual([]);
  });

  it('has the path of the manifest', () => {
    expect(evolutionAdapter.path).toBe('/v1/evolution');
  });

  it('canary: healthy against the server, a reason against a closed port', async () => {
    const run = new CaseRun(
      'TEST-CASE-001',
      { url: server.url('/v1/evolution'), protocol: 'evolution' },
      CONFIG,
      evolutionAdapter,
    );
    runs.push(run);
    expect(await evolutionAdapter.canary(run.canaryOpen, CONFIG)).toBeNull();
    const dead = new CaseRun(
      'TEST-CASE-001',
      { url: 'ws://127.0.0.1:1/v1/evolution', protocol: 'evolution' },
      CONFIG,
      evolutionAdapter,
    );
    expect((await evolutionAdapter.canary(dead.canaryOpen, CONFIG))?.reason).toMatch(/canary/);
  });
});

describe('evolution helpers', () => {
  it('authenticate: a valid token succeeds without an error, a bad one reports AUTH_FAILED', async () => {
    const ctx = context();
    const conn = await connectAuthed(ctx, { sub: 'helpers-1' });
    expect((await probeAuth(conn)).state).toBe('authenticated');
    const other = await ctx.connect();
    expect((await probeAuth(other)).state).toBe('unauthenticated');
    const r = await authenticate(other, 'not-a-jwt');
    expect(r.ok).toBe(false);
    expect(r.errors.some(isError('AUTH_FAILED'))).toBe(true);
  });

  it('header auth authenticates too', async () => {
    const conn = await connectAuthed(context(), { via: 'header', sub: 'helpers-2' });
    expect((await probeAuth(conn)).state).toBe('authenticated');
  });

  it('sendAndSettle collects the answer before the sentinel pong; extra pongs are skipped', async () => {
    const ctx = context();
    const conn = await connectAuthed(ctx, { sub: 'helpers-3' });
    const r = await sendAndSettle(conn, { type: 'wsconform_unknown' });
    expect(r.pong).not.toBeNull();
    expect(r.errors.map((e) => (e.json as { error: { code: string } }).error.code)).toEqual([
      'INVALID_COMMAND',
    ]);
    const at = mark(conn);
    const p = await settle(conn, () => conn.sendJson({ type: 'ping', timestamp: 5 }), 2000, 1);
    expect(p.between.filter(isType('pong'))).toHaveLength(1); // the first; the sentinel's ends it
    expect(conn.received.slice(at).filter(isType('pong'))).toHaveLength(2);
    expect((await roundTrip(conn)).between).toEqual([]);
  });

  it('subscribe fails the case on an error unless allowed; events then flow', async () => {
    const ctx = context();
    const { conn } = await watchRun(ctx, 'helpers-4');
    await requireUpdate(ctx, conn, 'in the helper test');
    const errors = await subscribe(ctx, conn, { channels: ['nope'] }, { allowErrors: true });
    expect(errors.some(isError('INVALID_COMMAND'))).toBe(true);
    await expect(subscribe(ctx, conn, { channels: ['nope'] })).rejects.toThrow(/INVALID_COMMAND/);
  });

  it('paced keeps a connection at half the message rate limit', async () => {
    const ctx = context({ ...CONFIG.limits, msgsPerSecond: 8 });
    const conn = await connectAuthed(ctx, { sub: 'helpers-5' });
    const t0 = Date.now();
    for (let i = 0; i < 3; i++) await paced(ctx, conn, 2); // budget 4 per second: the third waits
    expect(Date.now() - t0).toBeGreaterThanOrEqual(900);
    expect(hasRoom(ctx, conn, 4)).toBe(false);
  });

  it('ConnPool hands out authenticated connections and replaces discarded ones', async () => {
    const ctx = context();
    const pool = new ConnPool(ctx, 'helpers-pool', 2);
    const a = await pool.take();
    expect((await probeAuth(a)).state).toBe('authenticated');
    pool.discard(a);
    const b = await pool.take();
    expect(b).not.toBe(a);
    expect(pool.connectionsOpened).toBeGreaterThanOrEqual(2);
  });

  it('agentCode builds header, newline, code; looksLikeStack spots stack traces only', () => {
    expect(Buffer.from(agentCode({ type: 'agent_code', agent_id: 'a' }, 'x')).toString()).toBe(
      '{"type":"agent_code","agent_id":"a"}\nx',
    );
    expect(looksLikeStack('Error: boom\n    at handler (/srv/app.js:10:5)')).toBe(true);
    expect(looksLikeStack('unknown channel "x"')).toBe(false);
  });
});
