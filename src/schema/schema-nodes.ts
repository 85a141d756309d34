// Navigation over our JSON Schemas for the fast-check converter: $ref resolution across files
// (by $id, like ajv) and the small "merge" that turns if/then/else and anyOf branches into one
// schema to generate from.
import { getRegistry } from './registry.js';

export type SchemaObject = { [k: string]: unknown };
export type SchemaNode = boolean | SchemaObject;

/** A JSON object (not an array, not null); used for schemas and message values alike. */
export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export const isSchemaObject: (v: unknown) => v is SchemaObject = isRecord;

export function asNode(v: unknown): SchemaNode {
  if (typeof v === 'boolean' || isSchemaObject(v)) return v;
  throw new Error(`not a JSON schema: ${JSON.stringify(v)}`);
}

/** A deep copy of `node` with every `$ref` made absolute against `base`, so that merged pieces of
 * different files keep resolving. */
function absolutize(node: unknown, base: string): unknown {
  if (Array.isArray(node)) return node.map((v) => absolutize(v, base));
  if (!isSchemaObject(node)) return node;
  const out: SchemaObject = {};
  for (const [k, v] of Object.entries(node)) {
    out[k] = k === '$ref' && typeof v === 'string' ? new URL(v, base).href : absolutize(v, base);
  }
  return out;
}

const absoluteDocs = new Map<string, unknown>();

function absoluteDoc(id: string): unknown {
  let doc = absoluteDocs.get(id);
  if (doc === undefined) {
    const raw = getRegistry().byId.get(id);
    if (!raw) return undefined;
    doc = absolutize(raw, id);
    absoluteDocs.set(id, doc);
  }
  return doc;
}

/** The schema with this `$id`, every `$ref` inside made absolute. */
export function schemaById(id: string): SchemaNode {
  const doc = absoluteDoc(id);
  if (doc === undefined) throw new Error(`no schema with $id ${id}`);
  return asNode(doc);
}

function pointer(doc: unknown, fragment: string): unknown {
  if (fragment === '' || fragment === '/') return doc;
  let cur = doc;
  for (const raw of fragment.replace(/^\//, '').split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (!isSchemaObject(cur)) return undefined;
    cur = cur[key];
  }
  return cur;
}

/** Resolves an absolute `$ref` (`<$id>#/json/pointer`) across schema files. */
export function resolveRef(ref: string): SchemaNode {
  const url = new URL(ref);
  const fragment = decodeURIComponent(url.hash.replace(/^#/, ''));
  url.hash = '';
  const target = pointer(absoluteDoc(url.href), fragment);
  if (target === undefined) throw new Error(`unresolvable $ref ${ref}`);
  return asNode(target);
}

/** Follows `$ref`s until a node without one; siblings of a $ref are merged in (2020-12: allOf). */
export function deref(node: SchemaNode): SchemaNode {
  let cur = node;
  for (let i = 0; i < 32 && isSchemaObject(cur) && typeof cur.$ref === 'string'; i++) {
    const { $ref, ...rest } = cur;
    const target = resolveRef($ref as string);
    cur = Object.keys(rest).length === 0 ? target : mergeSchemas(target, rest);
  }
  return cur;
}

/** The `type` keyword as a list, undefined when absent. */
export function schemaTypes(node: SchemaObject): string[] | undefined {
  const t = node.type;
  if (typeof t === 'string') return [t];
  if (Array.isArray(t)) return t.filter((x): x is string => typeof x === 'string');
  return undefined;
}

/**
 * Conjunction of two schemas, enough for our files: properties merged key by key, required
 * united, types intersected, any other keyword taken from `b` (refs are absolute, see schemaById).
 */
export function mergeSchemas(a: SchemaNode, b: SchemaNode): SchemaNode {
  if (a === true) return b;
  if (b === true) return a;
  if (a === false || b === false) return false;
  const out: SchemaObject = { ...a, ...b };
  const ta = schemaTypes(a);
  const tb = schemaTypes(b);
  if (ta && tb) {
    const both = ta.filter((t) => tb.includes(t) || (t === 'integer' && tb.includes('number')));
    for (const t of tb) if (t === 'integer' && ta.includes('number') && !both.includes(t)) both.push(t);
    out.type = both.length === 1 ? both[0] : both;
  }
  if (isSchemaObject(a.properties) && isSchemaObject(b.properties)) {
    const props: SchemaObject = { ...a.properties };
    for (const [k, v] of Object.entries(b.properties)) {
      props[k] = k in props ? mergeSchemas(asNode(props[k]), asNode(v)) : v;
    }
    out.properties = props;
  }
  if (Array.isArray(a.required) || Array.isArray(b.required)) {
    out.required = [...new Set([...((a.required as string[]) ?? []), ...((b.required as string[]) ?? [])])];
  }
  return out;
}

/** The schema `node` minus the keywords listed. */
export function without(node: SchemaObject, ...keys: string[]): SchemaObject {
  const out: SchemaObject = { ...node };
  for (const k of keys) delete out[k];
  return out;
}

export function requiredOf(node: SchemaObject): string[] {
  return Array.isArray(node.required) ? node.required.filter((x): x is string => typeof x === 'string') : [];
}

export function propertiesOf(node: SchemaObject): Record<string, SchemaNode> {
  if (!isSchemaObject(node.properties)) return {};
  const out: Record<string, SchemaNode> = {};
  for (const [k, v] of Object.entries(node.properties)) out[k] = asNode(v);
  return out;
}
