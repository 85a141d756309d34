// The schema → fast-check converter: valid samples validate (and rarely need the ajv filter),
// invalid samples fail validation, and only at the place the one broken rule names.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Protocol } from '../../src/engine/types.js';
import {
  invalidMessage,
  mutationCandidates,
  validCandidate,
  validMessage,
} from '../../src/schema/arbitrary.js';
import {
  clientMessageTypes,
  type Direction,
  EVOLUTION_AGENT_CODE_HEADER_REF,
  PROTOCOLS,
  schemaId,
  serverMessageTypes,
  validateClientMessage,
  validateRef,
  validateServerMessage,
} from '../../src/schema/index.js';

const RUNS = 25;
const KINDS = [
  'const',
  'enum',
  'missing-required',
  'not-integer',
  'out-of-range',
  'too-short',
  'unequal-rows',
  'wrong-type',
];
const SEED = 20240101;

function validator(protocol: Protocol, direction: Direction, type: string) {
  if (type === 'agent_code') return (v: unknown) => validateRef(EVOLUTION_AGENT_CODE_HEADER_REF, v);
  return direction === 'server'
    ? (v: unknown) => validateServerMessage(protocol, v)
    : (v: unknown) => validateClientMessage(protocol, v);
}

const cases: [Protocol, Direction, string][] = [];
for (const p of PROTOCOLS) {
  for (const t of serverMessageTypes(p)) cases.push([p, 'server', t]);
  for (const t of clientMessageTypes(p)) cases.push([p, 'client', t]);
}
cases.push(['evolution', 'client', 'agent_code']);

/** Two JSON pointers lie on one branch of the document (equal, ancestor or descendant). */
function related(a: string, b: string): boolean {
  return a === b || a.startsWith(`${b}/`) || b.startsWith(`${a}/`);
}

describe.each(cases)('%s %s %s', (protocol, direction, type) => {
  const validate = validator(protocol, direction, type);

  it('valid samples validate through the dispatching validator', () => {
    fc.assert(
      fc.property(validMessage(protocol, direction, type), (v) => {
        expect(validate(v)).toEqual([]);
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });

  it('the converter itself produces valid values (at least 90% before the filter)', () => {
    const samples = fc.sample(validCandidate(protocol, direction, type), { numRuns: 60, seed: SEED });
    const ok = samples.filter((v) => validate(v).length === 0).length;
    expect(ok / samples.length).toBeGreaterThanOrEqual(0.9);
  });

  it('invalid samples fail, and only where the broken rule points', () => {
    fc.assert(
      fc.property(invalidMessage(protocol, direction, type), ({ value, broken }) => {
        const [kind, pointer] = broken.split(' ');
        expect(KINDS).toContain(kind);
        expect(validate(value).length).toBeGreaterThan(0);
        // Locality, against the type's own schema (the dispatcher may read a mutated `type` or
        // `scope` as another type): violations sit in the container of the broken field, never
        // elsewhere (if/anyOf branches may report at that container or at a sibling in it).
        const ptr = pointer === '(root)' ? '' : String(pointer);
        const container = ptr.replace(/\/[^/]*$/, '');
        for (const v of validateRef(schemaId(protocol, direction, type), value)) {
          expect(related(v.instancePath, container), `${broken}: ${v.instancePath} ${v.message}`).toBe(true);
        }
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });
});

describe('coverage of the mutation kinds', () => {
  it('every kind of single-rule break applies to some message type and is rejected', () => {
    const kinds = new Set<string>();
    for (const [protocol, direction, type] of cases) {
      const id = schemaId(protocol, direction, type);
      for (const valid of fc.sample(validMessage(protocol, direction, type), { numRuns: 10, seed: SEED })) {
        for (const m of mutationCandidates(protocol, direction, type, valid)) {
          if (validateRef(id, m.value).length > 0) kinds.add(String(m.broken.split(' ')[0]));
        }
      }
    }
    expect([...kinds].sort()).toEqual([...KINDS].sort());
  });

  it('unequal-rows breaks exactly x-equalRowLengths (A5)', () => {
    const frame = {
      type: 'simulation_frame',
      payload: {
        step: 1,
        simulation_info: { step: 1, is_paused: false, fps: 1, live_feed_enabled: true },
        map_data: [
          [1, 2],
          [3, 4],
        ],
      },
    };
    const m = mutationCandidates('atheria', 'server', 'simulation_frame', frame).find((c) =>
      c.broken.startsWith('unequal-rows'),
    );
    expect(m?.broken).toBe('unequal-rows /payload/map_data');
    expect(validateServerMessage('atheria', m?.value).map((v) => v.schemaPath)).toEqual([
      '#/x-equalRowLengths',
    ]);
  });
});

it('throws for an unknown message type', () => {
  expect(() => validMessage('atheria', 'server', 'welcome')).toThrow(/no server message type/);
});
