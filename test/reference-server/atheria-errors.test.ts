// A4 and C4 against the real endpoint: unknown commands, non-JSON, messages without a command,
// hostile keys and wrongly typed fields are answered by notification error; the connection stays
// open and keeps working; client binary messages are ignored (A6).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AtheriaClient } from './_atheria-client.js';
import { useAtheriaServer } from './_atheria-harness.js';

const { open } = useAtheriaServer({ fps: 30 });

/** The connection still works: a command is still answered. */
async function stillWorks(c: AtheriaClient): Promise<void> {
  const mark = c.mark;
  c.command('simulation.set_live_feed', { enabled: true });
  expect((await c.notification(mark)).status).toBe('success');
}

describe('atheria endpoint: A4 errors keep the connection open', () => {
  const cases: [string, string | object, RegExp][] = [
    ['unknown command', { type: 'inference.teleport', payload: {} }, /unknown command "inference\.teleport"/],
    ['unknown scope', { type: 'warp.play', payload: {} }, /unknown scope "warp"/],
    ['unknown legacy command', { scope: 'simulation', command: 'explode', args: {} }, /unknown command/],
    ['type without a dot', { type: 'play' }, /unknown scope "play"/],
    ['non-JSON text', 'this is not json {', /not valid JSON/],
    ['a JSON array', '[1,2,3]', /JSON object/],
    ['a JSON string', '"inference.play"', /JSON object/],
    ['neither type nor scope+command', { payload: { fps: 10 } }, /neither "type" nor "scope"/],
    ['scope without command', { scope: 'inference' }, /must both be strings/],
    ['type of the wrong type', { type: 42 }, /"type" must be a string/],
    [
      'payload of the wrong type',
      { type: 'simulation.set_fps', payload: [30] },
      /"payload" must be a JSON object/,
    ],
    [
      'args of the wrong type',
      { scope: 'simulation', command: 'set_fps', args: 'fast' },
      /"args" must be a JSON object/,
    ],
    ['__proto__ as type', { type: '__proto__' }, /unknown scope "__proto__"/],
    [
      'constructor as command',
      { scope: 'inference', command: 'constructor' },
      /unknown command "inference\.constructor"/,
    ],
    ['toString as a command', { type: 'inference.toString' }, /unknown command/],
  ];
  for (const [what, msg, expected] of cases) {
    it(`${what} → notification error naming the problem`, async () => {
      const c = await open();
      const mark = c.mark;
      c.send(msg);
      const n = await c.notification(mark);
      expect(n.status).toBe('error');
      expect(String(n.message)).toMatch(expected);
      await stillWorks(c);
    });
  }

  it('"__proto__" / "constructor" keys inside a payload are plain data', async () => {
    const c = await open();
    let mark = c.mark;
    c.send('{"type":"inference.load_experiment","payload":{"__proto__":{"experiment_name":"calm_lake"}}}');
    expect((await c.notification(mark)).status).toBe('error');
    mark = c.mark;
    c.send('{"__proto__":{"type":"inference.play"}}');
    expect((await c.notification(mark)).status).toBe('error');
    mark = c.mark;
    c.send({ type: 'simulation.set_fps', payload: { constructor: { fps: 10 }, fps: 30 } });
    expect((await c.notification(mark)).status).toBe('success');
    // nothing was polluted: a fresh object has no experiment_name
    expect(({} as Record<string, unknown>)['experiment_name']).toBeUndefined();
    await stillWorks(c);
  });

  it('client binary messages are ignored: no answer, no close', async () => {
    const c = await open();
    const mark = c.mark;
    c.ws.send(Buffer.from([0x82, 0xa4, 0x74, 0x79, 0x70, 0x65, 0x00]), { binary: true });
    c.ws.send(Buffer.from('{"type":"inference.pause"}'), { binary: true });
    await c.sync();
    expect(c.received.slice(mark).some((m) => m.json['type'] === 'notification')).toBe(false);
    expect(c.received.slice(mark).some((m) => m.json['type'] === 'inference_status_update')).toBe(false);
    await stillWorks(c);
  });

  it('random JSON values never close the connection and are each answered (fast-check)', async () => {
    const c = await open();
    await fc.assert(
      fc.asyncProperty(fc.jsonValue({ maxDepth: 3 }), async (value) => {
        const mark = c.mark;
        c.send(JSON.stringify(value));
        const n = await c.notification(mark);
        expect(['success', 'error']).toContain(n.status);
      }),
      { numRuns: 40, seed: 42 },
    );
    await stillWorks(c);
    expect(c.ws.readyState).toBe(c.ws.OPEN);
  });

  it('random payloads of every known command never close the connection (fast-check)', async () => {
    const c = await open();
    const names = [
      'inference.load_experiment',
      'inference.set_viz',
      'inference.inject_energy',
      'simulation.set_fps',
      'simulation.set_live_feed',
      'simulation.set_binary',
    ];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...names),
        fc.dictionary(
          fc.constantFrom(
            'experiment_name',
            'viz_type',
            'energy_type',
            'type',
            'amount',
            'fps',
            'enabled',
            'format',
            '__proto__',
          ),
          fc.jsonValue({ maxDepth: 2 }),
        ),
        async (name, payload) => {
          const mark = c.mark;
          c.command(name, payload);
          const n = await c.notification(mark);
          expect(['success', 'error']).toContain(n.status);
        },
      ),
      { numRuns: 50, seed: 7 },
    );
    // back to JSON frames and the live feed on, whatever the run did
    c.command('simulation.set_binary', { enabled: false });
    await stillWorks(c);
  });
});
