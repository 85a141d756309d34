// JSON Schema (the subset our spec files use) → fast-check arbitrary of values that satisfy it.
// Every value is re-validated by the caller (arbitrary.ts), so an approximation here costs
// filtering, never a wrong "valid" sample.
import fc from 'fast-check';
import { EQUAL_ROW_LENGTHS } from './keywords.js';
import {
  deref,
  isSchemaObject,
  mergeSchemas,
  propertiesOf,
  requiredOf,
  type SchemaNode,
  type SchemaObject,
  schemaTypes,
  without,
} from './schema-nodes.js';

// Keywords the converter understands; anything else in a schema is an error, so that a schema
// change the converter does not follow fails the arbitrary tests instead of generating nonsense.
const HANDLED = new Set([
  '$schema',
  '$id',
  '$ref',
  '$defs',
  'title',
  'description',
  'contentEncoding',
  'type',
  'properties',
  'required',
  'additionalProperties',
  'enum',
  'const',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'minLength',
  'maxLength',
  'pattern',
  'format',
  'items',
  'prefixItems',
  'minItems',
  'maxItems',
  'oneOf',
  'anyOf',
  'if',
  'then',
  'else',
  EQUAL_ROW_LENGTHS,
  // internal marker set by the if/else branch: properties that must stay absent
  'x-absent',
]);

const EXTRA_KEYS = ['x_extra', 'meta', 'note'];
const MAX_ITEMS = 4;

const scalar = (): fc.Arbitrary<unknown> =>
  fc.oneof(
    fc.string({ maxLength: 8 }),
    fc.integer({ min: -1000, max: 1000 }),
    fc.boolean(),
    fc.constant(null),
  );

function num(v: unknown): number | undefined {
  return typeof v === 'number' ? v : undefined;
}

function numberArb(s: SchemaObject, integer: boolean): fc.Arbitrary<number> {
  const min = num(s.minimum);
  const max = num(s.maximum);
  const xmin = num(s.exclusiveMinimum);
  const xmax = num(s.exclusiveMaximum);
  if (integer) {
    const lo = Math.max(min ?? -(2 ** 31), xmin === undefined ? -(2 ** 31) : Math.floor(xmin) + 1);
    const hi = Math.min(max ?? 2 ** 31 - 1, xmax === undefined ? 2 ** 31 - 1 : Math.ceil(xmax) - 1);
    return fc.integer({ min: Math.ceil(lo), max: Math.floor(hi) });
  }
  return fc.double({
    min: xmin ?? min ?? -1e9,
    max: xmax ?? max ?? 1e9,
    minExcluded: xmin !== undefined,
    maxExcluded: xmax !== undefined,
    noNaN: true,
    noDefaultInfinity: true,
  });
}

function stringArb(s: SchemaObject): fc.Arbitrary<string> {
  if (s.format === 'date-time') {
    return fc
      .date({
        min: new Date('2000-01-01T00:00:00Z'),
        max: new Date('2099-12-31T23:59:59Z'),
        noInvalidDate: true,
      })
      .map((d) => d.toISOString());
  }
  if (s.format !== undefined) throw new Error(`arbitrary: unsupported format ${String(s.format)}`);
  if (s.contentEncoding === 'base64') return fc.base64String({ maxLength: 16 });
  if (typeof s.pattern === 'string') return fc.stringMatching(new RegExp(s.pattern));
  const minLength = num(s.minLength) ?? 0;
  return fc.string({ minLength, maxLength: Math.max(num(s.maxLength) ?? 12, minLength) });
}

function arrayArb(s: SchemaObject): fc.Arbitrary<unknown[]> {
  const minLength = num(s.minItems) ?? 0;
  const maxLength = Math.max(num(s.maxItems) ?? MAX_ITEMS, minLength);
  if (Array.isArray(s.prefixItems)) {
    const head = s.prefixItems.map((p: unknown) => arbitraryOf(p as SchemaNode));
    return fc.tuple(...head);
  }
  const items = s.items === undefined ? true : (s.items as SchemaNode);
  if (s[EQUAL_ROW_LENGTHS] === true) {
    // A5: every row gets the same length, chosen first.
    const row = deref(items);
    return fc.nat({ max: MAX_ITEMS }).chain((width) => {
      const rowSchema = isSchemaObject(row) ? { ...row, minItems: width, maxItems: width } : row;
      return fc.array(arbitraryOf(rowSchema), { minLength, maxLength });
    });
  }
  return fc.array(arbitraryOf(items), { minLength, maxLength });
}

