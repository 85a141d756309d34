// One node:http server and one ws WebSocketServer (noServer) for both protocol endpoints. The
// upgrade handler applies the checks of upgrade.ts in order, answers refusals as raw HTTP on the
// socket, then lets the endpoint check the request (E2 bearer, E10 per-user limit) and upgrades.
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { type WebSocket, WebSocketServer } from 'ws';
import type { Endpoint, EndpointContext, EndpointFactory, ServerOptions } from './endpoint.js';
import type { FaultName } from './faults.js';
import { answerClientError, handleRequest, refuse } from './http.js';
import { ServerMetrics } from './metrics.js';
import { SocketTracker } from './sockets.js';
import { checkHandshake, PARSER_MAX_HEADERS } from './upgrade.js';
import { installConnectionFaults, installHandshakeFaults, wsServerOptions } from './ws-faults.js';

export interface RunningServer {
  host: string;
  port: number;
  /** ws://host:port/path */
  url(path: string): string;
  /** http://host:port/path */
  httpUrl(path: string): string;
  metrics: ServerMetrics;
  /** closes every client with 1001, stops timers, closes the server */
  close(): Promise<void>;
}

/** how long close() waits for clients to answer the 1001 close frame before dropping them */
const CLOSE_GRACE_MS = 1000;

export async function createReferenceServer(
  options: ServerOptions,
  factories: readonly EndpointFactory[],
): Promise<RunningServer> {
  const metrics = new ServerMetrics();
  const has = (fault: FaultName) => options.faults.has(fault);
  const { clock, logError } = options;
  const ctx: EndpointContext = { options, metrics, has, clock, logError };
  const endpoints = new Map<string, Endpoint>();
  for (const factory of factories) {
    const endpoint = factory(ctx);
    endpoints.set(endpoint.path, endpoint);
  }
  const sockets = new SocketTracker();
  const clients = new Set<WebSocket>();
  let stopping = false;
  let endpointsClosed = false;
  /** ids for the error log: u<n> per upgrade request, c<n> per connection */
  let upgrades = 0;
  let connections = 0;

  const closeEndpoints = () => {
    if (endpointsClosed) return;
    endpointsClosed = true;
    for (const endpoint of endpoints.values()) endpoint.close();
  };

  const httpInfo = { metrics, wsPaths: new Set(endpoints.keys()), clock, startedAt: clock.monotonic() };
  const server = createServer(
    {
      // C4: a half-open handshake is dropped (408) after this long: slowloris cannot hold sockets
      // forever. Node's own timer, on real time (options.clock cannot drive it).
      headersTimeout: options.headersTimeoutMs,
      requestTimeout: 2 * options.headersTimeoutMs,
      // Node checks the two timeouts above only this often (default 30 s)
      connectionsCheckingInterval: 500,
    },
    (req, res) => {
      sockets.headComplete(req.socket);
      handleRequest(httpInfo, req, res);
    },
  );
  server.maxHeadersCount = PARSER_MAX_HEADERS;
  server.on('connection', (socket: Socket) => sockets.add(socket));

  /** crash-* faults: stop serving altogether, as a crashed process would */
  const crash = () => {
    if (stopping) return;
    stopping = true;
    server.close();
    sockets.destroyAll();
    for (const ws of clients) ws.terminate();
    closeEndpoints();
  };

  server.on('clientError', (err: Error & { code?: string }, socket: Duplex) => {
    if (has('crash-on-header-flood') && err.code === 'HPE_HEADER_OVERFLOW') crash();
    else answerClientError(err, socket);
  });

  const wss = new WebSocketServer(wsServerOptions(options, has));
  installHandshakeFaults(wss, has);

  const onConnection = (ws: WebSocket, req: IncomingMessage, endpoint: Endpoint | undefined, accepted: unknown) => {
    ws.on('error', () => {}); // protocol errors are answered by ws with a close code (C3); never crash
    clients.add(ws);
    metrics.connectionsOpen++;
    metrics.connectionsTotal++;
    ws.once('close', () => {
      clients.delete(ws);
      metrics.connectionsOpen--;
    });
    installConnectionFaults(ws, { has, crash, clock, maxMessageBytes: options.maxMessageBytes });
    const id = `c${++connections}`;
    try {
      endpoint?.onConnection(ws, req, accepted, id);
    } catch (error) {
      // a bug of ours: logged, and the client learns only that the server failed (RFC 6455 §7.4.1)
      logError({ connection: id, messageType: 'connect', error });
      ws.close(1011, 'internal error');
    }
  };

  const onUpgrade = async (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => {});
    const upgradeId = `u${++upgrades}`;
    const seq = sockets.headComplete(req.socket);
    if (has('stall-on-slow-handshake')) await sockets.waitForOlderHalfOpen(seq);
    const verdict = checkHandshake(req, ctx, endpoints);
    if ('status' in verdict) {
      metrics.upgradesRejected++;
      refuse(socket, verdict);
      return;
    }
    if (verdict.crash) {
      crash();
      return;
    }
    let accepted: unknown;
    if (verdict.endpoint?.checkUpgrade) {
      try {
        const answer = await verdict.endpoint.checkUpgrade(req);
        if ('status' in answer) {
          metrics.upgradesRejected++;
          refuse(socket, answer);
          return;
        }
        accepted = answer.accept;
      } catch (error) {
        logError({ connection: upgradeId, messageType: 'upgrade', error });
        refuse(socket, { status: 500 });
        return;
      }
    }
    if (stopping || socket.destroyed) {
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => onConnection(ws, req, verdict.endpoint, accepted));
  };
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    void onUpgrade(req, socket, head);
  });

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port, options.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (err) {
    // e.g. EADDRINUSE: the endpoints' timers would keep the process alive
    closeEndpoints();
    wss.close();
    throw err;
  }
  server.on('error', () => {});
  const port = (server.address() as AddressInfo).port;
  const hostInUrl = options.host.includes(':') ? `[${options.host}]` : options.host;

  let closed: Promise<void> | undefined;
  const close = () => {
    closed ??= (async () => {
      stopping = true;
      closeEndpoints();
      for (const ws of clients) ws.close(1001, 'server shutting down');
      const deadline = Date.now() + CLOSE_GRACE_MS;
      while (clients.size > 0 && Date.now() < deadline) await sleep(10);
      for (const ws of clients) ws.terminate();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        sockets.destroyAll();
      });
      wss.close();
    })();
    return closed;
  };

  return {
    host: options.host,
    port,
    url: (path) => `ws://${hostInUrl}:${port}${path}`,
    httpUrl: (path) => `http://${hostInUrl}:${port}${path}`,
    metrics,
    close,
  };
}
