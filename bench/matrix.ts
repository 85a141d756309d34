// `wsconform bench matrix` (npm run bench:matrix): the README table. Each cell is one short
// `wsconform bench --baseline --rounds 1` against the embedded reference server, run in its own
// process so that no cell inherits another's heap, sockets or warmed-up JIT state.
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../src/util/package-root.js';
import type { BenchJson } from './result.js';

export const MATRIX = {
  clients: [10, 100, 1000],
  grids: [64, 256],
  formats: ['json', 'msgpack'],
} as const;

export interface MatrixOptions {
  out: string;
  durationS: number;
}

function runCell(args: string[], timeoutMs: number): Promise<string | null> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(packageRoot(), 'bin', 'wsconform.js'), 'bench', ...args],
      { timeout: timeoutMs },
      (err, _out, stderr) => resolve(err ? stderr.trim().split('\n')[0] || err.message : null),
    );
  });
}

const n0 = (x: number) => Math.round(x).toLocaleString('en-US');
const ratio = (r: BenchJson, name: string) => {
  const b = r.baselines.find((x) => x.name === name);
  return b?.ratio == null ? '–' : `${b.ratio.toFixed(2)}×`;
};

export function matrixRow(r: BenchJson): string {
  return `| ${n0(r.clients)} | ${r.grid}×${r.grid} | ${r.format} | ${n0(r.framesPerSecond)} | ${(r.bytesPerSecond / 1e6).toFixed(1)} | ${n0(r.latencyUs.p50)} | ${n0(r.latencyUs.p99)} | ${r.droppedByServer ?? '?'} | ${ratio(r, 'ws-broadcast')} | ${ratio(r, 'tcp-pump')} | ${r.valid ? 'yes' : `no: ${(r.invalidReason ?? '').split(' — ')[0]}`} |`;
}

/** Runs every cell and writes <out>/matrix.md; returns its path. */
export async function runMatrix(o: MatrixOptions, log: (line: string) => void): Promise<string> {
  const rows: string[] = [];
  for (const clients of MATRIX.clients) {
    for (const grid of MATRIX.grids) {
      for (const format of MATRIX.formats) {
        const dir = join(o.out, 'matrix', `c${clients}-g${grid}-${format}`);
        log(`bench matrix: ${clients} clients, grid ${grid}, ${format}…`);
        const args = [
          '--clients',
          `${clients}`,
          '--grid',
          `${grid}`,
          '--format',
          format,
          '--duration',
          `${o.durationS}`,
        ];
        const error = await runCell(
          [...args, '--warmup', '1', '--baseline', '--rounds', '1', '--quiet', '--out', dir],
          180_000,
        );
        if (error) {
          rows.push(
            `| ${n0(clients)} | ${grid}×${grid} | ${format} | – | – | – | – | – | – | – | error: ${error} |`,
          );
          continue;
        }
        rows.push(matrixRow(JSON.parse(readFileSync(join(dir, 'bench.json'), 'utf8')) as BenchJson));
      }
    }
  }
  const md = [
    `Reference server (embedded, fps 60) on this machine; ${o.durationS} s window after 1 s warm-up per cell, one round;`,
    'latency = receipt − payload.timestamp (µs); ratio = target frames/s ÷ baseline frames/s for the same captured frame.',
    '"valid: no" means the cell did not measure the server (e.g. the load generator sharing this machine saturated): see the cell\'s bench.json.',
    '',
    '| clients | grid | format | frames/s | MB/s | p50 µs | p99 µs | dropped | vs ws-broadcast | vs tcp-pump | valid |',
    '|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---|',
    ...rows,
    '',
  ].join('\n');
  mkdirSync(o.out, { recursive: true });
  const file = join(o.out, 'matrix.md');
  writeFileSync(file, md);
  return file;
}
