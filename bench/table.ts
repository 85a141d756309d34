// The human summary printed after a run or a merge.
import type { BenchJson } from './result.js';

const n0 = (x: number) => Math.round(x).toLocaleString('en-US');
const mb = (x: number) => (x / 1e6).toFixed(2);

function row(cells: string[], widths: number[]): string {
  return cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
}

export function renderTable(r: BenchJson): string {
  const lines: string[] = [];
  const shard = r.shard
    ? ` shard ${r.shard.index}/${r.shard.count}`
    : r.mergedFrom
      ? ` merged from ${r.mergedFrom.length} files`
      : '';
  lines.push(
    `wsconform bench  ${r.protocol} ${r.format}  ${r.target}${r.grid ? `  grid ${r.grid}×${r.grid}` : ''}  fps ${r.fps}`,
    `${r.clients} clients${shard}, ${r.rounds} round${r.rounds === 1 ? '' : 's'} × ${r.durationS} s (warm-up ${r.warmupS} s), ${r.workers} worker thread${r.workers === 1 ? '' : 's'}`,
    '',
  );
  const w = [14, 12, 9, 9, 9, 9, 8, 8];
  lines.push(row(['', 'frames/s', 'MB/s', 'p50 µs', 'p99 µs', 'max µs', 'lost', 'dropped'], w));
  lines.push(
    row(
      [
        'target',
        n0(r.framesPerSecond),
        mb(r.bytesPerSecond),
        n0(r.latencyUs.p50),
        n0(r.latencyUs.p99),
        n0(r.latencyUs.max),
        n0(r.lostFrames),
        r.droppedByServer === null ? '?' : n0(r.droppedByServer),
      ],
      w,
    ),
  );
  for (const b of r.baselines) {
    lines.push(row([b.name, n0(b.framesPerSecond), mb(b.bytesPerSecond), '', '', '', '', ''], w));
  }
  lines.push('');
  if (r.rounds > 1) {
    lines.push(
      `target frames/s over rounds: median ${n0(r.framesPerSecond)} (min ${n0(r.framesPerSecondSpread.min)}, max ${n0(r.framesPerSecondSpread.max)})`,
    );
  }
  for (const b of r.baselines) {
    lines.push(
      `ratio vs ${b.name}: ${b.ratio === null ? 'n/a' : `${b.ratio.toFixed(3)}×`} (baseline min ${n0(b.spread.min)}, max ${n0(b.spread.max)} frames/s)`,
    );
  }
  if (r.serverStepsPerSecond !== null) {
    lines.push(`server stepped ${r.serverStepsPerSecond.toFixed(1)}/s (asked for ${r.fps}/s)`);
  }
  const pc = r.perClient.framesPerSecond;
  lines.push(
    `per client: ${pc.mean.toFixed(1)} frames/s (min ${pc.min.toFixed(1)}, max ${pc.max.toFixed(1)}), ${mb(r.perClient.bytesPerSecond.mean)} MB/s`,
    `latency µs p50/p90/p99/p99.9/max: ${[r.latencyUs.p50, r.latencyUs.p90, r.latencyUs.p99, r.latencyUs.p999, r.latencyUs.max].map(n0).join(' / ')}`,
    `ping RTT µs p50/p99/max: ${[r.rttUs.p50, r.rttUs.p99, r.rttUs.max].map(n0).join(' / ')}${r.rttUs.unanswered ? ` (${r.rttUs.unanswered} unanswered)` : ''}`,
    `connect µs p50/p99/max: ${[r.connectUs.p50, r.connectUs.p99, r.connectUs.max].map(n0).join(' / ')}`,
  );
  for (const e of r.http?.endpoints ?? []) {
    lines.push(
      `http ${e.path}: ${n0(e.requestsPerSecond)} req/s, latency ms p50/p99/max ${e.latencyMs.p50}/${e.latencyMs.p99}/${e.latencyMs.max}${e.non2xx ? `, ${e.non2xx} non-2xx` : ''} (autocannon, closed-loop)`,
    );
  }
  const target = r.phases.filter((p) => p.name === 'target');
  for (const p of target) lines.push(`cpu round ${p.round}: ${p.cpu.note}`);
  lines.push(r.valid ? 'valid: yes' : `valid: NO — ${r.invalidReason}`);
  return lines.join('\n');
}
