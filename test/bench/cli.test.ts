// The bench verb as scripts see it: the built CLI, its exit codes and its one-line errors.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { BenchJson } from '../../bench/result.js';
import { benchJsonProblems } from '../../bench/schema.js';
import { main } from '../../cli/main.js';
import { ensureBuilt, PACKAGE_ROOT } from './_build.js';
import { syntheticRun } from './_synthetic.js';

const tmp = mkdtempSync(join(tmpdir(), 'wsconform-bench-cli-'));

function cli(args: string[], timeout = 60_000): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(PACKAGE_ROOT, 'bin', 'wsconform.js'), 'bench', ...args],
      { timeout, cwd: tmp },
      (err, stdout, stderr) =>
        resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr }),
    );
  });
}

const readJson = (file: string): unknown => JSON.parse(readFileSync(file, 'utf8'));

beforeAll(() => ensureBuilt(), 90_000);
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('wsconform bench (CLI)', () => {
  it('runs against the embedded reference server and writes a valid bench.json, quietly when not a TTY', async () => {
    const out = join(tmp, 'embedded');
    const r = await cli([
      '--clients',
      '2',
      '--duration',
      '1',
      '--warmup',
      '0.5',
      '--grid',
      '16',
      '--out',
      out,
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/frames\/s/);
    const json = readJson(join(out, 'bench.json'));
    expect(benchJsonProblems(json)).toEqual([]);
    const b = json as BenchJson;
    expect(b.embedded).toBe(true);
    expect(b.grid).toBe(16);
    expect(b.totals.frames).toBeGreaterThan(0);
    expect(b.droppedByServer).not.toBeNull(); // read from the in-process server's counters
    expect(b.phases[0]?.cpu.serverElu).not.toBeNull();
  }, 60_000);

  it.each([
    [['--clients', 'many'], /--clients/],
    [['--format', 'xml'], /--format/],
    [['--shard', '2/2'], /--shard/],
    [['--fps', '500'], /--fps/],
    [['--protocol', 'evolution', '--format', 'msgpack'], /msgpack/],
    [['--target', 'http://example.test/ws'], /--target/],
    [['--target', 'ws://127.0.0.1:9/elsewhere'], /--protocol/],
    [['--target', 'ws://127.0.0.1:9/v1/evolution'], /--jwt-secret/],
    [['merge'], /FILE/],
  ])('bad usage %j exits 2 with one line', async (args, message) => {
    // in-process through the CLI entry (main), which turns UsageError into exit 2
    const writes: string[] = [];
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      writes.push(String(chunk));
      return true;
    });
    try {
      expect(await main(['bench', ...args])).toBe(2);
    } finally {
      spy.mockRestore();
    }
    const stderr = writes.join('');
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(message);
    expect(stderr).toMatch(/^wsconform bench/);
  });

  it('an unknown flag exits 2 with one line from the built CLI', async () => {
    const r = await cli(['--bogus']);
    expect(r.code).toBe(2);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/bogus/);
  });

  it('an unreachable target exits 2 with one line', async () => {
    const r = await cli(['--target', 'ws://127.0.0.1:1/ws', '--clients', '1', '--duration', '1']);
    expect(r.code).toBe(2);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/cannot connect/);
  });

  it('merges shard files into one valid bench.json', async () => {
    const ids = [0, 1, 2, 3, 4, 5];
    const files = [0, 1, 2].map((i) => {
      const file = join(tmp, `shard-${i}.json`);
      const json = syntheticRun(
        ids.filter((id) => id % 3 === i),
        ids.length,
        { index: i, count: 3 },
      );
      writeFileSync(file, JSON.stringify(json));
      return file;
    });
    const out = join(tmp, 'merged');
    const r = await cli(['merge', ...files, '--out', out, '--quiet']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const merged = readJson(join(out, 'bench.json'));
    expect(benchJsonProblems(merged)).toEqual([]);
    expect((merged as BenchJson).clients).toBe(6);
    expect((merged as BenchJson).mergedFrom).toHaveLength(3);
  });

  it('refuses to merge a file that is not a bench.json', async () => {
    const bad = join(tmp, 'bad.json');
    writeFileSync(bad, JSON.stringify({ tool: 'wsconform' }));
    const r = await cli(['merge', bad]);
    expect(r.code).toBe(2);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/not a bench.json/);
  });
});
