// Issue 12 §2, "a harness no server can break": the real `run` path (as the CLI runs it) against
// a server that answers every upgrade with one hostile behaviour (test/fixtures/hostile-server.ts).
// For each behaviour the run must end within its case timeouts, give every selected case a verdict
// with a reason (a harness problem is `error`, never an exception out of run), and keep its memory
// bounded: no buffer larger than --max-message-size plus a frame header. hostile-target.test.ts
// checks the shape of the verdicts against three transport failures; this file adds the wire-level
// attacks and measures memory.
//
// Memory is measured three ways: the high-water mark of every frame parser's `bufferedBytes`
// (src/wire/frame-parser.ts, the raw connections' reader), the high-water mark of what `ws`'s
// receiver holds (the recorded connections' reader, src/wire/conn.ts) and its configured limit,
// and the growth of `process.memoryUsage().arrayBuffers` sampled after a forced GC (what neither
// reader sees: a head buffer, queued frames, an inflater).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import zlib from 'node:zlib';
import { syncBuiltinESMExports } from 'node:module';
import * as wsModule from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRunArgs } from '../../cli/args.js';
import { executeRun } from '../../cli/run.js';
import { defaultDeps } from '../../cli/run-setup.js';
import { filterCases, loadCases } from '../../src/engine/registry.js';
import { DEFAULT_CASE_TIMEOUT_MS } from '../../src/engine/runner.js';
import {
  type CaseDefinition,
  type Protocol,
  type SuiteName,
  type Verdict,
  VERDICTS,
} from '../../src/engine/types.js';
import { FrameParser, MAX_HEADER_BYTES } from '../../src/wire/frame-parser.js';
import { receiveLimit } from '../../src/wire/open.js';
import { openRaw } from '../../src/wire/raw.js';
import {
  deflateBomb,
  HOSTILE_BEHAVIOURS,
  type HostileBehaviour,
  type HostileServer,
  startHostileServer,
} from '../fixtures/hostile-server.js';

/** --max-message-size of every run: the bound the readers are held to */
const MAX_MESSAGE = 256 * 1024;
/** cases at a time (the run's default --concurrency) */
const CONCURRENCY = 6;
/** one socket read: what a reader may hold beyond a frame (Node reads 64 KiB at a time) */
const SOCKET_READ = 64 * 1024;
/**
 * The bound on live ArrayBuffer growth during a run, the ws receivers' share aside (bounded on its
 * own, per connection): per running case, a raw connection's frame being read and its unread
 * frames (each at most --max-message-size) and a socket read, plus 2 MiB for the run itself.
 */
const ARRAY_BUFFER_BOUND = CONCURRENCY * (2 * MAX_MESSAGE + 2 * SOCKET_READ) + 2 * 1024 * 1024;
/**
 * Case timeouts are scaled down to keep each hostile run short, but not below the cases' own
 * precondition waits (5 s, suites/_shared/health.ts): a case must end on what it found, not on
 * its timeout.
 */
const TIMEOUT_SCALE = 0.6;
/** what a case may take past its timeout: closing its connections (1 s) and the scheduler */
const CASE_SLACK_MS = 2500;
const SUITES = 'framing,handshake,heartbeat';
/**
 * The cases run, as --case globs: every handshake and heartbeat case, the classic framing cases
 * (100–112) and a row of each Autobahn-style wire category (pings, reserved bits and opcodes,
 * fragments, UTF-8, closes), some of them written one byte per TCP write — a few hundred rows
 * against each behaviour would only repeat these.
 */
const CASE_GLOBS = [
  'HANDSHAKE-*',
  'HEARTBEAT-*',
  'FRAMING-1??',
  ...['FRAMING-2.1', 'FRAMING-2.4', 'FRAMING-2.6', 'FRAMING-2.10', 'FRAMING-3.1', 'FRAMING-3.4'],
  ...['FRAMING-4.1.5', 'FRAMING-5.1', 'FRAMING-5.15', 'FRAMING-5.18', 'FRAMING-6.4.1'],
  ...['FRAMING-7.3.1', 'FRAMING-7.3.2', 'FRAMING-x5.4.1'],
];
/** ID prefixes of the protocols' cases */
const PREFIX: Record<Protocol, string> = { atheria: 'ATH', evolution: 'EVO', generic: 'GEN' };
/**
 * The generic run against the deflate bomb: the permessage-deflate rows (RFC 7692), which offer
 * the extension on an echo target, so that the bomb comes compressed on a negotiated connection.
 */
