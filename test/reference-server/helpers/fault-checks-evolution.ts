// Fault checks of the evolution endpoint (E1–E12). The server's clock is manual: a check moves it
// on (generations, the metrics sample, the auth timeout, token expiry, rate windows) and proves
// that something did not happen with a round trip on the connection (Client.sync/syncApp), never
// by waiting.
import { expect } from 'vitest';
import type { FaultName } from '../../../reference-server/faults.js';
import type { RunningServer } from '../../../reference-server/index.js';
import { validateServerMessage } from '../../../src/schema/index.js';
import { type Msg, upgradeStatus } from './client.js';
import {
  answersTo,
  authed,
  codeOf,
  type FaultCheck,
  open,
  received,
  refusedByMessage,
  subscribed,
} from './fault-probes.js';
import { EVO, GENERATION_MS } from './server.js';
import { algNoneToken, badSignatureToken, token } from './tokens.js';

/** E10: over the byte limit → RATE_LIMITED (MUST) and close 1008 (SHOULD), before a ping after it is answered */
async function overByteLimit(s: RunningServer): Promise<void> {
  const c = await open(s);
  for (let i = 0; i < 3; i++) c.send({ type: 'ping', timestamp: i, pad: 'x'.repeat(9000) });
  await c.sync();
  expect(received(c, 'error').map(codeOf)).toEqual(['RATE_LIMITED']);
  expect(c.closedWith?.code).toBe(1008);
}

