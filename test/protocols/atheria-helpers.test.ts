import { encode as encodeMsgpack } from '@msgpack/msgpack';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CaseRun } from '../../src/engine/context.js';
import { CaseEnd } from '../../src/engine/verdict.js';
import { atheriaAdapter } from '../../src/protocols/atheria.js';
import { enableBinary } from '../../src/protocols/atheria-binary-session.js';
import { commandMessage, experimentNames, withArg } from '../../src/protocols/atheria-commands.js';
import { framesIn, nextFrame, stepOf } from '../../src/protocols/atheria-frames.js';
import { Probe } from '../../src/protocols/atheria-probe.js';
import { pickFps } from '../../src/protocols/atheria-fps.js';
import { checkMessages, judgeOutcome, missingAnswer } from '../../src/protocols/atheria-property.js';
import type { SimSession } from '../../src/protocols/atheria-state.js';
import { mark, notificationStatus, waitFor } from '../../src/protocols/atheria-wait.js';
import { REFERENCE_CONFIG } from './_atheria-cases.js';
import { echoingServer, FakeConn } from './_atheria-fake-conn.js';

const frame = (step: number) => ({
  step,
  simulation_info: { step, is_paused: false, fps: 30, live_feed_enabled: true },
  map_data: [[0]],
});

describe('Atheria command helpers (A2)', () => {
  it('builds both forms', () => {
    expect(commandMessage('inference.set_fps', { fps: 10 })).toEqual({
      type: 'inference.set_fps',
      payload: { fps: 10 },
    });
    expect(commandMessage('simulation.set_fps', { fps: 10 }, { legacy: true })).toEqual({
      scope: 'simulation',
      command: 'set_fps',
      args: { fps: 10 },
    });
  });

  it('sets an argument in whichever form the message has', () => {
    expect(withArg({ type: 'a.b', payload: { x: 1 } }, 'y', 2)).toEqual({
      type: 'a.b',
      payload: { x: 1, y: 2 },
    });
    expect(withArg({ scope: 'a', command: 'b' }, 'y', 2)).toEqual({
      scope: 'a',
      command: 'b',
      args: { y: 2 },
    });
  });

  it('reads experiment names given as objects or strings', () => {
    expect(experimentNames({ experiments: [{ name: 'a' }, 'b', { nope: 1 }] })).toEqual(['a', 'b']);
    expect(experimentNames({})).toEqual([]);
  });

  it('knows the documented answers of A3', () => {
    const status = (s: string) => ({
      t: 0,
      kind: 'text' as const,
      type: 'inference_status_update',
      json: { type: 'inference_status_update', payload: { status: s } },
    });
    expect(missingAnswer('inference.play', [status('running')])).toBeUndefined();
    expect(missingAnswer('inference.play', [status('paused')])).toMatch(/running/);
    expect(missingAnswer('inference.inject_energy', [])).toMatch(/success/);
    expect(missingAnswer('simulation.set_fps', [])).toBeUndefined();
  });
});

describe('waiting by position', () => {
  it('finds only messages after the mark and times out otherwise', async () => {
    const conn = new FakeConn();
    conn.push({ type: 'notification', payload: { status: 'error', message: 'old' } });
    const from = mark(conn);
    expect(await waitFor(conn, from, (m) => m.type === 'notification', 30)).toBeNull();
    setTimeout(() => conn.push({ type: 'notification', payload: { status: 'info', message: 'new' } }), 5);
    const hit = await waitFor(conn, from, (m) => m.type === 'notification', 1000);
    expect(hit?.index).toBe(1);
  });

  it('stops waiting when the connection closes', async () => {
    const conn = new FakeConn();
    setTimeout(() => conn.close(), 5);
    const t0 = performance.now();
    expect(await waitFor(conn, 0, () => true, 5000)).toBeNull();
    expect(performance.now() - t0).toBeLessThan(4000);
  });
});

