// What every part of the evolution endpoint shares: options, faults, the one run, the hub.
import type { Clock } from '../clock.js';
import type { ServerOptions } from '../endpoint.js';
import type { FaultName } from '../faults.js';
import type { ErrorLog } from '../log.js';
import type { ServerMetrics } from '../metrics.js';
import type { Envelope } from './envelope.js';
import type { Hub } from './hub.js';
import type { JwtConfig } from './jwt.js';
import type { EvolutionRun } from './run.js';
import type { RequestStats } from './stats.js';
import type { UserConnections } from './users.js';

export interface Evo {
  options: ServerOptions;
  metrics: ServerMetrics;
  has(fault: FaultName): boolean;
  clock: Clock;
  logError: ErrorLog;
  envelope: Envelope;
  hub: Hub;
  run: EvolutionRun;
  users: UserConnections;
  stats: RequestStats;
  jwt: JwtConfig;
  /** broadcast events are skipped for a client with more unsent bytes than this */
  slowClientBytes: number;
}
