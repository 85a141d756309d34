// A fake protocol adapter and case factory: the engine tests know no real protocol.
import type {
  CaseContext,
  CaseDefinition,
  ProtocolAdapter,
  Received,
  RunConfig,
  Violation,
} from '../../src/engine/types.js';

/** Messages with `"bad": true` break the fake schema at #/properties/bad. */
export function fakeChecker(m: Received): Violation[] {
  const json = m.json as { bad?: unknown } | undefined;
  return json?.bad === true
    ? [
        {
          messageType: m.type ?? '(unknown)',
          instancePath: '/bad',
          schemaPath: '#/properties/bad/const',
          message: 'must be false',
        },
      ]
    : [];
}

export interface FakeAdapter extends ProtocolAdapter {
  canaryCalls: number;
}

/**
 * Canary: a fresh upgrade answered by a pong within 1 s; `failFirst` canaries fail regardless, and
 * so do the calls numbered in `failCalls` (1-based; the runner's calibration before the run is 1).
 */
export function fakeAdapter(opts: { failFirst?: number; failCalls?: number[] } = {}): FakeAdapter {
  let failures = opts.failFirst ?? 0;
  const adapter: FakeAdapter = {
    protocol: 'evolution',
    path: '/x',
    canaryCalls: 0,
    inboundChecker: () => ({ inbound: fakeChecker }),
    invariants: [],
    extraTypesRule: 'E1',
    preconditionCases: { handshake: 'EVO-HANDSHAKE-100' },
    async canary(open) {
      adapter.canaryCalls++;
      if (opts.failCalls?.includes(adapter.canaryCalls)) {
        return { reason: 'forced canary failure', see: 'EVO-HANDSHAKE-100' };
      }
      if (failures > 0) {
        failures--;
        return { reason: 'forced canary failure', see: 'EVO-HANDSHAKE-100' };
      }
      const r = await open({ timeoutMs: 1000 });
      if (!r.ok)
        return {
          reason: `the canary upgrade failed (HTTP ${r.status}${r.error ? `, ${r.error}` : ''})`,
          see: 'EVO-HANDSHAKE-100',
        };
      r.conn.ping(Buffer.from('c'));
      const pong = await r.conn.nextPong(1000);
      r.conn.close(1000);
      return pong ? null : { reason: 'no pong', see: 'EVO-HEARTBEAT-100' };
    },
  };
  return adapter;
}

export const testConfig: RunConfig = {
  limits: {
    msgsPerSecond: 100,
    connsPerUser: 10,
    bytesPerMinute: 10_485_760,
    maxMessageBytes: 1_048_576,
    authTimeoutMs: 10_000,
  },
  seed: 42,
  runs: 10,
};

let counter = 0;

/** A valid case definition of suite `errors` with a fresh id unless one is given. */
export function fakeCase(
  run: (ctx: CaseContext) => Promise<void>,
  extra: Partial<CaseDefinition> = {},
): CaseDefinition {
  counter++;
  return {
    id: `EVO-ERRORS-${String(counter).padStart(3, '0')}`,
    protocol: 'evolution',
    suite: 'errors',
    rule: 'E9',
    title: `fake case ${counter}`,
    faults: [],
    run,
    ...extra,
  };
}
