import { describe, expect, it } from 'vitest';
import { startReferenceServer } from '../../reference-server/index.js';
import { CaseRun } from '../../src/engine/context.js';
import type { Received } from '../../src/engine/types.js';
import { atheriaAdapter } from '../../src/protocols/atheria.js';
import { REFERENCE_CONFIG } from './_atheria-cases.js';

async function canaryAgainst(faults: string[]): Promise<string | null> {
  const server = await startReferenceServer({ faults });
  try {
    const run = new CaseRun(
      'TEST-CASE-001',
      { url: server.url('/ws'), protocol: 'atheria' },
      REFERENCE_CONFIG,
      atheriaAdapter,
    );
    try {
      return (await atheriaAdapter.canary(run.canaryOpen, REFERENCE_CONFIG))?.reason ?? null;
    } finally {
      await run.closeAll(200);
    }
  } finally {
    await server.close();
  }
}

describe('atheriaAdapter', () => {
  it('serves /ws', () => {
    expect(atheriaAdapter.protocol).toBe('atheria');
    expect(atheriaAdapter.path).toBe('/ws');
  });

  it('gives each connection its own checker state (A6 pairing is per connection)', () => {
    const checkerA = atheriaAdapter.inboundChecker();
    const checkerB = atheriaAdapter.inboundChecker();
    const a = (m: Received) => checkerA.inbound(m);
    const b = (m: Received) => checkerB.inbound(m);
    const header: Received = {
      t: 0,
      kind: 'text',
      text: '',
      json: { type: 'simulation_frame_binary', format: 'msgpack', size: 1 },
      type: 'simulation_frame_binary',
    };
    expect(a(header)).toEqual([]);
    const stray: Received = { t: 0, kind: 'binary', data: Buffer.of(0xc0) };
    expect(b(stray)[0]?.messageType).toBe('(binary)');
    // on `a` the same bytes are the announced payload: nil decodes but is no frame payload
    expect(a(stray)[0]?.messageType).toBe('simulation_frame_binary');
  });

  it('canary: healthy reference server', async () => {
    expect(await canaryAgainst([])).toBeNull();
  });

  it('canary: no initial_state is reported', async () => {
    expect(await canaryAgainst(['ath-no-initial-state'])).toMatch(/not initial_state|no initial_state/);
  });
});
