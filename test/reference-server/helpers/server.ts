// Starting the real reference server on a loopback port for one test file.
import { afterAll, beforeAll } from 'vitest';
import { ManualClock } from './manual-clock.js';
import {
  type RunningServer,
  type StartOptions,
  startReferenceServer,
} from '../../../reference-server/index.js';

export const SECRET = 'reference-server-test-secret-0123456789';
export const EVO = '/v1/evolution';
/** ms between generations on the test servers (the profile's E6 needs at least one a second) */
export const GENERATION_MS = 20;

export function startServer(opts: StartOptions = {}): Promise<RunningServer> {
  return startReferenceServer({ jwtSecret: SECRET, generationMs: GENERATION_MS, ...opts });
}

/** one server for the whole file: `const srv = useServer({...}); ... srv().url(EVO)` */
export function useServer(opts: StartOptions = {}): () => RunningServer {
  let server: RunningServer | undefined;
  beforeAll(async () => {
    server = await startServer(opts);
  });
  afterAll(async () => {
    await server?.close();
  });
  return () => {
    if (!server) throw new Error('server not started');
    return server;
  };
}

/** runs `fn` against a server started with `opts`, and stops it afterwards */
export async function withServer<T>(
  opts: StartOptions,
  fn: (server: RunningServer) => Promise<T>,
): Promise<T> {
  const server = await startServer(opts);
  try {
    return await fn(server);
  } finally {
    await server.close();
  }
}

/**
 * Runs `fn` against a server of its own whose timers run on a manual clock that `fn` moves on (a
 * server shared by concurrent tests would have its clock moved under the others).
 */
export function withClockServer(
  opts: StartOptions,
  fn: (server: RunningServer, clock: ManualClock) => Promise<void>,
): Promise<void> {
  const clock = new ManualClock();
  return withServer({ ...opts, clock }, (server) => fn(server, clock));
}
