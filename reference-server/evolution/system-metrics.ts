// The `metrics` event (seed "System Metrics", E12: finite numbers >= 0, error_rate in [0, 1]) from
// real process figures, sampled about once a second.
import { availableParallelism, totalmem } from 'node:os';
import type { Evo } from './context.js';
import type { Body } from './envelope.js';

const r = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;

export class SystemMetrics {
  private cpu = process.cpuUsage();
  private at: number;

  constructor(private readonly evo: Evo) {
    this.at = evo.clock.monotonic();
  }

  sample(): Body {
    const now = this.evo.clock.monotonic();
    const elapsedMs = Math.max(1, now - this.at);
    const cpu = process.cpuUsage(this.cpu);
    this.cpu = process.cpuUsage();
    this.at = now;
    const { handled, errors, averageLatencyMs } = this.evo.stats.take();
    const cpuPercent = Math.min(100, ((cpu.user + cpu.system) / 1000 / elapsedMs / availableParallelism()) * 100);
    const { run } = this.evo;
    return {
      data: {
        // evo-metrics-negative (E12, C5)
        cpu_usage: this.evo.has('evo-metrics-negative') ? -(r(cpuPercent, 1) + 1) : r(cpuPercent, 1),
        memory_usage: r((process.memoryUsage.rss() / totalmem()) * 100, 1),
        active_agents: run.state === 'stopped' ? 0 : run.populationSize,
        requests_per_second: r((handled * 1000) / elapsedMs, 1),
        average_latency_ms: r(averageLatencyMs, 3),
        error_rate: handled === 0 ? 0 : r(Math.min(1, errors / handled), 4),
      },
    };
  }
}
