// An exception in one of the server's own handlers is a bug of the server: it is logged with the
// connection id and the message type (reference-server/log.ts) before the client gets 1011, a 500
// or an error message, and the server keeps serving.
import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import { realClock } from '../../reference-server/clock.js';
import type { EndpointFactory } from '../../reference-server/endpoint.js';
import { Envelope } from '../../reference-server/evolution/envelope.js';
import { Session, type SessionDeps } from '../../reference-server/evolution/session.js';
import { RequestStats } from '../../reference-server/evolution/stats.js';
import type { HandlerFailure } from '../../reference-server/log.js';
import { ServerMetrics } from '../../reference-server/metrics.js';
import { resolveOptions } from '../../reference-server/options.js';
import { createReferenceServer } from '../../reference-server/server.js';
import { Client, upgradeStatus } from './helpers/client.js';

const boom = () => {
  throw new Error('boom');
};

/** an endpoint whose handlers throw where `throwIn` says */
const broken =
  (throwIn: 'upgrade' | 'connect'): EndpointFactory =>
  () => ({
    path: '/broken',
    checkUpgrade: async (_req: IncomingMessage) => (throwIn === 'upgrade' ? boom() : { accept: undefined }),
    onConnection: () => (throwIn === 'connect' ? boom() : undefined),
    close: () => {},
  });

async function withBroken(throwIn: 'upgrade' | 'connect', fn: (url: string) => Promise<void>) {
  const logged: HandlerFailure[] = [];
  const server = await createReferenceServer(resolveOptions({ logError: (f) => logged.push(f) }), [
    broken(throwIn),
  ]);
  try {
    await fn(server.url('/broken'));
  } finally {
    await server.close();
  }
  return logged;
}

describe('handler exceptions', () => {
  it('a throwing upgrade check: logged with the request id, then 500', async () => {
    const logged = await withBroken('upgrade', async (url) => {
      expect((await upgradeStatus(url)).status).toBe(500);
    });
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({ connection: 'u1', messageType: 'upgrade' });
    expect(String(logged[0]?.error)).toContain('boom');
  });

  it('a throwing connection handler: logged with the connection id, then close 1011', async () => {
    const logged = await withBroken('connect', async (url) => {
      const c = await Client.open(url, { validate: false });
      expect((await c.closed())?.code).toBe(1011);
      // the server keeps serving
      const again = await Client.open(url, { validate: false });
      expect((await again.closed())?.code).toBe(1011);
    });
    expect(logged.map((f) => [f.connection, f.messageType])).toEqual([
      ['c1', 'connect'],
      ['c2', 'connect'],
    ]);
  });

  it('a throwing evolution message handler: logged with the connection id and type, then EVOLUTION_FAILED', () => {
    const sent: string[] = [];
    const ws = { readyState: 1, OPEN: 1, bufferedAmount: 0, send: (t: string) => sent.push(t) };
    const logged: HandlerFailure[] = [];
    const deps: SessionDeps = {
      options: { rateMsgs: 100, rateBytes: 1_000_000, jwtLeewaySec: 0 },
      metrics: new ServerMetrics(),
      has: () => false,
      clock: realClock,
      logError: (f) => logged.push(f),
      envelope: new Envelope(() => false, realClock),
      stats: new RequestStats(),
      slowClientBytes: 1 << 20,
      hub: { remove: () => {} },
    };
    const session = new Session(ws as unknown as WebSocket, 'c7', deps, boom);
    session.receive(Buffer.from('{"type":"subscribe","channel":"logs"}'), false);
    session.receive(Buffer.from([1, 2, 3]), true);
    expect(logged.map((f) => [f.connection, f.messageType])).toEqual([
      ['c7', '"subscribe"'],
      ['c7', 'agent_code (binary)'],
    ]);
    const codes = sent.map((t) => (JSON.parse(t) as { error: { code: string; message: string } }).error);
    expect(codes.map((e) => e.code)).toEqual(['EVOLUTION_FAILED', 'EVOLUTION_FAILED']);
    // nothing of the exception reaches the client
    expect(sent.join('')).not.toContain('boom');
  });
});
