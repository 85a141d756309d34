// E2: JWT authentication by bearer header and by auth message, each rejection kind, the order of
// auth + subscribe, what is allowed before auth, the auth timeout, and expiry while connected.
// The timers are stepped on a manual clock, each on a server of its own (a shared server's clock
// would move under the other tests).
import { describe, expect, it } from 'vitest';
import { authed, Client, upgradeStatus, useSchemaCheck } from './helpers/client.js';
import type { ManualClock } from './helpers/manual-clock.js';
import { algNoneToken, badSignatureToken, token } from './helpers/tokens.js';
import { EVO, GENERATION_MS, startServer, useServer, withClockServer } from './helpers/server.js';

useSchemaCheck();
const AUTH_TIMEOUT_MS = 600;
const srv = useServer({ authTimeoutMs: AUTH_TIMEOUT_MS, jwtLeewaySec: 30 });

/** runs `fn` on a server of its own whose timers run on a manual clock */
const withClock = (
  opts: Parameters<typeof withClockServer>[0],
  fn: (url: string, clock: ManualClock) => Promise<void>,
) => withClockServer(opts, (s, clock) => fn(s.url(EVO), clock));

const codeOf = (m: { [k: string]: unknown }) => (m['error'] as { code: string }).code;

/** every kind of token E2 says must be refused */
async function badTokens(): Promise<[string, string][]> {
  return [
    ['bad signature', await badSignatureToken()],
    ['alg none', algNoneToken()],
    ['HS384', await token('alice', { alg: 'HS384' })],
    ['HS512', await token('alice', { alg: 'HS512' })],
    ['expired beyond the leeway', await token('alice', { expIn: -120 })],
    ['nbf beyond the leeway', await token('alice', { nbfIn: 120 })],
    ['malformed', 'not-a-jwt'],
    ['three garbage parts', 'abc.def.ghi'],
    ['no sub', await token('alice', { noSub: true })],
  ];
}

describe.concurrent('E2 bearer header', () => {
  it('a valid token authenticates the connection', async () => {
    const c = await Client.open(srv().url(EVO), {
      headers: { Authorization: `Bearer ${await token('hdr')}` },
    });
    await c.next('auth_ok');
    c.send({ type: 'subscribe', channel: 'evolution' });
    await c.next('evolution_update');
    c.close();
  });

  it('each bad token gets 401 before the upgrade', async () => {
    for (const [label, jwt] of await badTokens()) {
      const r = await upgradeStatus(srv().url(EVO), { headers: { Authorization: `Bearer ${jwt}` } });
      expect(r.status, label).toBe(401);
      expect(r.headers['www-authenticate']).toContain('Bearer');
    }
  });

  it('a header that is not "Bearer <jwt>" gets 401', async () => {
    for (const value of ['Basic dXNlcjpwYXNz', 'Bearer', 'Bearer ', `Token ${await token()}`]) {
      expect((await upgradeStatus(srv().url(EVO), { headers: { Authorization: value } })).status, value).toBe(
        401,
      );
    }
  });
});

describe.concurrent('E2 auth message', () => {
  it('a valid token authenticates (auth_ok, then subscriptions work)', async () => {
    const c = await authed(srv().url(EVO), await token('msg'));
    c.send({ type: 'subscribe', channel: 'evolution' });
    await c.next('evolution_update');
    c.close();
  });

  it('each bad token gets AUTH_FAILED, then close 1008 within 1 s, and the token is never echoed', async () => {
    for (const [label, jwt] of await badTokens()) {
      const c = await Client.open(srv().url(EVO));
      const sent = Date.now();
      c.send({ type: 'auth', token: jwt });
      const err = await c.error('AUTH_FAILED');
      expect(JSON.stringify(err), label).not.toContain(jwt);
      expect(JSON.stringify(err)).not.toMatch(/\bat .*\.(ts|js):\d+/); // no stack trace (E9)
      const closed = await c.closed(1500);
      expect(closed?.code, label).toBe(1008);
      expect(Date.now() - sent).toBeLessThan(1000);
    }
  });

  it('a missing or non-string token gets AUTH_FAILED and 1008', async () => {
    for (const msg of [
      { type: 'auth' },
      { type: 'auth', token: 42 },
      { type: 'auth', token: { a: 1 } },
      { type: 'auth', token: '' },
    ]) {
      const c = await Client.open(srv().url(EVO));
      c.send(msg);
      await c.error('AUTH_FAILED');
      expect((await c.closed())?.code).toBe(1008);
    }
  });

  it('exp and nbf within the leeway are accepted', async () => {
    (await authed(srv().url(EVO), await token('late', { expIn: -10 }))).close();
    (await authed(srv().url(EVO), await token('early', { nbfIn: 10 }))).close();
  });

  it('accepts the token wrapped in data (E1 SHOULD) and optional id/timestamp', async () => {
    const c = await Client.open(srv().url(EVO));
    c.send({ type: 'auth', id: 'c-1', timestamp: new Date().toISOString(), data: { token: await token() } });
    await c.next('auth_ok');
    c.close();
  });

  it('auth and subscribe sent back to back: the subscribe waits for the token check', async () => {
    for (let i = 0; i < 5; i++) {
      const c = await Client.open(srv().url(EVO));
      c.send({ type: 'auth', token: await token(`order-${i}`) });
      c.send({ type: 'subscribe', channels: ['evolution', 'metrics'] });
      await c.next('subscribed');
      await c.next('evolution_update');
      expect(c.messages.filter((m) => m.type === 'error')).toEqual([]);
      c.close();
    }
  });

  it('a second auth for the same user is fine; for another user it is UNAUTHORIZED', async () => {
    const c = await authed(srv().url(EVO), await token('same'));
    c.send({ type: 'auth', token: await token('same') });
    c.send({ type: 'auth', token: await token('other') });
    expect(codeOf(await c.next('error'))).toBe('UNAUTHORIZED');
    expect(c.isOpen).toBe(true);
    c.close();
  });
});

