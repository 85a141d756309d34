// The bench's self-check: a load generator that is itself saturated measures its own limits, not
// the server's. Node 20 has no per-thread CPU clock, so the measure is each thread's event-loop
// utilisation (performance.eventLoopUtilization: the share of the window the loop was busy), which
// is exactly "could this thread have handled more?".
import { cpus } from 'node:os';
import type { CpuCheck } from './types.js';

/** A loop busy for this share of the window has no headroom left. */
export const SATURATED_ELU = 0.9;

/** Process CPU time and the machine's per-core counters at one instant. */
export interface CpuSnapshot {
  usage: NodeJS.CpuUsage;
  busy: number;
  total: number;
}

export function cpuSnapshot(): CpuSnapshot {
  let busy = 0;
  let total = 0;
  for (const c of cpus()) {
    const t = c.times.user + c.times.nice + c.times.sys + c.times.irq + c.times.idle;
    total += t;
    busy += t - c.times.idle;
  }
  return { usage: process.cpuUsage(), busy, total };
}

/**
 * Cores this process used (server + generator when embedded: process.cpuUsage covers all threads)
 * and how busy the whole machine was. Busy beyond this process means other programs competed for
 * the CPUs during the window, which makes any comparison between phases noisy.
 */
export function cpuShare(a: CpuSnapshot, b: CpuSnapshot, seconds: number): Machine {
  const d = process.cpuUsage(a.usage);
  const total = b.total - a.total;
  return {
    processCores: Math.round(((d.user + d.system) / 1e6 / Math.max(seconds, 1e-3)) * 100) / 100,
    machineBusy: total > 0 ? Math.round(((b.busy - a.busy) / total) * 1000) / 1000 : 0,
    cores: cpus().length,
  };
}

export interface Machine {
  processCores: number;
  machineBusy: number;
  cores: number;
}

export function cpuCheck(generatorElu: number[], serverElu: number | null, machine?: Machine): CpuCheck {
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
    processCores: machine?.processCores ?? null,
    machineBusy: machine?.machineBusy ?? null,
    note:
      `generator loop busy ${pct(genMax)} (max of ${generatorElu.length} worker${generatorElu.length === 1 ? '' : 's'}), ${server}` +
      (machine
        ? `; this process used ${machine.processCores} of ${machine.cores} cores, the machine was ${pct(machine.machineBusy)} busy`
        : ''),
  };
}

/**
 * Why a phase does not measure the server, or null: a saturated generator with a
 * server that is not (or cannot be shown to be) saturated is invalid.
 */
export function saturationProblem(cpu: CpuCheck): string | null {
  if (!cpu.generatorSaturated || cpu.serverSaturated === true) return null;
  return `load generator saturated (${cpu.note}) — use more --workers, fewer --clients, or --shard across machines`;
}
