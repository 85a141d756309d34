// The bench's self-check: a load generator that is itself saturated measures its own limits, not
// the server's. Node 20 has no per-thread CPU clock, so the measure is each thread's event-loop
// utilisation (performance.eventLoopUtilization: the share of the window the loop was busy), which
// is exactly "could this thread have handled more?".
import type { CpuCheck } from './types.js';

/** A loop busy for this share of the window has no headroom left. */
export const SATURATED_ELU = 0.9;

export function cpuCheck(generatorElu: number[], serverElu: number | null): CpuCheck {
  const genMax = generatorElu.length ? Math.max(...generatorElu) : 0;
  const generatorSaturated = genMax >= SATURATED_ELU;
  const serverSaturated = serverElu === null ? null : serverElu >= SATURATED_ELU;
  const pct = (x: number) => `${Math.round(x * 100)}%`;
  const server =
    serverElu === null ? 'server CPU unknown (external target)' : `server loop busy ${pct(serverElu)}`;
  return {
    generatorElu: generatorElu.map((x) => Math.round(x * 1000) / 1000),
    serverElu: serverElu === null ? null : Math.round(serverElu * 1000) / 1000,
    generatorSaturated,
    serverSaturated,
    note: `generator loop busy ${pct(genMax)} (max of ${generatorElu.length} worker${generatorElu.length === 1 ? '' : 's'}), ${server}`,
  };
}

/**
 * Why a phase does not measure the server, or null. The brief's rule: a saturated generator with a
 * server that is not (or cannot be shown to be) saturated is invalid.
 */
export function saturationProblem(cpu: CpuCheck): string | null {
  if (!cpu.generatorSaturated || cpu.serverSaturated === true) return null;
  return `load generator saturated (${cpu.note}) — use more --workers, fewer --clients, or --shard across machines`;
}
