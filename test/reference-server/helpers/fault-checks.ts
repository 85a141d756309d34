// One check per reference-server fault (except ath-*, owned by the Atheria endpoint): it resolves
// against a correct server and rejects against a server with that fault, proving that the fault
// breaks its rule. `opts` are the server settings the check needs (same for both runs).
import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import type { FaultName } from '../../../reference-server/faults.js';
import type { RunningServer, StartOptions } from '../../../reference-server/index.js';
import { validateServerMessage } from '../../../src/schema/index.js';
import { expectCanary } from './canary.js';
import { Client, type Msg, upgradeStatus } from './client.js';
import { acceptFor, frame, RawSocket, rawWebSocket, upgradeRequest } from './raw.js';
import { EVO } from './server.js';
import { algNoneToken, badSignatureToken, token } from './tokens.js';

export interface FaultCheck {
  opts?: StartOptions;
  /** resolves when the rule holds, rejects when it is broken */
  check(server: RunningServer): Promise<void>;
}

const ALLOWED_ORIGIN = 'https://app.example.com';
const codeOf = (m: Msg) => (m['error'] as { code: string }).code;
const open = (s: RunningServer, opts = {}) => Client.open(s.url(EVO), { validate: false, ...opts });

async function authed(s: RunningServer, user = 'fault'): Promise<Client> {
  const c = await open(s);
  c.send({ type: 'auth', token: await token(user) });
  await c.next('auth_ok');
  return c;
}

async function subscribed(s: RunningServer, channels: string[], extra: Record<string, unknown> = {}): Promise<Client> {
  const c = await authed(s);
  c.send({ type: 'subscribe', channels, ...extra });
  await c.next('subscribed');
  return c;
}

async function head(s: RunningServer, path: string, headers: Record<string, string | undefined> = {}, method = 'GET') {
  const raw = await RawSocket.connect(s.port);
  raw.write(upgradeRequest(path, headers, method));
  const h = await raw.head();
  raw.destroy();
  return h;
}

/** the close code the server sends after `bytes` on a fresh raw connection */
async function closeAfter(s: RunningServer, bytes: Buffer): Promise<number | undefined> {
  const raw = await rawWebSocket(s.port, EVO);
  raw.write(bytes);
  const code = await raw.closeCode(1500);
  raw.destroy();
  return code;
}

/** answers up to the pong of a ping sent after `send` (per-connection order, E2) */
async function answersTo(c: Client, send: () => void): Promise<Msg[]> {
  c.skip();
  const from = c.messages.length;
  send();
  const ts = Date.now() + Math.random();
  c.send({ type: 'ping', timestamp: ts });
  await c.next((m) => m.type === 'pong' && m['timestamp'] === ts);
  return c.messages.slice(from).filter((m) => m.type !== 'pong' && ['error', 'subscribed', 'unsubscribed', 'agent_update'].includes(m.type));
}

/** a bad token sent in an auth message: AUTH_FAILED (MUST), close 1008 within 1 s (SHOULD) */
async function refusedByMessage(s: RunningServer, jwt: string): Promise<void> {
  const c = await open(s);
  c.send({ type: 'auth', token: jwt });
  expect(codeOf(await c.next('error', 1000))).toBe('AUTH_FAILED');
}

