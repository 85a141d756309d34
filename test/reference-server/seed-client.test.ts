// The seed's own JavaScript client works against the reference server: it authenticates and
// subscribes back to back (E2 ordering) and receives evolution_update, metrics and alert. The
// server runs on a manual clock that the test moves on until all three have come.
import { describe, expect, it } from 'vitest';
import { validateServerMessage } from '../../src/schema/index.js';
import { EvolutionWebSocket } from './fixtures/seed-evolution-client.js';
import { ManualClock } from './helpers/manual-clock.js';
import { token } from './helpers/tokens.js';
import { EVO, GENERATION_MS, useServer } from './helpers/server.js';

const clock = new ManualClock();
const srv = useServer({ clock });

class Recording extends EvolutionWebSocket {
  readonly got = { evolution_update: [] as unknown[], metrics: [] as unknown[], alert: [] as unknown[] };
  readonly all: unknown[] = [];
  override onEvolutionUpdate(data: unknown) {
    this.got.evolution_update.push(data);
  }
  override onMetrics(data: unknown) {
    this.got.metrics.push(data);
  }
  override onAlert(data: unknown) {
    this.got.alert.push(data);
  }
  override handleMessage(message: { type: string; data?: unknown }) {
    this.all.push(message);
    super.handleMessage(message);
  }
}

describe('the seed client', () => {
  it('authenticates, subscribes and receives evolution_update, metrics and alert', async () => {
    const client = new Recording(await token('seed-user'), srv().url(EVO));
    client.connect();
    // alerts follow fitness regressions, which the GA's drifting target causes every ~2 s of run
    await clock.until(
      () => Object.values(client.got).every((list) => list.length > 0),
      5 * GENERATION_MS,
      30_000,
    );
    client.reconnectAttempts = 5; // no reconnect when we close it
    client.ws?.close();
    expect(client.got.evolution_update.length).toBeGreaterThan(0);
    expect(client.got.metrics.length).toBeGreaterThan(0);
    expect(client.got.alert.length).toBeGreaterThan(0);
    const types = new Set(client.all.map((m) => (m as { type: string }).type));
    expect(types.has('error')).toBe(false);
    for (const m of client.all) expect(validateServerMessage('evolution', m)).toEqual([]);
  });
});
