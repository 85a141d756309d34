// Single-rule mutations of a valid message, for invalidMessage(): each breaks exactly one
// documented rule (missing required field, wrong type, enum/const violation, out of range,
// unequal map rows) at one place.
import { EQUAL_ROW_LENGTHS } from './keywords.js';
import {
  deref,
  isRecord,
  isSchemaObject,
  mergeSchemas,
  propertiesOf,
  requiredOf,
  type SchemaNode,
  type SchemaObject,
  schemaTypes,
  without,
} from './schema-nodes.js';

/** A path into a message; '*' stands for the first element of an array. */
export type Path = string[];

export interface Mutation {
  /** where the mutated value sits (for 'missing', the removed key's path) */
  path: Path;
  kind:
    | 'missing-required'
    | 'wrong-type'
    | 'enum'
    | 'const'
    | 'out-of-range'
    | 'not-integer'
    | 'too-short'
    | 'unequal-rows';
  /** the replacement value (unused by missing-required and unequal-rows) */
  value?: unknown;
}

const WRONG_VALUES: [string, unknown][] = [
  ['string', 'wrong-type'],
  ['number', 12345],
  ['boolean', true],
  ['object', { wrong: 'type' }],
  ['array', ['wrong', 'type']],
  ['null', null],
];

function leafMutations(s: SchemaObject, path: Path): Mutation[] {
  const out: Mutation[] = [];
  if ('const' in s) {
    const c = s.const;
    const value =
      typeof c === 'string' ? `${c}_x` : typeof c === 'boolean' ? !c : typeof c === 'number' ? c + 1 : 'x';
    out.push({ path, kind: 'const', value });
  }
  if (Array.isArray(s.enum)) {
    const strings = s.enum.filter((x): x is string => typeof x === 'string');
    out.push({ path, kind: 'enum', value: `${strings[0] ?? 'value'}_not_allowed` });
  }
  const types = schemaTypes(s);
  if (types) {
    const accepts = (t: string) => types.includes(t) || (t === 'number' && types.includes('integer'));
    const wrong = WRONG_VALUES.find(([t]) => !accepts(t));
    if (wrong) out.push({ path, kind: 'wrong-type', value: wrong[1] });
    if (types.includes('integer') && !types.includes('number')) {
      const lo = typeof s.minimum === 'number' ? s.minimum : 0;
      out.push({ path, kind: 'not-integer', value: lo + 0.5 });
    }
  }
  const step = types?.includes('integer') ? 1 : 0.5;
  if (typeof s.minimum === 'number') out.push({ path, kind: 'out-of-range', value: s.minimum - step });
  if (typeof s.maximum === 'number') out.push({ path, kind: 'out-of-range', value: s.maximum + step });
  if (typeof s.exclusiveMinimum === 'number')
    out.push({ path, kind: 'out-of-range', value: s.exclusiveMinimum });
  if (typeof s.exclusiveMaximum === 'number')
    out.push({ path, kind: 'out-of-range', value: s.exclusiveMaximum });
  if (typeof s.minLength === 'number' && s.minLength > 0) {
    out.push({ path, kind: 'too-short', value: 'x'.repeat(s.minLength - 1) });
  }
  if (s[EQUAL_ROW_LENGTHS] === true) out.push({ path, kind: 'unequal-rows' });
  return out;
}

/** Every mutation the schema allows, walking properties, items and all branches. */
export function mutationsOf(node: SchemaNode, path: Path = [], depth = 0): Mutation[] {
  const s = deref(node);
  if (!isSchemaObject(s) || depth > 12) return [];
  const out = leafMutations(s, path);
  for (const k of requiredOf(s)) out.push({ path: [...path, k], kind: 'missing-required' });
  for (const [k, v] of Object.entries(propertiesOf(s))) {
    if (v !== true) out.push(...mutationsOf(v, [...path, k], depth + 1));
  }
  if (s.items !== undefined && typeof s.items !== 'boolean') {
    out.push(...mutationsOf(s.items as SchemaNode, [...path, '*'], depth + 1));
  }
  // Branches apply to the same value: their properties merged with this node's own.
  const rest = without(s, 'if', 'then', 'else', 'anyOf', 'oneOf', 'properties', 'required');
  for (const key of ['then', 'else'] as const) {
    if (s[key] !== undefined)
      out.push(...mutationsOf(mergeSchemas(rest, deref(s[key] as SchemaNode)), path, depth + 1));
  }
  for (const key of ['anyOf', 'oneOf'] as const) {
    const branches = s[key];
    if (Array.isArray(branches)) {
      for (const b of branches)
        out.push(...mutationsOf(mergeSchemas(rest, deref(b as SchemaNode)), path, depth + 1));
    }
  }
  const seen = new Set<string>();
  return out.filter((m) => {
    const key = JSON.stringify([m.path, m.kind, m.value]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The concrete JSON pointer of a path in `value` ('*' → 0), or undefined when the parent is missing. */
function locate(value: unknown, path: Path): { parent: unknown; key: string; pointer: string } | undefined {
  let cur = value;
  let pointer = '';
  for (const [i, seg] of path.entries()) {
    const last = i === path.length - 1;
    const key = seg === '*' ? '0' : seg;
    if (seg === '*' ? !Array.isArray(cur) || cur.length === 0 : !isRecord(cur)) return undefined;
    if (last) return { parent: cur, key, pointer: `${pointer}/${key}` };
    cur = (cur as Record<string, unknown>)[key];
    pointer += `/${key}`;
  }
  return { parent: undefined, key: '', pointer: '' };
}

/** Applies a mutation to a deep copy; undefined when it does not apply to this value. */
export function applyMutation(value: unknown, m: Mutation): { value: unknown; broken: string } | undefined {
  const copy: unknown = structuredClone(value);
  if (m.path.length === 0) {
    // the root itself (not used by our message schemas, whose root is an object)
    return m.kind === 'wrong-type'
      ? { value: m.value, broken: `wrong-type (root) = ${JSON.stringify(m.value)}` }
      : undefined;
  }
  const at = locate(copy, m.path);
  if (!at) return undefined;
  const parent = at.parent as Record<string, unknown>;
  const present = Object.hasOwn(parent, at.key);
  switch (m.kind) {
    case 'missing-required':
      if (!present) return undefined;
      delete parent[at.key];
      return { value: copy, broken: `missing-required ${at.pointer}` };
    case 'unequal-rows': {
      const grid = parent[at.key];
      // only a 2-D grid (rows of numbers) with two rows or more can have rows of unequal length
      const is2d =
        Array.isArray(grid) && grid.every((r) => Array.isArray(r) && r.every((x) => typeof x === 'number'));
      if (!is2d || grid.length < 2) return undefined;
      (grid[grid.length - 1] as unknown[]).push(0);
      return { value: copy, broken: `unequal-rows ${at.pointer}` };
    }
    default:
      parent[at.key] = m.value;
      return { value: copy, broken: `${m.kind} ${at.pointer} = ${JSON.stringify(m.value)}` };
  }
}
