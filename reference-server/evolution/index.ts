// The T-Developer evolution endpoint (seed evolution-websocket-api.md, profile E1–E12) mounted by
// the shared server at /v1/evolution: one shared evolution run, JWT auth, channels, rate limits.
import type { IncomingMessage } from 'node:http';
import type { WebSocket } from 'ws';
import type { EndpointContext, EndpointFactory } from '../endpoint.js';
import { authenticated, checkBearer, type HeaderAuth } from './auth.js';
import type { Evo } from './context.js';
import { makeHandler } from './dispatch.js';
import { Envelope } from './envelope.js';
import { RunPublisher } from './events.js';
import { Hub } from './hub.js';
import { secretKey } from './jwt.js';
import { EvolutionRun } from './run.js';
import { Session } from './session.js';
import { RequestStats } from './stats.js';
import { SystemMetrics } from './system-metrics.js';
import { UserConnections } from './users.js';
import { warmUpValidators } from './validate.js';

export const EVOLUTION_PATH = '/v1/evolution';
/** seed "System Metrics": about one sample per second */
const METRICS_INTERVAL_MS = 1000;

/** Knobs for tests; the defaults are what `serve` and `run` use. */
export interface EvolutionTunables {
  /** broadcast events are skipped for a client with more unsent bytes than this (default 4 MiB) */
  slowClientBytes?: number;
}

export const createEvolutionEndpointWith = (tunables: EvolutionTunables = {}): EndpointFactory => (ctx: EndpointContext) => {
  const { options, has } = ctx;
  const envelope = new Envelope(has, ctx.clock);
  const evo: Evo = {
    options,
    metrics: ctx.metrics,
    has,
    clock: ctx.clock,
    logError: ctx.logError,
    envelope,
    hub: new Hub(envelope, has),
    // the run's first generation comes after generationMs, when `publisher` exists
    run: new EvolutionRun(ctx.clock, options.generationMs, { onStep: (r) => publisher.step(r) }),
    users: new UserConnections(options.rateConns, has),
    stats: new RequestStats(),
    jwt: { key: secretKey(options.jwtSecret), leewaySec: options.jwtLeewaySec, has, clock: ctx.clock },
    slowClientBytes: tunables.slowClientBytes ?? 4 * 1024 * 1024,
  };
  const publisher = new RunPublisher(evo);
  warmUpValidators();
  const handle = makeHandler(evo, publisher);
  const system = new SystemMetrics(evo);
  const metricsTimer = ctx.clock.setInterval(() => {
    const sample = system.sample();
    if (evo.hub.wanted('metrics')) evo.hub.publish(['metrics'], 'metrics', sample);
  }, METRICS_INTERVAL_MS);

  return {
    path: EVOLUTION_PATH,
    checkUpgrade: (req: IncomingMessage) => checkBearer(evo, req),
    onConnection(ws: WebSocket, _req: IncomingMessage, accepted: unknown, id: string) {
      const session = new Session(ws, id, evo, handle);
      ws.on('message', (data: Buffer, isBinary: boolean) => session.receive(data, isBinary));
      ws.once('close', () => session.dispose());
      // evo-greeting (E1, C5): a greeting without the `type` every server message has
      if (has('evo-greeting')) session.sendText(JSON.stringify({ event: 'welcome' }));
      const auth = (accepted ?? {}) as HeaderAuth;
      if (auth.failed !== undefined) {
        session.error('AUTH_FAILED', `authentication failed: ${auth.failed}`);
        session.close(1008, 'authentication failed');
      } else if (auth.user !== undefined) {
        authenticated(evo, session, auth.user, auth.exp);
      } else {
        session.armAuthTimeout(options.authTimeoutMs);
      }
    },
    close() {
      ctx.clock.clearInterval(metricsTimer);
      evo.run.close();
    },
  };
};

export const createEvolutionEndpoint: EndpointFactory = createEvolutionEndpointWith();
