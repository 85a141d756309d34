// The default bench target: the bundled reference server, started in this process for each target
// phase (so no simulation keeps ticking while a baseline is measured) and closed afterwards.
import { EMBEDDED } from '../reference-server/embedded.js';
import type { BenchProtocol } from './types.js';

export interface TargetHandle {
  url: string;
  /** the server's cumulative dropped-frame counter, read directly when in-process */
  readDropped: () => Promise<number | null>;
  serverOnMainThread: boolean;
  close(): Promise<void>;
}

export const EMBEDDED_PATHS: Record<BenchProtocol, string> = { atheria: '/ws', evolution: '/v1/evolution' };

export async function startEmbeddedTarget(o: {
  protocol: BenchProtocol;
  grid: number;
  fps: number;
  jwtSecret: string;
}): Promise<TargetHandle> {
  // loaded on demand: a run against an external --target never loads the reference server
  const { startReferenceServer } = await import('../reference-server/index.js');
  const server = await startReferenceServer({
    grid: o.grid,
    fps: o.fps,
    jwtSecret: o.jwtSecret,
    // Evolution publishes one generation per generationMs: the same rate as --fps (an Atheria
    // bench leaves the evolution run at its default pace so it costs the server next to nothing)
    ...(o.protocol === 'evolution' ? { generationMs: Math.max(5, Math.round(1000 / o.fps)) } : {}),
  });
  return {
    url: server.url(EMBEDDED_PATHS[o.protocol]),
    readDropped: async () => server.metrics.framesDropped,
    serverOnMainThread: true,
    close: () => server.close(),
  };
}

export function embeddedSecret(flag: string | null): string {
  return flag ?? EMBEDDED.jwtSecret;
}
