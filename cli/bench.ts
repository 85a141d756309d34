// `wsconform bench` (measure), `bench merge FILE...` (combine shard files) and `bench matrix`
// (the README table). Exit codes: 0 done (an invalid measurement is reported in bench.json and on
// the terminal, not as a failure), 2 bad usage or a target that cannot be reached.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { runMatrix } from '../bench/matrix.js';
import { mergeResults } from '../bench/merge.js';
import { BENCH_HELP, parseBenchOptions, secondsFlag } from '../bench/options.js';
import { TargetError } from '../bench/errors.js';
import type { BenchJson } from '../bench/result.js';
import { runBench } from '../bench/run.js';
import { benchJsonProblems } from '../bench/schema.js';
import { renderTable } from '../bench/table.js';
import { parseFlags, UsageError } from '../src/util/usage.js';

function writeResult(out: string, json: BenchJson): string {
  mkdirSync(out, { recursive: true });
  const file = join(out, 'bench.json');
  writeFileSync(file, `${JSON.stringify(json, null, 2)}\n`);
  return file;
}

function progressWriter(quiet: boolean): { progress(line: string): void; done(): void } {
  // a progress line only for a person watching: on a TTY stderr, never into logs
  const live = !quiet && process.stderr.isTTY === true;
  let shown = false;
  return {
    progress(line) {
      if (!live) return;
      const width = Math.max(20, (process.stderr.columns || 100) - 1);
      process.stderr.write(`\r${line.slice(0, width).padEnd(width)}`);
      shown = true;
    },
    done() {
      if (shown) process.stderr.write(`\r${' '.repeat(Math.max(20, (process.stderr.columns || 100) - 1))}\r`);
    },
  };
}

async function mergeVerb(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags(
    'bench merge',
    argv,
    { out: { type: 'string' }, quiet: { type: 'boolean' } },
    true,
  );
  if (positionals.length === 0) throw new UsageError('bench merge needs at least one bench.json FILE');
  const files = positionals.map((file) => {
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(file, 'utf8'));
    } catch (err) {
      throw new UsageError(
        `cannot read ${file} as JSON (${err instanceof Error ? err.message.split('\n')[0] : String(err)})`,
      );
    }
    const problems = benchJsonProblems(json);
    if (problems.length) throw new UsageError(`${file} is not a bench.json: ${problems[0]}`);
    return { file: resolve(file), json: json as BenchJson };
  });
  let merged: BenchJson;
  try {
    merged = mergeResults(files);
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
  const written = writeResult(values.out ?? 'wsconform-bench', merged);
  if (!values.quiet) process.stdout.write(`${renderTable(merged)}\nwritten: ${written}\n`);
  return 0;
}

async function matrixVerb(argv: string[]): Promise<number> {
  const { values } = parseFlags('bench matrix', argv, {
    out: { type: 'string' },
    duration: { type: 'string' },
  });
  const out = values.out ?? 'wsconform-bench';
  const file = await runMatrix({ out, durationS: secondsFlag('duration', values.duration, 3, 0.5) }, (line) =>
    process.stderr.write(`${line}\n`),
  );
  process.stdout.write(`${readFileSync(file, 'utf8')}\nwritten: ${file}\n`);
  return 0;
}

export async function benchVerb(argv: string[]): Promise<number> {
  if (argv[0] === 'merge') return mergeVerb(argv.slice(1));
  if (argv[0] === 'matrix') return matrixVerb(argv.slice(1));
  const opts = parseBenchOptions(argv);
  if (opts === 'help') {
    process.stdout.write(`${BENCH_HELP}\n`);
    return 0;
  }
  const ui = progressWriter(opts.quiet);
  let result: BenchJson;
  try {
    result = await runBench(opts, ui);
  } catch (err) {
    ui.done();
    if (err instanceof TargetError) throw new UsageError(err.message);
    throw err;
  }
  ui.done();
  const written = writeResult(opts.out, result);
  if (!opts.quiet) process.stdout.write(`${renderTable(result)}\nwritten: ${written}\n`);
  return 0;
}
