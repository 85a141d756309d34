// Test helper: the whole reference server (startReferenceServer, Atheria mounted at /ws) on a
// loopback port, as the atheria tests need it.
import { afterAll, beforeAll, expect } from 'vitest';
import type { FaultName } from '../../reference-server/faults.js';
import { type RunningServer, type StartOptions, startReferenceServer } from '../../reference-server/index.js';
import { AtheriaClient } from './_atheria-client.js';

export type AtheriaServer = RunningServer;

export interface AtheriaStart extends Omit<StartOptions, 'faults'> {
  faults?: FaultName[];
}

export function startAtheria(opts: AtheriaStart = {}): Promise<AtheriaServer> {
  return startReferenceServer({ host: '127.0.0.1', port: 0, ...opts });
}

/**
 * One server for a test file (started before, closed after its tests) and `open()` for clients on
 * it. At the end every client must have received only schema-valid messages (C5).
 */
export function useAtheriaServer(opts: AtheriaStart & { waitInitialState?: boolean } = {}) {
  const { waitInitialState = true, ...start } = opts;
  let server: AtheriaServer | undefined;
  const clients: AtheriaClient[] = [];
  beforeAll(async () => {
    server = await startAtheria(start);
  });
  afterAll(async () => {
    for (const c of clients) expect(c.violations).toEqual([]);
    for (const c of clients) c.close();
    await server?.close();
  });
  return {
    async open(): Promise<AtheriaClient> {
      const c = await AtheriaClient.open((server as AtheriaServer).url('/ws'));
      clients.push(c);
      if (waitInitialState) await c.next('initial_state', 2000, 0);
      return c;
    },
  };
}
