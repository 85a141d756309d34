// E10: messages per sliding second per connection, concurrent connections per user, inbound
// bytes per 60 s per connection; all taken from the server options (small here, to run fast).
// The rate windows are judged on a manual clock, one server per test that moves it (a window
// sliding under a concurrent flood would make the counts depend on scheduling).
import { describe, expect, it } from 'vitest';
import { authed, Client, type Msg, upgradeStatus, useSchemaCheck } from './helpers/client.js';
import { token } from './helpers/tokens.js';
import { EVO, useServer, withClockServer } from './helpers/server.js';

useSchemaCheck();
const SMALL = { rateMsgs: 20, rateConns: 3, rateBytes: 50_000 };
const small = useServer(SMALL);
const codeOf = (m: Msg) => (m['error'] as { code: string }).code;

describe.concurrent('E10 message rate', () => {
  it('a flood of pings gets at most the limit of pongs, and RATE_LIMITED', () =>
    withClockServer(SMALL, async (s, clock) => {
      const c = await Client.open(s.url(EVO));
      for (let i = 0; i < 60; i++) c.send({ type: 'ping', timestamp: i });
      await c.sync();
      const pongs = c.messages.filter((m) => m.type === 'pong');
      const limited = c.messages.filter((m) => m.type === 'error' && codeOf(m) === 'RATE_LIMITED');
      expect(pongs.length).toBe(20);
      expect(pongs.map((m) => m['timestamp'])).toEqual([...Array(20).keys()]);
      // at most one RATE_LIMITED per 100 ms: the clock stood still
      expect(limited.length).toBe(1);
      expect(c.isOpen).toBe(true);
      // the window slides: just under a second later still refused, a second later acted on again
      clock.advance(999);
      c.skip();
      c.send({ type: 'ping', timestamp: 98 });
      await c.sync();
      expect(c.takeAll('pong')).toEqual([]);
      clock.advance(1);
      c.send({ type: 'ping', timestamp: 99 });
      expect((await c.next('pong'))['timestamp']).toBe(99);
      c.close();
    }));

  it('excess messages are not acted on (a subscribe beyond the limit has no effect)', () =>
    withClockServer(SMALL, async (s, clock) => {
      const c = await authed(s.url(EVO), await token('flood-sub'));
      for (let i = 0; i < 19; i++) c.send({ type: 'ping', timestamp: i });
      c.send({ type: 'subscribe', channel: 'metrics' }); // message 21 incl. auth
      await c.sync();
      // a metrics sample would come within a second if the subscribe had counted
      clock.advance(1500);
      await c.sync();
      expect(c.messages.filter((m) => m.type === 'metrics' || m.type === 'subscribed')).toEqual([]);
      c.close();
    }));

  it('with the profile limit, 300 pings sent at once get at most 100 pongs', () =>
    withClockServer({}, async (s) => {
      const c = await Client.open(s.url(EVO));
      for (let i = 0; i < 300; i++) c.send({ type: 'ping', timestamp: i });
      await c.sync();
      expect(c.messages.filter((m) => m.type === 'pong').length).toBe(100);
      expect(c.messages.some((m) => m.type === 'error' && codeOf(m) === 'RATE_LIMITED')).toBe(true);
      c.close();
    }));

  it('the limit is per connection', async () => {
    const a = await Client.open(small().url(EVO));
    const b = await Client.open(small().url(EVO));
    for (let i = 0; i < 40; i++) a.send({ type: 'ping', timestamp: i });
    b.send({ type: 'ping', timestamp: 7 });
    expect((await b.next('pong'))['timestamp']).toBe(7);
    a.close();
    b.close();
  });
});

describe.concurrent('E10 connections per user', () => {
  it('the 4th header connection of a user gets 429; others keep working; another user is unaffected', async () => {
    const jwt = await token('carol');
    const headers = { Authorization: `Bearer ${jwt}` };
    const three = await Promise.all([0, 1, 2].map(() => Client.open(small().url(EVO), { headers })));
    expect((await upgradeStatus(small().url(EVO), { headers })).status).toBe(429);
    const dave = await Client.open(small().url(EVO), {
      headers: { Authorization: `Bearer ${await token('dave')}` },
    });
    await dave.next('auth_ok');
    for (const c of three) {
      c.send({ type: 'ping', timestamp: 1 });
      await c.next('pong');
    }
    three[0]?.close();
    await new Promise((r) => setTimeout(r, 100));
    const again = await Client.open(small().url(EVO), { headers });
    await again.next('auth_ok');
    for (const c of [...three, dave, again]) c.close();
  });

  it('the 4th auth-message connection gets RATE_LIMITED, then close 1008', async () => {
    const jwt = await token('erin');
    const three = await Promise.all([0, 1, 2].map(() => authed(small().url(EVO), jwt)));
    const fourth = await Client.open(small().url(EVO));
    fourth.send({ type: 'auth', token: jwt });
    expect(codeOf(await fourth.next('error'))).toBe('RATE_LIMITED');
    expect((await fourth.closed())?.code).toBe(1008);
    for (const c of three) expect(c.isOpen).toBe(true);
    for (const c of three) c.close();
  });

  it('concurrent upgrades of one user cannot exceed the limit', async () => {
    const headers = { Authorization: `Bearer ${await token('frank')}` };
    const results = await Promise.allSettled(
      [...Array(8)].map(() => Client.open(small().url(EVO), { headers })),
    );
    const opened = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    expect(opened.length).toBe(3);
    for (const r of results) if (r.status === 'rejected') expect(String(r.reason)).toContain('HTTP 429');
    for (const c of opened) c.close();
  });
});

describe('E10 bytes per minute', () => {
  it('over the byte limit: RATE_LIMITED, then close 1008', async () => {
    const c = await Client.open(small().url(EVO));
    const pad = 'x'.repeat(9000);
    for (let i = 0; i < 6; i++) c.send({ type: 'ping', timestamp: i, pad });
    expect(codeOf(await c.next((m) => m.type === 'error'))).toBe('RATE_LIMITED');
    expect((await c.closed())?.code).toBe(1008);
    expect(c.messages.filter((m) => m.type === 'pong').length).toBe(5);
  });
});
