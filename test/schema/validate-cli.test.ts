// `wsconform validate` end to end: input forms, verdict lines, binary sequencing (A6, E11),
// --json, and the exit codes of CLI-CONTRACT (0 valid, 1 invalid, 2 usage with one stderr line).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encode as encodeMsgpack } from '@msgpack/msgpack';
import { encode as encodeCbor } from 'cbor-x';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../cli/main.js';
import { UsageError } from '../../src/util/usage.js';
import { validateVerb } from '../../cli/validate.js';

const dir = mkdtempSync(join(tmpdir(), 'wsconform-validate-'));
let n = 0;
function file(content: string): string {
  const f = join(dir, `in-${++n}.json`);
  writeFileSync(f, content);
  return f;
}

async function run(argv: string[], stdin?: string): Promise<{ code: number; out: string }> {
  let out = '';
  const code = await validateVerb(argv, { stdin, out: (s) => (out += s) });
  return { code, out };
}

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
const info = { step: 3, is_paused: false, fps: 30, live_feed_enabled: true };
const payload = {
  step: 3,
  simulation_info: info,
  map_data: [
    [0.5, 1],
    [2, 3],
  ],
};
const frame = { type: 'simulation_frame', payload };
const ATH = ['--protocol', 'atheria', '--direction', 'server'];

describe('verdict lines and exit codes', () => {
  it('prints the contract line for an invalid message and exits 1', async () => {
    const alert = { type: 'alert', severity: 'info', data: { alert_id: 'a', title: 't', message: 'm' } };
    const ok = { type: 'pong', timestamp: 1 };
    const r = await run([
      '--protocol',
      'evolution',
      '--direction',
      'server',
      file(JSON.stringify([ok, ok, alert])),
    ]);
    expect(r.code).toBe(1);
    expect(r.out).toBe(
      '#1 valid pong\n#2 valid pong\n#3 invalid alert: /severity must be equal to one of the allowed values [#/properties/severity/enum]\n',
    );
  });

  it('reads JSON lines from stdin (no FILE, and -) and exits 0 when all are valid', async () => {
    const lines = `${JSON.stringify({ type: 'inference.play' })}\n\n${JSON.stringify({ scope: 'simulation', command: 'set_fps', args: { fps: 60 } })}\n`;
    for (const argv of [
      ['--protocol', 'atheria', '--direction', 'client'],
      ['--protocol', 'atheria', '--direction', 'client', '-'],
    ]) {
      const r = await run(argv, lines);
      expect(r).toEqual({ code: 0, out: '#1 valid inference.play\n#2 valid simulation.set_fps\n' });
    }
  });

  it('reads one pretty-printed message', async () => {
    const r = await run(ATH, JSON.stringify(frame, null, 2));
    expect(r).toEqual({ code: 0, out: '#1 valid simulation_frame\n' });
  });

  it('reports unknown types and non-objects as invalid', async () => {
    const r = await run(['--protocol', 'evolution', '--direction', 'client'], '{"type":"welcome"}\n"text"\n');
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^#1 invalid welcome: \/type unknown client message type 'welcome'/);
    expect(r.out).toMatch(/\n#2 invalid \(unknown\): must be a JSON object/);
  });

  it('--json prints one document with counts and violations', async () => {
    const r = await run(
      [...ATH, '--json'],
      JSON.stringify([frame, { type: 'notification', payload: { status: 'ok', message: '' } }]),
    );
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.out) as {
      total: number;
      valid: number;
      invalid: number;
      results: { violations: unknown[] }[];
    };
    expect(doc).toMatchObject({ total: 2, valid: 1, invalid: 1 });
    expect(doc.results[1]?.violations).toEqual([
      {
        messageType: 'notification',
        instancePath: '/payload/status',
        schemaPath: '#/properties/payload/properties/status/enum',
        message: 'must be equal to one of the allowed values',
      },
    ]);
  });
});

