// The bundled reference server of both protocols (`wsconform serve`, and the embedded target of
// `wsconform run`): Atheria on /ws, Evolution on /v1/evolution, one HTTP server.
import { createAtheriaEndpoint } from './atheria/index.js';
import { createEvolutionEndpoint } from './evolution/index.js';
import { resolveOptions, type StartOptions } from './options.js';
import { createReferenceServer, type RunningServer } from './server.js';

export type { RunningServer } from './server.js';
export type { StartOptions } from './options.js';
export { DEFAULT_OPTIONS, faultNames } from './options.js';

/**
 * Starts the reference server (defaults: 127.0.0.1, port 0, no origin check, profile limits).
 * Unknown fault names or impossible options throw an Error that says which.
 */
export async function startReferenceServer(opts: StartOptions = {}): Promise<RunningServer> {
  return createReferenceServer(resolveOptions(opts), [createAtheriaEndpoint, createEvolutionEndpoint]);
}
