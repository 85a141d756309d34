import { encode } from '@msgpack/msgpack';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { acceptKey, frameBytes } from '../../bench/baselines.js';
import { cpuCheck, saturationProblem } from '../../bench/cpu.js';
import { fieldsOfPayload, scanJsonFrame, scanMsgpackFrame } from '../../bench/frame-scan.js';
import { median } from '../../bench/result.js';
import { benchJsonProblems } from '../../bench/schema.js';
import { metricsUrl, parseCounter } from '../../bench/scrape.js';
import { syntheticRun } from './_synthetic.js';

const payloadArb = fc.record({
  step: fc.nat(),
  timestamp: fc.double({ min: 1e9, max: 3e9, noNaN: true }),
  simulation_info: fc.record({ step: fc.nat(), fps: fc.double({ min: 1, max: 120, noNaN: true }) }),
  map_data: fc.array(fc.array(fc.double({ noNaN: true, noDefaultInfinity: true }), { maxLength: 4 }), {
    maxLength: 4,
  }),
});

describe('frame scan (step/timestamp without decoding map_data)', () => {
  it('reads the same step and timestamp as a full JSON parse', () => {
    fc.assert(
      fc.property(payloadArb, (p) => {
        // the scan takes the first "step": payload.step precedes simulation_info in these frames
        const buf = Buffer.from(JSON.stringify({ type: 'simulation_frame', payload: p }));
        expect(scanJsonFrame(buf)).toEqual(fieldsOfPayload(p));
      }),
    );
  });

  it('reads the same step and timestamp as a full msgpack decode, for every number width', () => {
    fc.assert(
      fc.property(payloadArb, fc.integer({ min: 0, max: 2 ** 40 }), (p, bigStep) => {
        for (const step of [p.step, bigStep, 127, 128, 65535, 65536]) {
          const q = { ...p, step };
          expect(scanMsgpackFrame(Buffer.from(encode(q)))).toEqual(fieldsOfPayload(q));
        }
      }),
    );
  });

  it('tolerates whitespace and reports missing fields as null', () => {
    expect(scanJsonFrame(Buffer.from('{"payload": {"step" : 12 ,\n "timestamp":\t1.5e9}}'))).toEqual({
      step: 12,
      timestamp: 1.5e9,
    });
    expect(scanJsonFrame(Buffer.from('{"payload":{"map_data":[]}}'))).toEqual({
      step: null,
      timestamp: null,
    });
    expect(scanMsgpackFrame(Buffer.from(encode({ step: 'x' })))).toEqual({ step: null, timestamp: null });
  });
});

describe('baselines', () => {
  it('computes Sec-WebSocket-Accept as in RFC 6455 §1.3', () => {
    expect(acceptKey('dGhlIHNhbXBsZSBub25jZQ==')).toBe('s3pPLMBiTxaQ9kYGzzhZRbK+xOo=');
  });

  it('frames text and binary with 7-, 16- and 64-bit lengths (RFC 6455 §5.2)', () => {
    expect([...frameBytes({ data: Buffer.from('hi'), binary: false })]).toEqual([0x81, 2, 0x68, 0x69]);
    const mid = frameBytes({ data: Buffer.alloc(300), binary: true });
    expect([...mid.subarray(0, 4)]).toEqual([0x82, 126, 1, 44]);
    expect(mid.length).toBe(304);
    const big = frameBytes({ data: Buffer.alloc(70_000), binary: true });
    expect(big[1]).toBe(127);
    expect(big.readBigUInt64BE(2)).toBe(70_000n);
  });
});

describe('self-check', () => {
  it('is invalid only when the generator is saturated and the server is not (or unknown)', () => {
    expect(saturationProblem(cpuCheck([0.95], 0.4))).toMatch(/generator saturated/);
    expect(saturationProblem(cpuCheck([0.5, 0.97], null))).toMatch(/unknown/);
    expect(saturationProblem(cpuCheck([0.95], 0.95))).toBeNull();
    expect(saturationProblem(cpuCheck([0.5], 0.99))).toBeNull();
  });
});

describe('helpers', () => {
  it('parses a Prometheus counter and derives the metrics URL', () => {
    const text = '# HELP x\nwsconform_frames_dropped_total 42\nwsconform_frames_dropped_total_other 5\n';
    expect(parseCounter(text, 'wsconform_frames_dropped_total')).toBe(42);
    expect(parseCounter('a{b="c"} 1\na{b="d"} 2\n', 'a')).toBe(3);
    expect(parseCounter('', 'a')).toBeNull();
    expect(metricsUrl('wss://h:9/v1/evolution?x=1')).toBe('https://h:9/metrics');
  });

  it('takes medians of odd and even lists', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    expect(median([])).toBe(0);
  });
});

describe('spec/bench.schema.json', () => {
  const good = syntheticRun([0, 1, 2], 3, null);

  it('accepts a complete result', () => {
    expect(benchJsonProblems(good)).toEqual([]);
  });

  it('rejects a missing contract field, a wrong type and a non-HISTv2 histogram', () => {
    const { framesPerSecond: _, ...missing } = good;
    expect(benchJsonProblems(missing).join()).toMatch(/framesPerSecond/);
    expect(
      benchJsonProblems({ ...good, latencyUs: { ...good.latencyUs, p99: 'fast' } }).length,
    ).toBeGreaterThan(0);
    expect(
      benchJsonProblems({ ...good, histograms: { ...good.histograms, latencyUs: 'not a histogram' } }).join(),
    ).toMatch(/histograms\/latencyUs/);
    expect(
      benchJsonProblems({ ...good, baselines: [{ name: 'ws-broadcast', framesPerSecond: 1 }] }).join(),
    ).toMatch(/ratio/);
  });
});
