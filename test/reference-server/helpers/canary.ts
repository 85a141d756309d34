// C4 canary: a fresh connection completes the handshake and a heartbeat within 2 s, on each
// endpoint (Evolution: WebSocket ping/pong and application ping/pong; Atheria: initial_state).
import { expect } from 'vitest';
import type { RunningServer } from '../../../reference-server/index.js';
import { Client } from './client.js';
import { EVO } from './server.js';

const LIMIT_MS = 2000;

export async function expectCanary(server: RunningServer): Promise<void> {
  let started = Date.now();
  const c = await Client.open(server.url(EVO), { timeoutMs: LIMIT_MS, validate: false });
  const pong = new Promise<Buffer>((resolve) => c.ws.once('pong', resolve));
  c.ws.ping(Buffer.from('canary'));
  expect((await pong).toString()).toBe('canary');
  const ts = Date.now();
  c.send({ type: 'ping', timestamp: ts });
  expect((await c.next('pong', LIMIT_MS))['timestamp']).toBe(ts);
  c.close();
  expect(Date.now() - started, 'evolution canary time').toBeLessThan(LIMIT_MS);
  started = Date.now();
  const a = await Client.open(server.url('/ws'), { timeoutMs: LIMIT_MS, validate: false });
  await a.next('initial_state', LIMIT_MS);
  a.close();
  expect(Date.now() - started, 'atheria canary time').toBeLessThan(LIMIT_MS);
}
