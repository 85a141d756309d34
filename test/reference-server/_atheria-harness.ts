// Test helper: the whole reference server (startReferenceServer, Atheria mounted at /ws) on a
// loopback port, as the atheria tests need it.
import type { FaultName } from '../../reference-server/faults.js';
import { type RunningServer, type StartOptions, startReferenceServer } from '../../reference-server/index.js';

export type AtheriaServer = RunningServer;

export interface AtheriaStart extends Omit<StartOptions, 'faults'> {
  faults?: FaultName[];
}

export function startAtheria(opts: AtheriaStart = {}): Promise<AtheriaServer> {
  return startReferenceServer({ host: '127.0.0.1', port: 0, ...opts });
}