describe('Atheria binary frames (A6)', () => {
  const packed = encodeMsgpack(payload);

  it('accepts a header followed by a msgpack payload of exactly its size, and cbor', async () => {
    const cbor = encodeCbor(payload);
    const input = [
      { type: 'simulation_frame_binary', format: 'msgpack', size: packed.byteLength },
      { $binary: b64(packed) },
      { type: 'simulation_frame_binary', format: 'cbor', size: cbor.byteLength },
      { $binary: b64(cbor) },
    ];
    const r = await run([...ATH, file(JSON.stringify(input))]);
    expect(r.out).toBe(
      '#1 valid simulation_frame_binary\n#2 valid simulation_frame_binary payload\n#3 valid simulation_frame_binary\n#4 valid simulation_frame_binary payload\n',
    );
    expect(r.code).toBe(0);
  });

  it('rejects a size mismatch, an interleaved message, a header at the end, and an orphan payload', async () => {
    const header = { type: 'simulation_frame_binary', format: 'msgpack', size: packed.byteLength + 1 };
    const input = [
      header,
      { $binary: b64(packed) },
      { ...header, size: packed.byteLength },
      frame,
      { $binary: b64(packed) },
      header,
    ];
    const r = await run([...ATH, file(JSON.stringify(input))]);
    expect(r.code).toBe(1);
    const lines = r.out.trim().split('\n');
    expect(lines[0]).toBe('#1 valid simulation_frame_binary');
    expect(lines[1]).toMatch(
      /^#2 invalid simulation_frame_binary payload: is \d+ bytes but its header announced size \d+ \(A6\)$/,
    );
    expect(lines[2]).toBe(
      '#3 invalid simulation_frame_binary: binary payload must be the very next message, got text #4 (A6)',
    );
    expect(lines[3]).toBe('#4 valid simulation_frame');
    expect(lines[4]).toBe('#5 invalid (binary): has no simulation_frame_binary header right before it (A6)');
    expect(lines[5]).toBe(
      '#6 invalid simulation_frame_binary: binary payload must follow, but the input ends (A6)',
    );
  });

  it('validates the decoded payload and reports undecodable bytes', async () => {
    const bad = encodeMsgpack({ ...payload, map_data: [[1, 2], [3]] });
    const input = [
      { type: 'simulation_frame_binary', format: 'msgpack', size: bad.byteLength },
      { $binary: b64(bad) },
      { type: 'simulation_frame_binary', format: 'msgpack', size: 2 },
      { $binary: b64(new Uint8Array([0xc1, 0xc1])) },
    ];
    const lines = (await run([...ATH, file(JSON.stringify(input))])).out.trim().split('\n');
    expect(lines[1]).toBe(
      '#2 invalid simulation_frame_binary payload: /map_data rows must all have the same length: row 1 has 1 items, row 0 has 2 [#/x-equalRowLengths]',
    );
    expect(lines[3]).toMatch(/^#4 invalid simulation_frame_binary payload: is not a valid msgpack document/);
  });

  it('notes the legacy header as non-strict but valid', async () => {
    const input = [
      { type: 'simulation_frame', format: 'msgpack', is_binary: true },
      { $binary: b64(packed) },
    ];
    const r = await run([...ATH, file(JSON.stringify(input))]);
    expect(r).toEqual({
      code: 0,
      out: '#1 valid simulation_frame (note: legacy binary header without size: NON-STRICT (A6))\n#2 valid simulation_frame payload\n',
    });
  });

  it('rejects binary messages where the protocol has none', async () => {
    const bin = JSON.stringify({ $binary: b64(packed) });
    expect((await run(['--protocol', 'atheria', '--direction', 'client'], bin)).code).toBe(1);
    expect((await run(['--protocol', 'evolution', '--direction', 'server'], bin)).out).toMatch(
      /no binary server messages \(E1\)/,
    );
  });
});

describe('Evolution agent_code (E11) and envelope notes', () => {
  const EVO_CLIENT = ['--protocol', 'evolution', '--direction', 'client'];
  const agentCode = (header: string, code: string) => ({ $binary: b64(Buffer.from(`${header}\n${code}`)) });

  it('validates the JSON header before the newline', async () => {
    const input = [
      agentCode(JSON.stringify({ type: 'agent_code', agent_id: 'agent-123' }), 'def run():\n  return 1\n'),
      agentCode('{not json', 'x'),
      agentCode(JSON.stringify({ type: 'agent_code' }), 'x'),
      { $binary: b64(Buffer.from('no newline at all')) },
    ];
    const lines = (await run([...EVO_CLIENT, file(JSON.stringify(input))])).out.trim().split('\n');
    expect(lines[0]).toBe('#1 valid (binary)');
    expect(lines[1]).toBe('#2 invalid (binary): header before the newline is not UTF-8 JSON (E11)');
    expect(lines[2]).toMatch(/^#3 invalid \(binary\): must have required property 'agent_id'/);
    expect(lines[3]).toBe('#4 invalid (binary): has no newline (0x0A) after its JSON header (E11)');
  });

  it('notes repeated envelope ids (E1 SHOULD) without failing', async () => {
    const m = { id: 'x', type: 'pong', timestamp: 5 };
    const r = await run(
      ['--protocol', 'evolution', '--direction', 'server'],
      `${JSON.stringify(m)}\n${JSON.stringify(m)}\n`,
    );
    expect(r.code).toBe(0);
    expect(r.out).toContain("#2 valid pong (note: id 'x' repeats #1 (E1: SHOULD be unique per connection))");
  });
});

describe('bad usage and unreadable input (exit 2)', () => {
  afterEach(() => vi.restoreAllMocks());

  it.each([
    [['--direction', 'server'], /--protocol is required/],
    [['--protocol', 'mqtt', '--direction', 'server'], /--protocol must be atheria or evolution, got 'mqtt'/],
    [['--protocol', 'atheria', '--direction', 'up'], /--direction must be server or client/],
    [['--protocol', 'atheria', '--direction', 'server', '--bogus'], /Unknown option/],
    [[...ATH, join(dir, 'missing.json')], /cannot read .*missing\.json \(ENOENT\)/],
    [[...ATH, 'a.json', 'b.json'], /takes one FILE/],
  ])('%j → exit 2 with one stderr line', async (argv, pattern) => {
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    expect(await main(['validate', ...argv])).toBe(2);
    const text = err.mock.calls.map((c) => String(c[0])).join('');
    expect(text).toMatch(pattern);
    expect(text.trim().split('\n')).toHaveLength(1);
  });

  it.each([
    ['', /holds no messages/],
    ['{"type":"ping"}\nnot json\n', /line 2 is not JSON/],
    ['[{"$binary":"***"}]', /"\$binary" must be a base64 string/],
  ])('input %j is rejected as unusable', async (input, pattern) => {
    await expect(run(ATH, input)).rejects.toThrow(UsageError);
    await expect(run(ATH, input)).rejects.toThrow(pattern);
  });

  it('--help prints the usage and exits 0', async () => {
    const r = await run(['--help']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^wsconform validate --protocol atheria\|evolution --direction server\|client/);
  });
});
