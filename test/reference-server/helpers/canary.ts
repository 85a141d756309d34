// C4 canary: a fresh connection completes the handshake and a heartbeat within 2 s.
import { expect } from 'vitest';
import type { RunningServer } from '../../../reference-server/index.js';
import { Client } from './client.js';
import { EVO } from './server.js';

export async function expectCanary(server: RunningServer): Promise<void> {
  const started = Date.now();
  const c = await Client.open(server.url(EVO), { timeoutMs: 2000 });
  const pong = new Promise<Buffer>((resolve) => c.ws.once('pong', resolve));
  c.ws.ping(Buffer.from('canary'));
  expect((await pong).toString()).toBe('canary');
  const ts = Date.now();
  c.send({ type: 'ping', timestamp: ts });
  expect((await c.next('pong', 2000))['timestamp']).toBe(ts);
  c.close();
  const a = await Client.open(server.url('/ws'), { timeoutMs: 2000 });
  await a.next('initial_state', 2000);
  a.close();
  expect(Date.now() - started).toBeLessThan(4000);
}
