// Fault checks of the evolution endpoint (E1–E12).
import { expect } from 'vitest';
import type { FaultName } from '../../../reference-server/faults.js';
import { validateServerMessage } from '../../../src/schema/index.js';
import { type Msg, upgradeStatus } from './client.js';
import {
  answersTo,
  authed,
  codeOf,
  type FaultCheck,
  open,
  refusedByMessage,
  subscribed,
} from './fault-probes.js';
import { EVO } from './server.js';
import { algNoneToken, badSignatureToken, token } from './tokens.js';

export const EVOLUTION_CHECKS: Partial<Record<FaultName, FaultCheck>> = {
  // ---- E1 ----
  'evo-greeting': {
    async check(s) {
      const c = await open(s);
      await new Promise((r) => setTimeout(r, 300));
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
      await c.next('auth_ok', 1000);
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
      expect(codeOf(await c.next('error', 1000))).toBe('AUTH_FAILED');
      expect((await c.closed(1000))?.code).toBe(1008);
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
      expect((await c.closed(1000))?.code).toBe(1008);
    },
  },
  'evo-auth-fail-silent': { check: (s) => refusedByMessage(s, 'garbage') },
  'evo-auth-out-of-order': {
    async check(s) {
      const c = await open(s);
      c.send({ type: 'auth', token: await token('order') });
      c.send({ type: 'subscribe', channel: 'evolution' });
      await c.next('subscribed', 1000);
      expect(c.messages.filter((m) => m.type === 'error')).toEqual([]);
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
    async check(s) {
      const c = await open(s);
      expect((await c.closed(1500))?.code).toBe(1008);
    },
  },
  'evo-no-expiry-close': {
    opts: { jwtLeewaySec: 0 },
    async check(s) {
      const c = await open(s);
      c.send({ type: 'auth', token: await token('brief', { expIn: 1 }) });
      await c.next('auth_ok');
      expect((await c.closed(2500))?.code).toBe(1008);
    },
  },
  // ---- E3 ----
  'evo-pong-late': {
    async check(s) {
      const c = await open(s);
      c.send({ type: 'ping', timestamp: 1 });
      await c.next('pong', 1000);
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
      await c.next('pong', 1000);
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
    async check(s) {
      const c = await subscribed(s, ['logs']);
      expect(await c.collect(1300, 'metrics')).toEqual([]);
      c.close();
    },
  },
  'evo-unsubscribe-ignored': {
    async check(s) {
      const c = await subscribed(s, ['evolution']);
      c.send({ type: 'unsubscribe', channels: ['evolution'] });
      await c.next('unsubscribed');
      await c.collect(300);
      expect(await c.collect(400, 'evolution_update')).toEqual([]);
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
    async check(s) {
      const c = await authed(s);
      c.send({ type: 'subscribe', channels: ['evolution', 'bogus'] });
      await c.next('evolution_update', 1000);
      c.close();
    },
  },
  'evo-channel-singular-ignored': {
    async check(s) {
      const c = await authed(s);
      c.send({ type: 'subscribe', channel: 'evolution' });
      await c.next('evolution_update', 1000);
      c.close();
    },
  },
  'evo-filters-ignored': {
    async check(s) {
      const c = await subscribed(s, ['evolution'], { filters: { fitness_min: 2 } });
      expect(await c.collect(500, 'evolution_update')).toEqual([]);
      c.close();
    },
  },
  // ---- E6 ----
  'evo-pause-ignored': {
    async check(s) {
      const c = await subscribed(s, ['evolution']);
      c.send({ type: 'control', action: 'pause' });
      await c.collect(1000);
      expect(await c.collect(500, 'evolution_update')).toEqual([]);
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
    async check(s) {
      const c = await subscribed(s, ['evolution']);
      const generation = (m: Msg) => (m['data'] as { generation: number }).generation;
      let before = generation(await c.next('evolution_update', 2000));
      while (before < 3) before = generation(await c.next('evolution_update', 2000));
      c.skip();
      c.send({ type: 'control', action: 'start' });
      const after = generation(await c.next('evolution_update', 2000));
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
    async check(s) {
      const c = await subscribed(s, ['evolution']);
      await c.collect(200);
      c.skip();
      c.send({ type: 'command', cmd: 'rollback', args: { generation: 1 } });
      await c.next(
        (m) => m.type === 'evolution_update' && (m['data'] as { generation: number }).generation === 1,
        1000,
      );
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
      await new Promise((r) => setTimeout(r, 100));
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
      for (let i = 0; i < 60; i++) c.send({ type: 'ping', timestamp: i });
      expect((await c.collect(600, 'pong')).length).toBeLessThanOrEqual(20);
      c.close();
    },
  },
  'evo-msg-rate-fixed-window': {
    opts: { rateMsgs: 20 },
    async check(s) {
      // Fixed windows start with the connection: 20 pings just before its first second ends and
      // 20 just after all pass; a sliding window lets only the first 20 through.
      const c = await open(s);
      const t0 = Date.now();
      await new Promise((r) => setTimeout(r, 850));
      const from = c.messages.length;
      for (let i = 0; i < 20; i++) c.send({ type: 'ping', timestamp: i });
      await new Promise((r) => setTimeout(r, Math.max(0, t0 + 1150 - Date.now())));
      for (let i = 0; i < 20; i++) c.send({ type: 'ping', timestamp: 100 + i });
      await new Promise((r) => setTimeout(r, 400));
      expect(c.messages.slice(from).filter((m) => m.type === 'pong').length).toBeLessThanOrEqual(20);
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
  'evo-no-byte-limit': {
    opts: { rateBytes: 20_000 },
    async check(s) {
      const c = await open(s);
      for (let i = 0; i < 3; i++) c.send({ type: 'ping', timestamp: i, pad: 'x'.repeat(9000) });
      expect(codeOf(await c.next('error', 1000))).toBe('RATE_LIMITED');
      expect((await c.closed(1000))?.code).toBe(1008);
    },
  },
  'evo-byte-limit-no-close': {
    opts: { rateBytes: 20_000 },
    async check(s) {
      const c = await open(s);
      for (let i = 0; i < 3; i++) c.send({ type: 'ping', timestamp: i, pad: 'x'.repeat(9000) });
      expect(codeOf(await c.next('error', 1000))).toBe('RATE_LIMITED');
      expect((await c.closed(1000))?.code).toBe(1008);
    },
  },
  // ---- E11 ----
  'evo-agent-code-ignored': {
    async check(s) {
      const c = await authed(s);
      c.sendBinary(Buffer.from('{"type":"agent_code","agent_id":"agent-1"}\nprint(1)'));
      await c.next('agent_update', 1000);
      c.close();
    },
  },
  'evo-agent-code-own-reply': {
    async check(s) {
      const c = await authed(s);
      c.sendBinary(Buffer.from('{"type":"agent_code","agent_id":"agent-1"}\nprint(1)'));
      await c.next('agent_update', 1000);
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
    async check(s) {
      const c = await subscribed(s, ['metrics']);
      expect(validateServerMessage('evolution', await c.next('metrics', 2000))).toEqual([]);
      c.close();
    },
  },
  'evo-alert-bad-severity': {
    async check(s) {
      const c = await subscribed(s, ['alerts']);
      expect(validateServerMessage('evolution', await c.next('alert', 5000))).toEqual([]);
      c.close();
    },
  },
  'evo-fitness-out-of-range': {
    async check(s) {
      const c = await subscribed(s, ['evolution']);
      expect(validateServerMessage('evolution', await c.next('evolution_update', 1000))).toEqual([]);
      c.close();
    },
  },
};