function objectArb(s: SchemaObject): fc.Arbitrary<Record<string, unknown>> {
  const absent = new Set(Array.isArray(s['x-absent']) ? (s['x-absent'] as string[]) : []);
  const required = requiredOf(s);
  const model: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [k, v] of Object.entries(propertiesOf(s))) {
    if (!absent.has(k) && !(v === true && !required.includes(k))) model[k] = arbitraryOf(v);
  }
  const requiredKeys = required.filter((k) => k in model);
  const base = fc.record(model, { requiredKeys, noNullPrototype: true });
  if (s.additionalProperties !== true) return base;
  // C6: unknown extra fields are part of valid messages; add a few now and then.
  const extraKeys = EXTRA_KEYS.filter((k) => !(k in model) && !absent.has(k));
  const extras = fc.dictionary(fc.constantFrom(...extraKeys), scalar(), {
    maxKeys: 2,
    noNullPrototype: true,
  });
  return fc
    .tuple(base, fc.oneof({ weight: 4, arbitrary: fc.constant({}) }, { weight: 1, arbitrary: extras }))
    .map(([obj, extra]) => ({ ...extra, ...obj }));
}

function typedArb(s: SchemaObject, type: string): fc.Arbitrary<unknown> {
  switch (type) {
    case 'object':
      return objectArb(s);
    case 'array':
      return arrayArb(s);
    case 'string':
      return stringArb(s);
    case 'number':
      return numberArb(s, false);
    case 'integer':
      return numberArb(s, true);
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    default:
      throw new Error(`arbitrary: unsupported type ${type}`);
  }
}

/** The branch schemas of if/then/else: `then` with the `if` conditions, `else` without its keys. */
function ifBranches(s: SchemaObject): SchemaNode[] {
  const rest = without(s, 'if', 'then', 'else');
  const cond = s.if === undefined ? true : deref(s.if as SchemaNode);
  const thenPart = mergeSchemas(
    mergeSchemas(rest, cond),
    s.then === undefined ? true : deref(s.then as SchemaNode),
  );
  // An `if` that only requires keys is false exactly when one is missing: generate the else
  // branch without them (our files use `if: {required: [...]}` to tell message forms apart).
  const onlyRequires = isSchemaObject(cond) && Object.values(propertiesOf(cond)).every((v) => v === true);
  const condKeys = onlyRequires && isSchemaObject(cond) ? requiredOf(cond) : [];
  const elseBase = condKeys.length > 0 ? { ...rest, 'x-absent': condKeys } : rest;
  const elsePart = mergeSchemas(elseBase, s.else === undefined ? true : deref(s.else as SchemaNode));
  return [thenPart, elsePart];
}

/** An arbitrary of values meant to satisfy `node`. */
export function arbitraryOf(node: SchemaNode): fc.Arbitrary<unknown> {
  const s = deref(node);
  if (s === true) return scalar();
  if (s === false) throw new Error('arbitrary: schema `false` has no values');
  for (const k of Object.keys(s)) if (!HANDLED.has(k)) throw new Error(`arbitrary: unsupported keyword ${k}`);
  if ('const' in s) return fc.constant(s.const);
  if (Array.isArray(s.enum)) return fc.constantFrom(...(s.enum as unknown[]));
  if (s.if !== undefined) return fc.oneof(...ifBranches(s).map((b) => arbitraryOf(b)));
  for (const key of ['anyOf', 'oneOf'] as const) {
    const branches = s[key];
    if (Array.isArray(branches)) {
      const rest = without(s, key);
      return fc.oneof(
        ...branches.map((b: unknown) => arbitraryOf(mergeSchemas(rest, deref(b as SchemaNode)))),
      );
    }
  }
  const types = schemaTypes(s) ?? (s.properties !== undefined ? ['object'] : undefined);
  if (!types) return scalar();
  if (types.length === 1) return typedArb(s, types[0] as string);
  return fc.oneof(...types.map((t) => typedArb(s, t)));
}