describe('frames (A5, A6)', () => {
  it('extracts JSON and binary frames in order, skipping a header without payload', () => {
    const conn = new FakeConn();
    const bytes = encodeMsgpack(frame(2));
    conn.push({ type: 'simulation_frame', payload: frame(1) });
    conn.push({ type: 'simulation_frame_binary', format: 'msgpack', size: bytes.length });
    conn.push(bytes);
    conn.push({ type: 'simulation_frame_binary', format: 'msgpack', size: 3 });
    conn.push({ type: 'notification', payload: { status: 'info', message: 'between' } });
    conn.push({ type: 'simulation_frame', format: 'cbor', is_binary: true });
    conn.push(encodeMsgpack(frame(3))); // legacy header claims cbor: payload undecodable as cbor? still a frame
    const frames = framesIn(conn.received);
    expect(frames.map((f) => [f.binary, f.legacy])).toEqual([
      [false, false],
      [true, false],
      [true, true],
    ]);
    expect(frames.slice(0, 2).map(stepOf)).toEqual([1, 2]);
  });

  it('nextFrame waits for the binary payload that follows a header', async () => {
    const conn = new FakeConn();
    const bytes = encodeMsgpack(frame(9));
    conn.push({ type: 'simulation_frame_binary', format: 'msgpack', size: bytes.length });
    setTimeout(() => conn.push(bytes), 10);
    const f = await nextFrame(conn, 0, 1000);
    expect(f?.binary).toBe(true);
    expect(f ? stepOf(f) : undefined).toBe(9);
  });
});

describe('Probe (sentinel)', () => {
  it('separates the replies to a message from the sentinel answer in echo mode', async () => {
    const conn = new FakeConn(
      echoingServer((sent) =>
        (sent as { type?: string }).type === 'bogus.cmd'
          ? [{ type: 'notification', payload: { status: 'error', message: 'unknown command "bogus.cmd"' } }]
          : [],
      ),
    );
    const probe = new Probe(conn);
    expect(await probe.sync()).not.toBeNull();
    expect(probe.echoes).toBe(true);
    const bad = await probe.exchange(() => conn.sendJson({ type: 'bogus.cmd' }));
    expect(bad.replies.map((m) => m.type)).toEqual(['notification']);
    expect(bad.sentinel).not.toBeNull();
    const silent = await probe.exchange(() => conn.sendJson({ type: 'inference.play' }));
    expect(silent.replies).toEqual([]);
  });

  it('falls back to a quiet period when the server does not echo the name', async () => {
    const conn = new FakeConn((sent) =>
      (sent as { type?: string }).type === 'inference.load_experiment'
        ? [{ type: 'notification', payload: { status: 'error', message: 'no such experiment' } }]
        : [{ type: 'notification', payload: { status: 'error', message: 'bad' } }],
    );
    const probe = new Probe(conn);
    await probe.sync();
    expect(probe.echoes).toBe(false);
    const ex = await probe.exchange(() => conn.sendJson({ type: 'x.y' }));
    expect(ex.replies).toHaveLength(1);
    expect(ex.sentinel).not.toBeNull();
  });

  it('takes the final answer, not the progress info the public backend sends first (issue 9 §5)', async () => {
    // load_experiment of an unknown name: info "Cargando modelo…" at once, the error 30 ms later.
    // Taking the info as the answer let the error land in the next exchange as if it answered that.
    const conn = new FakeConn((sent, c) => {
      const m = sent as { type?: string; payload?: { experiment_name?: string } };
      if (m.type !== 'inference.load_experiment') return [];
      const name = m.payload?.experiment_name ?? '';
      setTimeout(
        () => c.push({ type: 'notification', payload: { status: 'error', message: `Error: '${name}'` } }),
        30,
      );
      return [{ type: 'notification', payload: { status: 'info', message: `Cargando modelo '${name}'...` } }];
    });
    const probe = new Probe(conn);
    expect(await probe.sync()).not.toBeNull();
    expect(probe.echoes).toBe(true);
    const ex = await probe.exchange(() =>
      conn.sendJson({ type: 'inference.set_viz', payload: { viz_type: 'density' } }),
    );
    expect(ex.replies).toEqual([]);
    expect(ex.sentinel ? notificationStatus(ex.sentinel) : 'none').toBe('error');
  });

  it('reports no sentinel answer when the server closes', async () => {
    const conn = new FakeConn(
      echoingServer((_sent, c) => {
        c.close();
        return [];
      }),
    );
    const probe = new Probe(conn);
    await probe.sync();
    const ex = await probe.exchange(() => conn.sendJson({ type: 'x.y' }));
    expect(ex.sentinel).toBeNull();
  });
});

