// The seed's own JavaScript client works against the reference server: it authenticates and
// subscribes back to back (E2 ordering) and receives evolution_update, metrics and alert.
import { describe, expect, it } from 'vitest';
import { validateServerMessage } from '../../src/schema/index.js';
import { EvolutionWebSocket } from './fixtures/seed-evolution-client.js';
import { token } from './helpers/tokens.js';
import { EVO, useServer } from './helpers/server.js';

const srv = useServer();

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
    const deadline = Date.now() + 8000;
    while (Date.now() < deadline && Object.values(client.got).some((list) => list.length === 0)) {
      await new Promise((r) => setTimeout(r, 50));
    }
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
