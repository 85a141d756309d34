// C4 canary: a fresh connection completes the handshake and a heartbeat within 2 s, on each
// endpoint (Evolution: WebSocket ping/pong and application ping/pong; Atheria: initial_state).
import { expect } from 'vitest';
import type { RunningServer } from '../../../reference-server/index.js';
import { Client } from './client.js';
import { EVO } from './server.js';

const LIMIT_MS = 2000;

/** `limitMs` below the rule's 2 s only where the fault would stall forever (nothing to wait out) */
export async function expectCanary(server: RunningServer, limitMs = LIMIT_MS): Promise<void> {
  let started = Date.now();
  const c = await Client.open(server.url(EVO), { timeoutMs: limitMs, validate: false });
  const pong = new Promise<Buffer>((resolve) => c.ws.once('pong', resolve));
  c.ws.ping(Buffer.from('canary'));
  expect((await pong).toString()).toBe('canary');
  const ts = Date.now();
  c.send({ type: 'ping', timestamp: ts });
  expect((await c.next('pong', limitMs))['timestamp']).toBe(ts);
  c.close();
  expect(Date.now() - started, 'evolution canary time').toBeLessThan(limitMs);
  started = Date.now();
  const a = await Client.open(server.url('/ws'), { timeoutMs: limitMs, validate: false });
  await a.next('initial_state', limitMs);
  a.close();
  expect(Date.now() - started, 'atheria canary time').toBeLessThan(limitMs);
}