const DEFLATE_GLOBS = ['FRAMING-x12.*', 'FRAMING-x13.*'];

/** One hostile run: a behaviour, the protocol the run tests it as, the cases. */
interface HostileRun {
  behaviour: HostileBehaviour;
  protocol: Protocol;
  globs: readonly string[];
  /** --echo, and an echo server until deflate is offered (HostileOptions.echo) */
  echo?: boolean;
}

const caseGlob = (r: HostileRun) => r.globs.map((g) => `${PREFIX[r.protocol]}-${g}`).join(',');

/** Behaviours whose upgrade response is broken: no 101 that a client may accept (RFC 6455 §4.1). */
const BREAKS_UPGRADE: readonly HostileBehaviour[] = ['garbage', 'trickle', 'many-headers', 'wrong-accept'];

/** Behaviours whose verdicts could differ per protocol: Evolution runs too (its upgrade wants auth). */
const EVOLUTION_TOO: readonly HostileBehaviour[] = ['endless-fragments', 'close-no-code', 'deflate-bomb'];

interface ReportCase {
  id: string;
  rule: string;
  suite: string;
  verdict: Verdict;
  reason?: string;
  durationMs: number;
}

const silent = { stdout: { write: () => true }, stderr: { write: () => true } };
const out = mkdtempSync(join(tmpdir(), 'wsconform-hostile-server-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

// Two forced GCs before every sample: garbage is no buffer the harness holds, and V8 frees the
// memory of dead ArrayBuffers on a background sweeper that only the second GC waits for (one GC
// leaves up to ~10 MB of just-freed socket reads counted).
v8.setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const liveArrayBuffers = (): number => {
  gc();
  gc();
  return process.memoryUsage().arrayBuffers;
};

/** ws's receiver internals read by the meter (ws 8: lib/receiver.js) */
interface ReceiverInternals {
  _bufferedBytes: number;
  _buffers: Buffer[];
  _fragments: Buffer[];
  _maxPayload: number;
}

/**
 * High-water marks of what the two readers hold, over every instance, while installed; and the
 * ArrayBuffers the live ws receivers pin now (their limit is ws's, checked on its own).
 */
class ReaderMeter {
  parserMax = 0;
  receiverMax = 0;
  inflatedMax = 0;
  /** every maxPayload a ws receiver was built with (0 is ws's "no limit") */
  readonly receiverLimits = new Set<number>();
  /** weak: the meter must not keep a closed connection's buffers alive */
  private readonly receivers = new Set<WeakRef<ReceiverInternals>>();
  private readonly restore: (() => void)[] = [];

  install(): void {
    const meter = this;
    // patched by hand, not vi.spyOn: a spy keeps every call's arguments, every chunk read
    const parserProto = FrameParser.prototype;
    const push = parserProto.push;
    parserProto.push = function (this: FrameParser, chunk: Uint8Array) {
      const r = push.call(this, chunk);
      meter.parserMax = Math.max(meter.parserMax, this.bufferedBytes);
      return r;
    };
    // ws exports its Receiver at run time (wrapper.mjs), though its types do not declare it
    const { Receiver } = wsModule as unknown as {
      Receiver: { prototype: { _write(...a: unknown[]): void } };
    };
    const proto = Receiver.prototype;
    const write = proto._write;
    proto._write = function (this: ReceiverInternals, ...args: unknown[]) {
      if (!meter.receiverLimits.has(this._maxPayload)) meter.receiverLimits.add(this._maxPayload);
      meter.receivers.add(new WeakRef(this));
      write.apply(this, args);
      // what it has not parsed yet and the fragments of the message it is assembling
      const held = this._bufferedBytes + this._fragments.reduce((n, f) => n + f.length, 0);
      meter.receiverMax = Math.max(meter.receiverMax, held);
    };
    // zlib's one-shot inflaters (what a row decompresses a message with), through the builtin's
    // ESM bindings too; a streaming inflater would be missed, but ArrayBuffer growth still sees it
    const z = zlib as unknown as Record<string, (...a: unknown[]) => Buffer>;
    for (const name of ['inflateRawSync', 'inflateSync', 'unzipSync']) {
      const original = z[name] as (...a: unknown[]) => Buffer;
      z[name] = (...args: unknown[]) => {
        const out = original(...args);
        meter.inflatedMax = Math.max(meter.inflatedMax, out.length);
        return out;
      };
      this.restore.push(() => {
        z[name] = original;
        syncBuiltinESMExports();
      });
    }
    syncBuiltinESMExports();
    this.restore.push(
      () => {
        parserProto.push = push;
      },
      () => {
        proto._write = write;
      },
    );
  }

  /** ArrayBuffer bytes the live ws receivers pin (each buffer once, views included). */
  receiverArrayBuffers(): number {
    const seen = new Set<ArrayBufferLike>();
    for (const ref of this.receivers) {
      const r = ref.deref();
      if (!r) {
        this.receivers.delete(ref);
        continue;
      }
      for (const b of [...r._buffers, ...r._fragments]) seen.add(b.buffer);
    }
    let n = 0;
    for (const b of seen) n += b.byteLength;
    return n;
  }

  uninstall(): void {
    for (const r of this.restore.splice(0)) r();
  }
}

/**
 * Live ArrayBuffer bytes above the baseline, sampled every `ms`, less what `exclude()` accounts
 * for at the same moment.
 */
function sampleArrayBuffers(exclude: () => number, ms = 100): { stop(): number } {
  const base = liveArrayBuffers();
  let max = 0;
  const sample = () => {
    const live = liveArrayBuffers();
    max = Math.max(max, live - base - exclude());
  };
  const timer = setInterval(sample, ms);
  let stopped = false;
  return {
    stop() {
      if (!stopped) {
        stopped = true;
        clearInterval(timer);
        sample();
      }
      return max;
    },
  };
}

let allCases: CaseDefinition[] = [];
beforeAll(async () => {
  allCases = await loadCases();
  await deflateBomb(); // built once, before any measurement
});

function selected(r: HostileRun): CaseDefinition[] {
  return filterCases(allCases, {
    protocols: [r.protocol],
    suites: SUITES.split(',') as SuiteName[],
    caseGlob: caseGlob(r),
  });
}

interface Measured {
  code: number;
  wallMs: number;
  cases: ReportCase[];
  parserMax: number;
  receiverMax: number;
  receiverLimits: number[];
  arrayBufferGrowth: number;
  /** the largest output of one zlib inflate during the run */
  inflatedMax: number;
}

async function runAgainst(server: HostileServer, r: HostileRun, wallLimitMs: number): Promise<Measured> {
  const { protocol } = r;
  const dir = mkdtempSync(join(out, `${server.behaviour.replace(/\W/g, '_')}-${protocol}-`));
  const argv = [
    // any path: the protocol comes from --protocol
    ...['--target', server.url('/hostile/any?path=1'), '--protocol', protocol, '--suite', SUITES],
    ...['--case', caseGlob(r), ...(r.echo ? ['--echo'] : [])],
    ...['--max-message-size', String(MAX_MESSAGE), '--timeout-scale', String(TIMEOUT_SCALE)],
    ...['--concurrency', String(CONCURRENCY), '--jwt-secret', 'hostile-secret', '--quiet', '--out', dir],
  ];
  const meter = new ReaderMeter();
  meter.install();
  const memory = sampleArrayBuffers(() => meter.receiverArrayBuffers());
  let growth: number | undefined;
  const t0 = performance.now();
  let wall: NodeJS.Timeout | undefined;
  try {
    const code = await Promise.race([
      // the CLI's own path; the hook only ends the sampling when the cases are done, before the
      // reports are written (their size is bounded by the transcripts' caps, not by the server)
      executeRun(parseRunArgs(argv), defaultDeps, silent, {
        onEvent: (e) => {
          if (e.type === 'run-end') growth = memory.stop();
        },
      }),
      new Promise<never>((_, reject) => {
        wall = setTimeout(
          () => reject(new Error(`the run did not end within ${wallLimitMs} ms`)),
          wallLimitMs,
        );
      }),
    ]);
    const wallMs = Math.round(performance.now() - t0);
    const report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as { cases: ReportCase[] };
    return {
      code,
      wallMs,
      cases: report.cases,
      parserMax: meter.parserMax,
      receiverMax: meter.receiverMax,
      receiverLimits: [...meter.receiverLimits],
      inflatedMax: meter.inflatedMax,
      arrayBufferGrowth: growth ?? memory.stop(),
    };
  } finally {
    clearTimeout(wall);
    memory.stop();
    meter.uninstall();
  }
}

/** One line per behaviour for the log: verdict counts and what was measured. */
function summary(behaviour: string, protocol: Protocol, m: Measured): string {
  const counts = new Map<string, number>();
  for (const c of m.cases) counts.set(c.verdict, (counts.get(c.verdict) ?? 0) + 1);
  const kb = (n: number) => `${Math.round(n / 1024)} KiB`;
  return (
    `${behaviour} (${protocol}): exit ${m.code}, ${m.wallMs} ms, ` +
    `${[...counts].map(([v, n]) => `${n} ${v}`).join(', ')}; parser max ${kb(m.parserMax)}, ` +
    `ws receiver max ${kb(m.receiverMax)} (maxPayload ${m.receiverLimits.join('/') || 'n/a'}), ` +
    `ArrayBuffer growth ${kb(m.arrayBufferGrowth)}, largest inflate ${kb(m.inflatedMax)}`
  );
}

const RUNS: HostileRun[] = [
  ...HOSTILE_BEHAVIOURS.flatMap((behaviour) =>
    (['atheria', ...(EVOLUTION_TOO.includes(behaviour) ? ['evolution' as const] : [])] as const).map(
      (protocol): HostileRun => ({ behaviour, protocol, globs: CASE_GLOBS }),
    ),
  ),
  { behaviour: 'deflate-bomb', protocol: 'generic', globs: DEFLATE_GLOBS, echo: true },
];

describe('a hostile server cannot break the harness', () => {
  for (const r of RUNS) {
    const { behaviour, protocol } = r;
    it(`${behaviour} (${protocol}${r.echo ? ' --echo' : ''})`, { timeout: 120_000 }, async () => {
      const server = await startHostileServer(behaviour, { clientMaxPayload: MAX_MESSAGE, echo: r.echo });
      try {
        const cases = selected(r);
        expect(cases.length).toBeGreaterThan(0);
        // the longest the run may take: every case at its timeout, `concurrency` at a time, plus
        // the target-state snapshot and restore around it (issue 9 §6) and their timeouts
        const timeoutOf = (c: CaseDefinition) => (c.timeoutMs ?? DEFAULT_CASE_TIMEOUT_MS) * TIMEOUT_SCALE;
        const total = cases.reduce((n, c) => n + timeoutOf(c) + CASE_SLACK_MS, 0);
        const m = await runAgainst(server, r, Math.ceil(total / CONCURRENCY) + 30_000);
        console.log(summary(behaviour, protocol, m));
        if (process.env['WSCONFORM_HOSTILE_VERBOSE']) {
          for (const c of m.cases)
            console.log(`  ${c.id} ${c.verdict} ${c.durationMs} ms: ${c.reason ?? ''}`);
        }

        // the run ends as a run: a conformance failure (1), never bad usage or a crash
        expect(m.code).toBe(1);
        // every selected case has a verdict, with a reason unless it passed; none blames the harness
        const byId = new Map(m.cases.map((c) => [c.id, c]));
        for (const def of cases) {
          const c = byId.get(def.id);
          expect(c, def.id).toBeDefined();
          if (!c) continue;
          expect(VERDICTS, def.id).toContain(c.verdict);
          if (c.verdict !== 'pass') expect(c.reason ?? '', `${c.id} (${c.verdict})`).not.toBe('');
          expect(c.reason ?? '', c.id).not.toMatch(/internal error of the harness/);
          // no case outlives its timeout (plus closing its connections)
          expect(c.durationMs, `${c.id}: ${c.reason}`).toBeLessThanOrEqual(timeoutOf(def) + CASE_SLACK_MS);
        }
        // The server is broken before any application message: no case can pass by accident
        // except those that pass because the harness refused what it was sent.
        expect(m.cases.some((c) => c.verdict === 'fail' || c.verdict === 'error')).toBe(true);
        // One defect, one failing rule: a behaviour that breaks the upgrade itself is the handshake
        // cases' finding (C1); every case that needs an upgrade to test something else could not
        // be judged (error, naming the handshake case), never a cascade of failures.
        if (BREAKS_UPGRADE.includes(behaviour)) {
          const judged = m.cases
            .filter((c) => c.suite !== 'handshake' && c.verdict !== 'unimplemented')
            .filter(
              (c) =>
                !(
                  c.verdict === 'error' &&
                  /^precondition not met: .*, see [A-Z]+-[A-Z]+-\d+$/.test(c.reason ?? '')
                ),
            )
            .map((c) => `${c.id} ${c.verdict}: ${c.reason}`);
          expect.soft(judged, 'cases judged after a broken upgrade').toEqual([]);
        }
        // After a 101, bytes that are no valid frame stream (reserved opcodes, RSV bits, masked
        // server frames, §5.1–§5.2) answer nothing: no framing case may pass on a close frame it
        // happened to find in them.
        if (behaviour === '101-garbage') {
          const passed = m.cases
            .filter((c) => c.suite === 'framing' && c.verdict === 'pass')
            .map((c) => c.id);
          expect.soft(passed, 'framing cases passed against noise').toEqual([]);
        }

        // memory (issue 12 §2): the raw reader holds at most one frame of --max-message-size and
        // its header; the recorded client (ws) at most its receive limit, derived from
        // --max-message-size (src/wire/open.ts receiveLimit), and one socket read
        expect.soft(m.parserMax, 'frame parser').toBeLessThanOrEqual(MAX_MESSAGE + MAX_HEADER_BYTES);
        for (const limit of m.receiverLimits) {
          // 0 would be ws's "no limit"
          expect.soft(limit, 'ws maxPayload of a recorded connection').toBeGreaterThan(0);
          expect.soft(limit, 'ws maxPayload of a recorded connection').toBe(receiveLimit(MAX_MESSAGE));
        }
        expect
          .soft(m.receiverMax, 'ws receiver')
          .toBeLessThanOrEqual(receiveLimit(MAX_MESSAGE) + SOCKET_READ);
        expect.soft(m.arrayBufferGrowth, 'live ArrayBuffers').toBeLessThanOrEqual(ARRAY_BUFFER_BOUND);
        // a compressed message is a message: inflated, it is held to --max-message-size too
        expect.soft(m.inflatedMax, 'largest inflate').toBeLessThanOrEqual(MAX_MESSAGE);

        expect(server.upgrades.length).toBeGreaterThan(0);
        const offered = server.upgrades.filter((u) => u.offeredDeflate);
        if (r.globs === DEFLATE_GLOBS) {
          // the deflate rows offer permessage-deflate (RFC 7692 §5): the bomb came negotiated
          expect(offered.length).toBeGreaterThan(0);
          expect(server.connections.some((c) => c.hostileSent)).toBe(true);
        } else {
          // the protocol cases speak plain frames: no offer, so the bomb came as an RSV1 frame
          // the harness must refuse (§5.2), never inflate
          expect(offered).toEqual([]);
        }
      } finally {
        await server.stop();
      }
    });
  }
});

// The raw reader queues the frames a case has not read yet; against a server streaming frames
// faster than a case reads (or to a case that stopped reading), the queue must stop at a size,
// not at a count: 4096 frames of --max-message-size would be gigabytes. Beyond it the socket is
// paused and the bytes wait in the kernel (backpressure, not loss).
describe('the raw reader against a flood of frames it does not read', () => {
  it('holds at most about one --max-message-size of unread frames', { timeout: 30_000 }, async () => {
    const server = await startHostileServer('endless-fragments', { clientMaxPayload: MAX_MESSAGE });
    const raw = await openRaw({ host: '127.0.0.1', port: server.port, path: '/', maxPayload: MAX_MESSAGE });
    try {
      const base = liveArrayBuffers();
      expect((await raw.handshake())?.status).toBe(101);
      // the server offers tens of MB a second
      await new Promise((resolve) => setTimeout(resolve, 2000));
      const held = liveArrayBuffers() - base;
      console.log(`raw reader, 2 s of unread fragments: ${Math.round(held / 1024)} KiB held`);
      expect(held).toBeLessThanOrEqual(2 * MAX_MESSAGE + 2 * SOCKET_READ + MAX_HEADER_BYTES);
      // nothing was lost: the message's first frame, then its continuations, in order
      expect((await raw.readFrame(1000))?.opcode).toBe(0x1);
      expect((await raw.readFrame(1000))?.opcode).toBe(0x0);
    } finally {
      raw.destroy();
      await server.stop();
    }
  });
});