describe('enableBinary (A6)', () => {
  const ctxOf = () =>
    new CaseRun(
      'TEST-CASE-001',
      { url: 'ws://127.0.0.1:1/ws', protocol: 'atheria' },
      REFERENCE_CONFIG,
      atheriaAdapter,
    ).context();
  const sessionOf = (conn: FakeConn): SimSession => ({
    conn,
    initial: {},
    probe: new Probe(conn),
    restore: {},
  });
  const answering = (status: string | null) =>
    new FakeConn(
      echoingServer((sent) =>
        (sent as { type?: string }).type === 'simulation.set_binary' && status !== null
          ? [{ type: 'notification', payload: { status, message: 'binary' } }]
          : [],
      ),
    );

  it('is unimplemented when the server answers set_binary with an error or a warning', async () => {
    for (const status of ['error', 'warning']) {
      const err = await enableBinary(ctxOf(), sessionOf(answering(status)), 'msgpack').catch(
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(CaseEnd);
      expect((err as CaseEnd).verdict).toBe('unimplemented');
    }
  });

  it('is unimplemented for a format the run says the target lacks (--binary-formats)', async () => {
    const ctx = new CaseRun(
      'TEST-CASE-001',
      { url: 'ws://127.0.0.1:1/ws', protocol: 'atheria' },
      { ...REFERENCE_CONFIG, binaryFormats: ['msgpack'] },
      atheriaAdapter,
    ).context();
    const err = await enableBinary(ctx, sessionOf(answering('success')), 'cbor').catch((e: unknown) => e);
    expect((err as CaseEnd).verdict).toBe('unimplemented');
  });

  it('returns where to judge frames from: after a success, or from the request when the server is silent', async () => {
    const s = sessionOf(answering('success'));
    const ok = await enableBinary(ctxOf(), s, 'msgpack');
    expect(ok.answered).toBe(true);
    expect(s.conn.received[ok.from - 1]?.type).toBe('notification');
    expect(s.restore.binary).toBe(false);
    // silence (A4 allows it; the public backend has no set_binary) is no failure of the case
    const quiet = sessionOf(answering(null));
    await quiet.probe.sync();
    const at = quiet.conn.received.length;
    expect(await enableBinary(ctxOf(), quiet, 'msgpack')).toEqual({ answered: false, from: at });
  });
});

describe('set_fps target (issue 9 §5)', () => {
  it('is at least a factor of 2 away from every rate seen, within (0, 120]', () => {
    for (const seen of [[10], [9.75, 10.2], [30, 12], [60], [119.5], [0.5], [1, 2], [48, 50]]) {
      const t = pickFps(seen);
      expect(t).toBeGreaterThan(0);
      expect(t).toBeLessThanOrEqual(120);
      for (const r of seen) expect(Math.max(t / r, r / t)).toBeGreaterThanOrEqual(2);
    }
  });

  it('looks at the measured rate too: a server reporting 30 fps while sending 12 frames/s', () => {
    // The old choice read simulation_info.fps only (30) and asked for 12: a server that ignores
    // set_fps and runs at 12 frames/s passed the rate case by luck.
    expect(pickFps([30, 12])).toBeGreaterThanOrEqual(24 * 2.5);
  });
});

describe('property runs (issue 9 §5)', () => {
  const ctxOf = () =>
    new CaseRun(
      'TEST-CASE-001',
      { url: 'ws://127.0.0.1:1/ws', protocol: 'atheria' },
      { ...REFERENCE_CONFIG, runs: 20 },
      atheriaAdapter,
    ).context();
  const sessionOf = (): SimSession => {
    const conn = new FakeConn(echoingServer(() => []));
    return { conn, initial: {}, probe: new Probe(conn), restore: {} };
  };
  const thrown = (f: () => unknown): unknown => {
    try {
      f();
    } catch (e) {
      return e;
    }
    return undefined;
  };
  const property = (applies: (v: number) => boolean) => ({
    arbitrary: fc.integer({ min: 0, max: 1000 }),
    message: (v: number) => ({ type: 'wsconform.noop', payload: { v } }),
    applies,
    judge: () => null,
    timeLimitMs: 5000,
  });

  it('skips runs whose value does not apply; none applicable is unimplemented, not a pass', async () => {
    // Before: a run that did not apply returned true and counted as a pass.
    const ctx = ctxOf();
    const none = await checkMessages(
      ctx,
      sessionOf(),
      property(() => false),
    );
    expect(none.applicable).toBe(0);
    expect(none.failure).toBeUndefined();
    const end = thrown(() => judgeOutcome(ctx, none, 5000));
    expect((end as CaseEnd).verdict).toBe('unimplemented');
    const some = await checkMessages(
      ctx,
      sessionOf(),
      property((v) => v % 2 === 0),
    );
    expect(some.applicable).toBeGreaterThan(0);
    expect(judgeOutcome(ctx, some, 5000)).toBeUndefined();
  });

  it('a failure without a counterexample is a fail with the reason, never a pass', () => {
    const end = thrown(() =>
      judgeOutcome(ctxOf(), { runs: 3, applicable: 3, interrupted: false, failedWithout: 'boom' }, 5000),
    );
    expect((end as CaseEnd).verdict).toBe('fail');
    expect((end as CaseEnd).message).toContain('boom');
  });
});
