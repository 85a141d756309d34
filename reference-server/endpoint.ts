import type { IncomingMessage } from 'node:http';
import type { WebSocket } from 'ws';
import type { Clock } from './clock.js';
import type { FaultName } from './faults.js';
import type { ErrorLog } from './log.js';
import type { ServerMetrics } from './metrics.js';

export interface ServerOptions {
  host: string;
  port: number;
  /** E2: HS256 secret; without it the evolution endpoint refuses every token */
  jwtSecret?: string;
  /** C2: origin allow-list; empty = no origin check */
  origins: string[];
  /** E10 */
  rateMsgs: number;
  rateConns: number;
  rateBytes: number;
  /** C3: max message size in bytes (1 MiB) */
  maxMessageBytes: number;
  /** C4: a half-open handshake (request head incomplete) is dropped after this many ms (5000) */
  headersTimeoutMs: number;
  /** E2: close unauthenticated connections after this many ms (10 000) */
  authTimeoutMs: number;
  /** E2: exp/nbf leeway in seconds (at most 30) */
  jwtLeewaySec: number;
  /** Atheria grid size (64 → 64×64) */
  grid: number;
  /** Atheria initial fps */
  fps: number;
  /** Evolution: ms between generations */
  generationMs: number;
  faults: ReadonlySet<FaultName>;
  /** every protocol timer reads this clock (./clock.ts); tests pass a manual one */
  clock: Clock;
  /** where handler exceptions go before the server answers 1011 / 500 (default: stderr) */
  logError: ErrorLog;
}

export interface EndpointContext {
  options: ServerOptions;
  metrics: ServerMetrics;
  has(fault: FaultName): boolean;
  clock: Clock;
  logError: ErrorLog;
}

/** Refuse an upgrade with this HTTP answer. */
export interface UpgradeRefusal {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

/** What a protocol endpoint contributes to the shared HTTP server (reference-server/server.ts). */
export interface Endpoint {
  path: string;
  /**
   * Protocol-specific checks before the upgrade (e.g. bearer JWT → 401, per-user limit → 429).
   * Resolves with a refusal, or with data handed to onConnection.
   */
  checkUpgrade?(req: IncomingMessage): Promise<UpgradeRefusal | { accept: unknown }>;
  /** `connection` is the server's id of this connection, for the error log */
  onConnection(ws: WebSocket, req: IncomingMessage, accepted: unknown, connection: string): void;
  /** stop timers; connections are closed by the server */
  close(): void;
}

export type EndpointFactory = (ctx: EndpointContext) => Endpoint;