describe.concurrent('E2 before authentication', () => {
  it('only auth and ping are accepted; others get UNAUTHORIZED and are not acted on', () =>
    withClock({}, async (url, clock) => {
      const c = await Client.open(url);
      for (const msg of [
        { type: 'subscribe', channels: ['evolution', 'metrics', 'alerts', 'logs', 'agents', 'control'] },
        { type: 'get_agent', agent_id: 'agent-1' },
        { type: 'control', action: 'pause' },
        { type: 'command', cmd: 'rollback', args: { generation: 0 } },
        { type: 'no_such_type' },
        { no: 'type' },
      ]) {
        c.send(msg);
        expect(codeOf(await c.next('error'))).toBe('UNAUTHORIZED');
      }
      c.sendBinary(Buffer.from('{"type":"agent_code","agent_id":"agent-1"}\ncode'));
      expect(codeOf(await c.next('error'))).toBe('UNAUTHORIZED');
      c.sendText('not json');
      expect(codeOf(await c.next('error'))).toBe('INVALID_COMMAND');
      c.send({ type: 'ping', timestamp: 5 });
      expect((await c.next('pong'))['timestamp']).toBe(5);
      // nothing was delivered: no subscription took effect (generations and a metrics sample pass)
      clock.advance(Math.max(1000, 10 * GENERATION_MS));
      await c.sync();
      expect(c.messages.map((m) => m.type).filter((t) => t !== 'error' && t !== 'pong')).toEqual([]);
      c.close();
    }));

  it('an unauthenticated connection is closed with 1008 after the auth timeout', () =>
    withClock({ authTimeoutMs: AUTH_TIMEOUT_MS }, async (url, clock) => {
      const c = await Client.open(url);
      clock.advance(AUTH_TIMEOUT_MS - 1);
      await c.sync();
      expect(c.closedWith, 'still open just before the timeout').toBeUndefined();
      clock.advance(1);
      await c.sync();
      expect(c.closedWith?.code).toBe(1008);
    }));

  it('an authenticated connection is not closed by the auth timeout', () =>
    withClock({ authTimeoutMs: AUTH_TIMEOUT_MS }, async (url, clock) => {
      const c = await authed(url, await token());
      clock.advance(3 * AUTH_TIMEOUT_MS);
      await c.sync();
      expect(c.closedWith).toBeUndefined();
      c.close();
    }));
});

describe.concurrent('E2 expiry and configuration', () => {
  it('a token that expires while connected closes the connection with 1008', () =>
    withClock({ jwtLeewaySec: 0 }, async (url, clock) => {
      const c = await authed(url, await token('short', { expIn: 2 }));
      // exp is whole seconds: at least 1 s ahead of the clock, at most 2
      clock.advance(900);
      await c.sync();
      expect(c.closedWith, 'open while the token is valid').toBeUndefined();
      clock.advance(1200);
      await c.sync();
      expect(c.closedWith?.code).toBe(1008);
      expect(c.messages.filter((m) => m.type === 'error').map(codeOf)).toEqual(['AUTH_FAILED']);
    }));

  it('without a JWT secret every token is refused', async () => {
    const s = await startServer({ jwtSecret: undefined });
    try {
      const r = await upgradeStatus(s.url(EVO), { headers: { Authorization: `Bearer ${await token()}` } });
      expect(r.status).toBe(401);
    } finally {
      await s.close();
    }
  });
});
