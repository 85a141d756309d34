// 1,000 concurrent authenticated connections are held and served: each gets its pong and a
// broadcast metrics event; then a fresh client is still served quickly (C4). Timings are printed,
// never asserted (speed belongs in the bench).
import { expect, it } from 'vitest';
import WebSocket from 'ws';
import { validateServerMessage } from '../../src/schema/index.js';
import { expectCanary } from './helpers/canary.js';
import { token } from './helpers/tokens.js';
import { EVO, useServer } from './helpers/server.js';

const srv = useServer();
const N = 1000;

function connect(url: string, jwt: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers: { Authorization: `Bearer ${jwt}` }, perMessageDeflate: false });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

function until(ws: WebSocket, type: string): Promise<Record<string, unknown>> {
  return new Promise((resolve) => {
    const on = (data: Buffer) => {
      const m = JSON.parse(data.toString()) as Record<string, unknown>;
      if (m['type'] === type) {
        ws.off('message', on);
        resolve(m);
      }
    };
    ws.on('message', on);
  });
}

it(`holds ${N} concurrent connections and serves every one`, async () => {
  // 100 users × 10 connections: exactly the per-user limit (E10)
  const tokens = await Promise.all([...Array(N / 10).keys()].map((u) => token(`load-${u}`)));
  const url = srv().url(EVO);
  const t0 = performance.now();
  const sockets: WebSocket[] = [];
  for (let batch = 0; batch < N; batch += 100) {
    sockets.push(
      ...(await Promise.all(
        [...Array(100).keys()].map((i) => connect(url, tokens[Math.floor((batch + i) / 10)] ?? '')),
      )),
    );
  }
  const connectMs = performance.now() - t0;
  expect(srv().metrics.connectionsOpen).toBeGreaterThanOrEqual(N);

  const t1 = performance.now();
  const pongs = sockets.map((ws, i) => {
    const p = until(ws, 'pong');
    ws.send(JSON.stringify({ type: 'ping', timestamp: i }));
    return p;
  });
  const answered = await Promise.all(pongs);
  const pingMs = performance.now() - t1;
  expect(answered.map((m) => m['timestamp'])).toEqual([...Array(N).keys()]);

  const t2 = performance.now();
  const metrics = sockets.map((ws) => {
    const p = until(ws, 'metrics');
    ws.send(JSON.stringify({ type: 'subscribe', channel: 'metrics' }));
    return p;
  });
  const samples = await Promise.all(metrics);
  const broadcastMs = performance.now() - t2;
  for (const m of [...answered, ...samples]) expect(validateServerMessage('evolution', m)).toEqual([]);

  await expectCanary(srv());
  console.log(
    `load: ${N} connections in ${connectMs.toFixed(0)} ms; ${N} ping→pong in ${pingMs.toFixed(0)} ms; ` +
      `metrics broadcast reached all within ${broadcastMs.toFixed(0)} ms of subscribing`,
  );
  for (const ws of sockets) ws.terminate();
}, 45_000);