const checks: Partial<Record<FaultName, FaultCheck>> = {
  // ---- C1 ----
  'handshake-wrong-accept': {
    async check(s) {
      const key = randomBytes(16).toString('base64');
      expect((await head(s, EVO, { 'Sec-WebSocket-Key': key }))?.headers['sec-websocket-accept']).toBe(acceptFor(key));
    },
  },
  'handshake-any-path': { check: async (s) => expect((await head(s, '/nope'))?.status).toBe(404) },
  'handshake-bad-key-accepted': {
    check: async (s) => expect((await head(s, EVO, { 'Sec-WebSocket-Key': undefined }))?.status).toBe(400),
  },
  'handshake-version-no-header': {
    async check(s) {
      const h = await head(s, EVO, { 'Sec-WebSocket-Version': '12' });
      expect(h?.status).toBe(426);
      expect(h?.headers['sec-websocket-version']).toBe('13');
    },
  },
  'handshake-post-accepted': { check: async (s) => expect((await head(s, EVO, {}, 'POST'))?.status).toBe(405) },
  'handshake-subprotocol-echo': {
    check: async (s) => expect((await upgradeStatus(s.url(EVO), { protocols: ['chat'] })).headers['sec-websocket-protocol']).toBeUndefined(),
  },
  // ---- C2 ----
  'origin-suffix-match': {
    opts: { origins: [ALLOWED_ORIGIN] },
    check: async (s) => expect((await upgradeStatus(s.url(EVO), { origin: `${ALLOWED_ORIGIN}.evil.test` })).status).toBe(403),
  },
  'origin-null-allowed': {
    opts: { origins: [ALLOWED_ORIGIN] },
    check: async (s) => expect((await upgradeStatus(s.url(EVO), { headers: { Origin: 'null' } })).status).toBe(403),
  },
  'origin-missing-rejected': {
    opts: { origins: [ALLOWED_ORIGIN] },
    check: async (s) => expect((await upgradeStatus(s.url(EVO))).status).toBe(101),
  },
  // ---- C3 ----
  'pong-wrong-payload': {
    async check(s) {
      const c = await open(s);
      const pong = new Promise<Buffer>((resolve) => c.ws.once('pong', resolve));
      c.ws.ping(Buffer.from('abc'));
      expect((await pong).toString()).toBe('abc');
      c.close();
    },
  },
  'close-wrong-code': {
    async check(s) {
      const c = await open(s);
      c.ws.close(4321);
      expect((await c.closed())?.code).toBe(4321);
    },
  },
  'protocol-error-wrong-code': { check: async (s) => expect(await closeAfter(s, frame({ opcode: 0x3 }))).toBe(1002) },
  'utf8-not-checked': {
    check: async (s) => expect(await closeAfter(s, frame({ opcode: 0x1, payload: Buffer.from([0xc3, 0x28]) }))).toBe(1007),
  },
  'no-size-limit': {
    check: async (s) => expect(await closeAfter(s, frame({ opcode: 0x2, payload: Buffer.alloc(1024 * 1024 + 1) }))).toBe(1009),
  },
  // ---- C4 ----
  'crash-on-proto-key': {
    async check(s) {
      const c = await authed(s);
      c.sendText('{"type":"subscribe","channels":["logs"],"__proto__":{"x":1}}');
      await c.next('subscribed', 1000);
      await expectCanary(s);
      c.close();
    },
  },
  'stall-on-bad-json': {
    async check(s) {
      const c = await open(s);
      c.sendText('{not json');
      // at once: the server handles the text while the canary is under way
      await expectCanary(s);
      c.close();
    },
  },
  'crash-on-header-flood': {
    async check(s) {
      const headers: Record<string, string> = {};
      for (let i = 0; i < 2000; i++) headers[`x-flood-${i}`] = 'y';
      expect([400, 431]).toContain((await head(s, EVO, headers))?.status);
      await expectCanary(s);
    },
  },
  'stall-on-slow-handshake': {
    async check(s) {
      const half = await RawSocket.connect(s.port);
      half.write(`GET ${EVO} HTTP/1.1\r\nHost: x\r\n`);
      try {
        await expectCanary(s);
      } finally {
        half.destroy();
      }
    },
  },
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
      const got = await answersTo(c, () => c.send({ type: 'subscribe', id: 'x1', timestamp: new Date().toISOString(), channel: 'logs' }));
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
      expect((await upgradeStatus(s.url(EVO), { headers: { Authorization: `Bearer ${await badSignatureToken()}` } })).status).toBe(401),
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
      const got = await answersTo(c, () => c.send({ type: 'control', action: 'resume', parameters: { population_size: 0 } }));
      expect(got.map(codeOf)).toEqual(['INVALID_COMMAND']);
      c.close();
    },
  },
  'evo-resume-error': {
    async check(s) {
      const c = await authed(s);
      expect(await answersTo(c, () => c.send({ type: 'control', action: 'resume' }))).toEqual([]);
      c.close();
    },
  },
  // ---- E7, E8 ----
  'evo-get-agent-wrong-code': {
    async check(s) {
      const c = await authed(s);
      expect((await answersTo(c, () => c.send({ type: 'get_agent', agent_id: 'nobody' }))).map(codeOf)).toEqual(['AGENT_NOT_FOUND']);
      c.close();
    },
  },
  'evo-get-agent-no-reply': {
    async check(s) {
      const c = await authed(s);
      expect((await answersTo(c, () => c.send({ type: 'get_agent', agent_id: 'agent-1' }))).map((m) => m.type)).toEqual(['agent_update']);
      c.close();
    },
  },
  'evo-rollback-ignored': {
    async check(s) {
      const c = await subscribed(s, ['evolution']);
      await c.collect(200);
      c.skip();
      c.send({ type: 'command', cmd: 'rollback', args: { generation: 1 } });
      await c.next((m) => m.type === 'evolution_update' && (m['data'] as { generation: number }).generation === 1, 1000);
      c.close();
    },
  },
  'evo-rollback-out-of-range-accepted': {
    async check(s) {
      const c = await authed(s);
      const got = await answersTo(c, () => c.send({ type: 'command', cmd: 'rollback', args: { generation: 10_000_000 } }));
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
      expect((await upgradeStatus(s.url(EVO), { headers: { Authorization: `Bearer ${await token('user-b')}` } })).status).toBe(101);
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
  // ---- E11 ----
  'evo-agent-code-ignored': {
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
      expect((await answersTo(c, () => c.sendBinary(Buffer.from('{oops\ncode')))).map(codeOf)).toEqual(['INVALID_COMMAND']);
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

export const FAULT_CHECKS = checks;

/** the faults this helper owns: everything but the Atheria endpoint's ath-* */
export const isServerCoreFault = (name: string) => !name.startsWith('ath-');