export const EVOLUTION_CHECKS: Partial<Record<FaultName, FaultCheck>> = {
  // ---- E1 ----
  'evo-greeting': {
    async check(s) {
      const c = await open(s);
      await c.sync();
      expect(c.messages).toEqual([]);
      c.close();
    },
  },
  'evo-no-envelope-id': {
    async check(s) {
      const c = await authed(s);
      const [err] = await answersTo(c, () => c.send({ type: 'nope' }));
      expect(typeof err?.['id']).toBe('string');
      expect(typeof err?.['timestamp']).toBe('string');
      c.close();
    },
  },
  'evo-timestamp-number': {
    async check(s) {
      const c = await open(s);
      c.send({ type: 'subscribe', channel: 'metrics' });
      expect(validateServerMessage('evolution', await c.next('error'))).toEqual([]);
      c.close();
    },
  },
  'evo-reject-client-id': {
    async check(s) {
      const c = await authed(s);
      const got = await answersTo(c, () =>
        c.send({ type: 'subscribe', id: 'x1', timestamp: new Date().toISOString(), channel: 'logs' }),
      );
      expect(got.map((m) => m.type)).toEqual(['subscribed']);
      c.close();
    },
  },
  // ---- E2 ----
  'evo-header-auth-ignored': {
    async check(s) {
      const c = await open(s, { headers: { Authorization: `Bearer ${await token('hdr')}` } });
      await c.syncApp();
      expect(received(c, 'auth_ok')).toHaveLength(1);
      c.close();
    },
  },
  'evo-accept-alg-none': { check: (s) => refusedByMessage(s, algNoneToken()) },
  'evo-accept-bad-signature': { check: async (s) => refusedByMessage(s, await badSignatureToken()) },
  'evo-accept-expired': { check: async (s) => refusedByMessage(s, await token('x', { expIn: -120 })) },
  'evo-accept-future-nbf': { check: async (s) => refusedByMessage(s, await token('x', { nbfIn: 120 })) },
  'evo-accept-other-alg': { check: async (s) => refusedByMessage(s, await token('x', { alg: 'HS512' })) },
  'evo-bad-header-silent': {
    // MUST: 401, or 101 + AUTH_FAILED + close 1008
    async check(s) {
      const headers = { Authorization: `Bearer ${await badSignatureToken()}` };
      const r = await upgradeStatus(s.url(EVO), { headers });
      if (r.status === 401) return;
      const c = await open(s, { headers });
      await c.syncApp();
      expect(received(c, 'error').map(codeOf)).toEqual(['AUTH_FAILED']);
      expect(c.closedWith?.code).toBe(1008);
    },
  },
  'evo-bad-header-101': {
    // SHOULD: 401 before the upgrade
    check: async (s) =>
      expect(
        (
          await upgradeStatus(s.url(EVO), {
            headers: { Authorization: `Bearer ${await badSignatureToken()}` },
          })
        ).status,
      ).toBe(401),
  },
  'evo-auth-fail-no-close': {
    async check(s) {
      const c = await open(s);
      c.send({ type: 'auth', token: 'garbage' });
      await c.syncApp();
      expect(c.closedWith?.code).toBe(1008);
    },
  },
  'evo-auth-fail-silent': { check: (s) => refusedByMessage(s, 'garbage') },
  'evo-auth-out-of-order': {
    async check(s) {
      const c = await open(s);
      c.send({ type: 'auth', token: await token('order') });
      c.send({ type: 'subscribe', channel: 'evolution' });
      await c.syncApp();
      expect(received(c, 'subscribed')).toHaveLength(1);
      expect(received(c, 'error')).toEqual([]);
      c.close();
    },
  },
  'evo-unauth-allowed': {
    async check(s) {
      const c = await open(s);
      const got = await answersTo(c, () => c.send({ type: 'subscribe', channel: 'evolution' }));
      expect(got.map((m) => (m.type === 'error' ? codeOf(m) : m.type))).toEqual(['UNAUTHORIZED']);
      c.close();
    },
  },
  'evo-unauth-wrong-code': {
    async check(s) {
      const c = await open(s);
      const got = await answersTo(c, () => c.send({ type: 'get_agent', agent_id: 'nobody' }));
      expect(got.map(codeOf)).toEqual(['UNAUTHORIZED']);
      c.close();
    },
  },
  'evo-no-auth-timeout': {
    opts: { authTimeoutMs: 300 },
    async check(s, clock) {
      const c = await open(s);
      clock.advance(299);
      await c.sync();
      expect(c.closedWith, 'open until the timeout').toBeUndefined();
      clock.advance(1);
      await c.sync();
      expect(c.closedWith?.code).toBe(1008);
    },
  },
  'evo-no-expiry-close': {
    opts: { jwtLeewaySec: 0 },
    async check(s, clock) {
      const c = await open(s);
      c.send({ type: 'auth', token: await token('brief', { expIn: 1 }) });
      await c.next('auth_ok');
      // exp is at most 1 s ahead of the clock (whole seconds, E2)
      clock.advance(1500);
      await c.sync();
      expect(c.closedWith?.code).toBe(1008);
    },
  },
  // ---- E3 ----
  'evo-pong-late': {
    async check(s, clock) {
      const c = await open(s);
      c.send({ type: 'ping', timestamp: 1 });
      // the ping has been handled; then the 1 s E3 allows passes
      await c.sync();
      clock.advance(1000);
      await c.sync();
      expect(received(c, 'pong')).toHaveLength(1);
      c.close();
    },
  },
  'evo-pong-server-time': {
    async check(s) {
      const c = await open(s);
      c.send({ type: 'ping', timestamp: 42 });
      expect((await c.next('pong'))['timestamp']).toBe(42);
      c.close();
    },
  },
  'evo-ping-needs-auth': {
    async check(s) {
      const c = await open(s);
      c.send({ type: 'ping', timestamp: 1 });
      await c.sync();
      expect(received(c, 'pong')).toHaveLength(1);
      c.close();
    },
  },
  'evo-ping-bad-timestamp-pong': {
    async check(s) {
      const c = await authed(s);
      expect((await answersTo(c, () => c.send({ type: 'ping' }))).map(codeOf)).toEqual(['INVALID_COMMAND']);
      c.close();
    },
  },
  // ---- E4, E5 ----
  'evo-leak-unsubscribed': {
    async check(s, clock) {
      const c = await subscribed(s, ['logs']);
      // one metrics sample (about one a second, seed "System Metrics")
      clock.advance(1000);
      await c.sync();
      expect(received(c, 'metrics')).toEqual([]);
      c.close();
    },
  },
  'evo-unsubscribe-ignored': {
    async check(s, clock) {
      const c = await subscribed(s, ['evolution']);
      c.send({ type: 'unsubscribe', channels: ['evolution'] });
      await c.next('unsubscribed');
      c.skip();
      clock.advance(20 * GENERATION_MS);
      await c.sync();
      expect(c.takeAll('evolution_update')).toEqual([]);
      c.close();
    },
  },
  'evo-unknown-channel-silent': {
    async check(s) {
      const c = await authed(s);
      const got = await answersTo(c, () => c.send({ type: 'subscribe', channels: ['logs', 'bogus'] }));
      expect(got.some((m) => m.type === 'error' && codeOf(m) === 'INVALID_COMMAND')).toBe(true);
      c.close();
    },
  },
  'evo-unknown-channel-drops-valid': {
    async check(s, clock) {
      const c = await authed(s);
      c.send({ type: 'subscribe', channels: ['evolution', 'bogus'] });
      await c.syncApp();
      clock.advance(GENERATION_MS);
      await c.sync();
      expect(received(c, 'evolution_update')).toHaveLength(1);
      c.close();
    },
  },
  'evo-channel-singular-ignored': {
    async check(s, clock) {
      const c = await authed(s);
      c.send({ type: 'subscribe', channel: 'evolution' });
      await c.syncApp();
      clock.advance(GENERATION_MS);
      await c.sync();
      expect(received(c, 'evolution_update')).toHaveLength(1);
      c.close();
    },
  },
  'evo-filters-ignored': {
    async check(s, clock) {
      const c = await subscribed(s, ['evolution'], { filters: { fitness_min: 2 } });
      clock.advance(20 * GENERATION_MS);
      await c.sync();
      expect(received(c, 'evolution_update')).toEqual([]);
      c.close();
    },
  },
  // ---- E6 ----
  'evo-pause-ignored': {
    async check(s, clock) {
      const c = await subscribed(s, ['evolution']);
      c.send({ type: 'control', action: 'pause' });
      await c.syncApp();
      c.skip();
      clock.advance(20 * GENERATION_MS);
      await c.sync();
      expect(c.takeAll('evolution_update')).toEqual([]);
      c.close();
    },
  },
  'evo-control-bad-param-accepted': {
    async check(s) {
      const c = await authed(s);
      const got = await answersTo(c, () =>
        c.send({ type: 'control', action: 'resume', parameters: { population_size: 0 } }),
      );
      expect(got.map(codeOf)).toEqual(['INVALID_COMMAND']);
      c.close();
    },
  },
  'evo-start-restarts': {
    async check(s, clock) {
      const c = await subscribed(s, ['evolution']);
      const generation = (m: Msg) => (m['data'] as { generation: number }).generation;
      clock.advance(4 * GENERATION_MS);
      await c.sync();
      const before = generation(received(c, 'evolution_update').at(-1) ?? { type: 'none', data: { generation: 0 } });
      expect(before).toBeGreaterThanOrEqual(3);
      c.skip();
      c.send({ type: 'control', action: 'start' });
      await c.syncApp();
      clock.advance(GENERATION_MS);
      const after = generation(await c.next('evolution_update'));
      expect(after).toBeGreaterThanOrEqual(before);
      c.close();
    },
  },
  // ---- E7, E8 ----
  'evo-get-agent-wrong-code': {
    async check(s) {
      const c = await authed(s);
      expect(
        (await answersTo(c, () => c.send({ type: 'get_agent', agent_id: 'nobody' }))).map(codeOf),
      ).toEqual(['AGENT_NOT_FOUND']);
      c.close();
    },
  },
  'evo-get-agent-no-reply': {
    async check(s) {
      const c = await authed(s);
      expect(
        (await answersTo(c, () => c.send({ type: 'get_agent', agent_id: 'agent-1' }))).map((m) => m.type),
      ).toEqual(['agent_update']);
      c.close();
    },
  },
  'evo-rollback-ignored': {
    async check(s, clock) {
      const c = await subscribed(s, ['evolution']);
      clock.advance(5 * GENERATION_MS);
      await c.sync();
      c.skip();
      c.send({ type: 'command', cmd: 'rollback', args: { generation: 1 } });
      await c.syncApp();
      const updates = c.takeAll('evolution_update');
      expect(updates.map((m) => (m['data'] as { generation: number }).generation)).toEqual([1]);
      c.close();
    },
  },
  'evo-rollback-out-of-range-accepted': {
    async check(s) {
      const c = await authed(s);
      const got = await answersTo(c, () =>
        c.send({ type: 'command', cmd: 'rollback', args: { generation: 10_000_000 } }),
      );
      expect(got.map(codeOf)).toEqual(['INVALID_COMMAND']);
      c.close();
    },
  },
  // ---- E9 ----
  'evo-unknown-type-silent': {
    async check(s) {
      const c = await authed(s);
      expect((await answersTo(c, () => c.send({ type: 'nope' }))).map(codeOf)).toEqual(['INVALID_COMMAND']);
      c.close();
    },
  },
  'evo-invalid-closes': {
    async check(s) {
      const c = await authed(s);
      const got = await answersTo(c, () => c.send({ type: 'get_agent', agent_id: 7 }));
      expect(got.map(codeOf)).toEqual(['INVALID_COMMAND']);
      await c.sync();
      expect(c.isOpen).toBe(true);
      c.close();
    },
  },
  'evo-invalid-silent': {
    async check(s) {
      const c = await authed(s);
      expect((await answersTo(c, () => c.send({ type: 'get_agent' }))).map(codeOf)).toEqual(['INVALID_COMMAND']);
      c.close();
    },
  },
  'evo-invalid-command-other-code': {
    async check(s) {
      const c = await authed(s);
      expect((await answersTo(c, () => c.send({ type: 'nope' }))).map(codeOf)).toEqual(['INVALID_COMMAND']);
      c.close();
    },
  },
  'evo-error-echoes-token': {
    async check(s) {
      const jwt = await badSignatureToken();
      const c = await open(s);
      c.send({ type: 'auth', token: jwt });
      expect(JSON.stringify(await c.next('error'))).not.toContain(jwt);
    },
  },
  'evo-error-bad-code': {
    async check(s) {
      const c = await authed(s);
      c.send({ type: 'nope' });
      expect(validateServerMessage('evolution', await c.next('error'))).toEqual([]);
      c.close();
    },
  },
  // ---- E10 ----
  'evo-no-msg-rate-limit': {
    opts: { rateMsgs: 20 },
    async check(s) {
      const c = await open(s);
      // the clock stands still: all 60 arrive within one window
      for (let i = 0; i < 60; i++) c.send({ type: 'ping', timestamp: i });
      await c.sync();
      expect(received(c, 'pong')).toHaveLength(20);
      c.close();
    },
  },
  'evo-msg-rate-fixed-window': {
    opts: { rateMsgs: 20 },
    async check(s, clock) {
      // Fixed windows start with the connection: 20 pings just before its first second ends and
      // 20 just after all pass; a sliding window lets only the first 20 through.
      const c = await open(s);
      clock.advance(850);
      for (let i = 0; i < 20; i++) c.send({ type: 'ping', timestamp: i });
      await c.sync();
      clock.advance(300);
      for (let i = 0; i < 20; i++) c.send({ type: 'ping', timestamp: 100 + i });
      await c.sync();
      expect(received(c, 'pong')).toHaveLength(20);
      c.close();
    },
  },
  'evo-no-conn-limit': {
    opts: { rateConns: 2 },
    async check(s) {
      const headers = { Authorization: `Bearer ${await token('one-user')}` };
      const two = [await open(s, { headers }), await open(s, { headers })];
      expect((await upgradeStatus(s.url(EVO), { headers })).status).toBe(429);
      for (const c of two) c.close();
    },
  },
  'evo-conn-limit-global': {
    opts: { rateConns: 2 },
    async check(s) {
      const headers = { Authorization: `Bearer ${await token('user-a')}` };
      const two = [await open(s, { headers }), await open(s, { headers })];
      expect(
        (await upgradeStatus(s.url(EVO), { headers: { Authorization: `Bearer ${await token('user-b')}` } }))
          .status,
      ).toBe(101);
      for (const c of two) c.close();
    },
  },
  'evo-no-byte-limit': { opts: { rateBytes: 20_000 }, check: (s) => overByteLimit(s) },
  'evo-byte-limit-no-close': { opts: { rateBytes: 20_000 }, check: (s) => overByteLimit(s) },
  // ---- E11 ----
  'evo-agent-code-ignored': {
    async check(s) {
      const c = await authed(s);
      c.sendBinary(Buffer.from('{"type":"agent_code","agent_id":"agent-1"}\nprint(1)'));
      await c.sync();
      expect(received(c, 'agent_update')).toHaveLength(1);
      c.close();
    },
  },
  'evo-agent-code-own-reply': {
    async check(s) {
      const c = await authed(s);
      c.sendBinary(Buffer.from('{"type":"agent_code","agent_id":"agent-1"}\nprint(1)'));
      await c.sync();
      expect(received(c, 'agent_update')).toHaveLength(1);
      c.close();
    },
  },
  'evo-agent-code-bad-header-silent': {
    async check(s) {
      const c = await authed(s);
      expect((await answersTo(c, () => c.sendBinary(Buffer.from('{oops\ncode')))).map(codeOf)).toEqual([
        'INVALID_COMMAND',
      ]);
      c.close();
    },
  },
  // ---- E12 ----
  'evo-metrics-negative': {
    async check(s, clock) {
      const c = await subscribed(s, ['metrics']);
      clock.advance(1000);
      expect(validateServerMessage('evolution', await c.next('metrics'))).toEqual([]);
      c.close();
    },
  },
  'evo-alert-bad-severity': {
    async check(s, clock) {
      const c = await subscribed(s, ['alerts']);
      // alerts follow fitness regressions, which the drifting target causes every ~2 s of run time
      await clock.until(() => received(c, 'alert').length > 0, 10 * GENERATION_MS, 20_000);
      expect(validateServerMessage('evolution', await c.next('alert'))).toEqual([]);
      c.close();
    },
  },
  'evo-fitness-out-of-range': {
    async check(s, clock) {
      const c = await subscribed(s, ['evolution']);
      clock.advance(GENERATION_MS);
      expect(validateServerMessage('evolution', await c.next('evolution_update'))).toEqual([]);
      c.close();
    },
  },
};
