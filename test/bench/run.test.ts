// Real, tiny bench runs (2 clients, 1 s) in this process against the bench's own fixture server:
// worker threads, the A6 binary path, both baselines, and the written bench.json.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { BenchJson } from '../../bench/result.js';
import { benchJsonProblems } from '../../bench/schema.js';
import { benchVerb } from '../../cli/bench.js';
import { ensureBuilt } from './_build.js';
import { type FixtureServer, startFixtureServer } from './_fixture-server.js';

let server: FixtureServer;
const dirs: string[] = [];

async function bench(args: string[], target: string[] = ['--target', server.url]): Promise<BenchJson> {
  const out = mkdtempSync(join(tmpdir(), 'wsconform-bench-'));
  dirs.push(out);
  const code = await benchVerb([
    ...target,
    '--clients',
    '2',
    '--duration',
    '1',
    '--warmup',
    '0.5',
    '--quiet',
    '--out',
    out,
    ...args,
  ]);
  expect(code).toBe(0);
  const json: unknown = JSON.parse(readFileSync(join(out, 'bench.json'), 'utf8'));
  expect(benchJsonProblems(json)).toEqual([]);
  return json as BenchJson;
}

beforeAll(() => ensureBuilt(), 90_000);

// a fresh server per case: it starts paused, so each case also checks that the bench sends play
beforeEach(async () => {
  server = await startFixtureServer({ grid: 8, fps: 40 });
});

afterEach(() => server.close());

afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('bench against an in-process server', () => {
  it('measures JSON frames and both baselines in one run', async () => {
    const r = await bench(['--baseline', '--rounds', '1', '--fps', '40']);
    expect(r.protocol).toBe('atheria');
    expect(r.clients).toBe(2);
    expect(r.totals.frames).toBeGreaterThan(0);
    expect(r.totals.connectFailures).toBe(0);
    expect(r.lostFrames).toBe(0); // the fixture never skips a step
    expect(r.latencyUs.count).toBe(r.totals.frames);
    expect(r.connectUs.count).toBe(2);
    expect(r.phases.map((p) => p.name).sort()).toEqual(['target', 'tcp-pump', 'ws-broadcast']);
    for (const b of r.baselines) {
      expect(b.framesPerSecond).toBeGreaterThan(0);
      expect(b.ratio).toBeCloseTo(r.framesPerSecond / b.framesPerSecond, 2);
    }
    const target = r.phases.find((p) => p.name === 'target')!;
    expect(target.formatsSeen).toEqual({ json: target.frames, msgpack: 0 });
    expect(target.anomalies).toEqual({});
    expect(target.cpu.serverElu).toBeNull(); // an external target's CPU is unknown
    expect(target.intervals.reduce((a, s) => a + s.frames, 0)).toBe(target.frames);
  }, 60_000);

  it('reads A6 header + msgpack pairs after simulation.set_binary', async () => {
    const r = await bench(['--format', 'msgpack', '--fps', '40']);
    const target = r.phases[0]!;
    expect(target.formatsSeen.msgpack).toBeGreaterThan(0);
    expect(target.formatsSeen.json).toBe(0);
    expect(target.anomalies).toEqual({});
    expect(r.latencyUs.count).toBe(target.frames);
    expect(r.serverStepsPerSecond).not.toBeNull();
  }, 60_000);

  it('measures only its shard of the clients', async () => {
    const r = await bench(['--clients', '4', '--shard', '1/2']);
    expect(r.clients).toBe(2);
    expect(r.clientsTotal).toBe(4);
    expect(r.shard).toEqual({ index: 1, count: 2 });
    expect(r.connectUs.count).toBe(2);
  }, 60_000);

  it('authenticates and subscribes Evolution clients on the embedded reference server (E2, E4)', async () => {
    const r = await bench(['--protocol', 'evolution', '--fps', '20', '--ping-ms', '200'], []);
    expect(r.protocol).toBe('evolution');
    expect(r.embedded).toBe(true);
    expect(r.grid).toBeNull();
    const target = r.phases[0]!;
    expect(target.frames).toBeGreaterThan(0);
    expect(target.anomalies).toEqual({}); // no UNAUTHORIZED / RATE_LIMITED errors, pongs echoed
    expect(r.rttUs.count).toBeGreaterThan(0); // E3 application pings were answered
    expect(r.latencyUs.count).toBe(target.frames);
    expect(target.cpu.serverElu).not.toBeNull();
  }, 60_000);
});
