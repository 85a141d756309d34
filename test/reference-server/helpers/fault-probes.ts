// Building blocks of the fault checks: small probes of the reference server's behaviour.
import { expect } from 'vitest';
import type { RunningServer, StartOptions } from '../../../reference-server/index.js';
import { Client, type Msg } from './client.js';
import type { ManualClock } from './manual-clock.js';
import { frame, RawSocket, rawWebSocket, upgradeRequest } from './raw.js';
import { EVO } from './server.js';
import { token } from './tokens.js';

export interface FaultCheck {
  opts?: StartOptions;
  /**
   * Resolves when the rule holds, rejects when it is broken. The server's timers run on `clock`,
   * which stands still unless the check moves it on: a check waits for no timer in real time.
   */
  check(server: RunningServer, clock: ManualClock): Promise<void>;
}

export const ALLOWED_ORIGIN = 'https://app.example.com';
export const codeOf = (m: Msg) => (m['error'] as { code: string }).code;
export const open = (s: RunningServer, opts = {}) => Client.open(s.url(EVO), { validate: false, ...opts });

export async function authed(s: RunningServer, user = 'fault'): Promise<Client> {
  const c = await open(s);
  c.send({ type: 'auth', token: await token(user) });
  await c.next('auth_ok');
  return c;
}

export async function subscribed(
  s: RunningServer,
  channels: string[],
  extra: Record<string, unknown> = {},
): Promise<Client> {
  const c = await authed(s);
  c.send({ type: 'subscribe', channels, ...extra });
  await c.next('subscribed');
  return c;
}

export async function head(
  s: RunningServer,
  path: string,
  headers: Record<string, string | undefined> = {},
  method = 'GET',
) {
  const raw = await RawSocket.connect(s.port);
  raw.write(upgradeRequest(path, headers, method));
  const h = await raw.head();
  raw.destroy();
  return h;
}

/**
 * The close code the server sends after `bytes` on a fresh raw connection, or undefined when it
 * answers a ping sent after them instead (it took the bytes without closing: no need to wait).
 */
export async function closeAfter(s: RunningServer, bytes: Buffer): Promise<number | undefined> {
  const raw = await rawWebSocket(s.port, EVO);
  const probe = Buffer.from('after');
  raw.write(Buffer.concat([bytes, frame({ opcode: 0x9, payload: probe })]));
  try {
    for (;;) {
      const f = await raw.frame(1500);
      if (!f) return undefined;
      if (f.opcode === 0x8) return f.payload.length >= 2 ? f.payload.readUInt16BE(0) : 1005;
      if (f.opcode === 0xa && f.payload.equals(probe)) return undefined;
    }
  } finally {
    raw.destroy();
  }
}

/** answers up to the pong of a ping sent after `send` (per-connection order, E2) */
export async function answersTo(c: Client, send: () => void): Promise<Msg[]> {
  c.skip();
  const from = c.messages.length;
  send();
  const ts = Date.now() + Math.random();
  c.send({ type: 'ping', timestamp: ts });
  await c.next((m) => m.type === 'pong' && m['timestamp'] === ts);
  return c.messages
    .slice(from)
    .filter(
      (m) => m.type !== 'pong' && ['error', 'subscribed', 'unsubscribed', 'agent_update'].includes(m.type),
    );
}

/** a bad token sent in an auth message: AUTH_FAILED (MUST) before a ping sent after it is answered */
export async function refusedByMessage(s: RunningServer, jwt: string): Promise<void> {
  const c = await open(s);
  c.send({ type: 'auth', token: jwt });
  await c.syncApp();
  expect(c.messages.filter((m) => m.type === 'error').map(codeOf)).toEqual(['AUTH_FAILED']);
  c.close();
}

/** the messages of `type` received so far */
export const received = (c: Client, type: string) => c.messages.filter((m) => m.type === type);
