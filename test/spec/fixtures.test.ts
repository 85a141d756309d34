// Hand-written fixtures: every message type has valid and invalid examples; every JSON example of
// the two seed documents (made concrete) validates; each invalid fixture is rejected at the
// instance path it breaks.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Protocol, Violation } from '../../src/engine/types.js';
import {
  clientMessageTypes,
  EVOLUTION_AGENT_CODE_HEADER_REF,
  PROTOCOLS,
  serverMessageTypes,
  validateClientMessage,
  validateRef,
  validateServerMessage,
} from '../../src/schema/index.js';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures');

interface InvalidFixture {
  rule: string;
  why: string;
  path: string;
  message: unknown;
}
interface TypeFixtures {
  valid: unknown[];
  invalid: InvalidFixture[];
}
interface SeedExample {
  section: string;
  direction: 'server' | 'client' | 'client-binary-header';
  message: unknown;
}

function load<T>(protocol: Protocol, file: string): T {
  return JSON.parse(readFileSync(join(FIXTURES, protocol, file), 'utf8')) as T;
}

const validators = { server: validateServerMessage, client: validateClientMessage } as const;

describe.each(PROTOCOLS)('%s fixtures', (protocol) => {
  describe.each(['server', 'client'] as const)('%s messages', (direction) => {
    const { types } = load<{ types: Record<string, TypeFixtures> }>(protocol, `${direction}.json`);
    const known = direction === 'server' ? serverMessageTypes(protocol) : clientMessageTypes(protocol);
    const validate = (m: unknown): Violation[] => validators[direction](protocol, m);

    it('has valid and invalid fixtures for every message type, and none for unknown types', () => {
      expect(Object.keys(types).sort()).toEqual([...known].sort());
      for (const t of known) {
        expect(types[t]?.valid.length, t).toBeGreaterThan(0);
        expect(types[t]?.invalid.length, t).toBeGreaterThan(0);
      }
    });

    for (const [type, fx] of Object.entries(types)) {
      it.each(fx.valid.map((m, i) => [i, m]))(`${type} valid #%i validates`, (_i, message) => {
        expect(validate(message)).toEqual([]);
      });
      it.each(fx.invalid.map((f) => [f.why, f]))(`${type} invalid: %s`, (_why, f) => {
        const violations = validate(f.message);
        expect(violations.length).toBeGreaterThan(0);
        expect(violations.map((v) => v.instancePath)).toContain(f.path);
        for (const v of violations) expect(v.messageType).toBe(type);
      });
    }
  });

  describe('seed examples', () => {
    const { examples } = load<{ examples: SeedExample[] }>(protocol, 'seed-examples.json');
    it.each(examples.map((e) => [e.section, e]))('%s', (_section, e) => {
      const violations =
        e.direction === 'client-binary-header'
          ? validateRef(EVOLUTION_AGENT_CODE_HEADER_REF, e.message)
          : validators[e.direction](protocol, e.message);
      expect(violations).toEqual([]);
    });

    it('cover every server and client message type of the seed', () => {
      const seen = new Set(
        examples.map((e) => `${e.direction}/${(e.message as { type?: string }).type ?? ''}`),
      );
      const seedServer =
        protocol === 'atheria'
          ? serverMessageTypes(protocol)
          : serverMessageTypes(protocol).filter(
              (t) => !['auth_ok', 'subscribed', 'unsubscribed'].includes(t),
            );
      for (const t of seedServer) expect(seen, t).toContain(`server/${t}`);
    });
  });

  it('rejects non-objects, a missing type and an unknown type with one violation', () => {
    for (const validate of Object.values(validators)) {
      expect(validate(protocol, 'text')).toHaveLength(1);
      expect(validate(protocol, [])).toHaveLength(1);
      expect(validate(protocol, { payload: {} })).toMatchObject([{ messageType: '(unknown)' }]);
      expect(validate(protocol, { type: 'welcome' })).toMatchObject([
        { messageType: 'welcome', instancePath: '/type' },
      ]);
      expect(validate(protocol, { type: '__proto__' })).toHaveLength(1);
      expect(validate(protocol, { type: 'constructor' })).toHaveLength(1);
    }
  });
});

describe('special cases', () => {
  it('an agent_code header is not a text client message type (E11)', () => {
    expect(validateClientMessage('evolution', { type: 'agent_code', agent_id: 'a' })).toMatchObject([
      { instancePath: '/type' },
    ]);
    expect(validateRef(EVOLUTION_AGENT_CODE_HEADER_REF, { type: 'agent_code' })).not.toEqual([]);
  });

  it('the x-equalRowLengths violation names the rows (A5)', () => {
    const v = validateServerMessage('atheria', {
      type: 'simulation_frame',
      payload: {
        step: 1,
        simulation_info: { step: 1, is_paused: false, fps: 1, live_feed_enabled: true },
        map_data: [[1, 2, 3], [4, 5, 6], [7]],
      },
    });
    expect(v).toEqual([
      {
        messageType: 'simulation_frame',
        instancePath: '/payload/map_data',
        schemaPath: '#/x-equalRowLengths',
        message: 'rows must all have the same length: row 2 has 1 items, row 0 has 3',
      },
    ]);
  });

  it('rejects non-finite numbers in a decoded binary payload (A5/A6)', () => {
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY]) {
      const v = validateServerMessage('atheria', {
        type: 'simulation_frame',
        payload: {
          step: 1,
          simulation_info: { step: 1, is_paused: false, fps: 1, live_feed_enabled: true },
          map_data: [[1, bad]],
        },
      });
      expect(v.map((x) => x.instancePath)).toContain('/payload/map_data/0/1');
    }
  });

  it('an Atheria client message with both forms is read as the type/payload form (A2)', () => {
    const v = validateClientMessage('atheria', {
      type: 'inference.set_viz',
      scope: 'inference',
      command: 'set_viz',
      args: { viz_type: 'flow' },
    });
    expect(v.map((x) => x.message)).toEqual(["must have required property 'payload'"]);
  });
});
