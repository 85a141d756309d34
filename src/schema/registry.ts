// One ajv instance (JSON Schema 2020-12, strict, allErrors) holding every schema of spec/atheria
// and spec/evolution, loaded once. Schemas are addressed by their `$id`
// (https://wsconform.dev/spec/<protocol>/<server|client>/<type>.schema.json).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020, type AnySchemaObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule, { type FormatsPlugin } from 'ajv-formats';
import type { Protocol } from '../engine/types.js';
import { specPath } from '../util/package-root.js';
import { addCustomKeywords } from './keywords.js';
import { PROTOCOLS } from './manifest.js';

// ajv-formats is CommonJS with `exports.default`; under NodeNext the default import is the module
// object, so take `.default` when it is there.
const addFormats: FormatsPlugin =
  (addFormatsModule as unknown as { default?: FormatsPlugin }).default ??
  (addFormatsModule as unknown as FormatsPlugin);

export const SCHEMA_BASE = 'https://wsconform.dev/spec/';

export interface SchemaRegistry {
  ajv: Ajv2020;
  /** $id → schema object as read from disk */
  byId: Map<string, AnySchemaObject>;
}

let registry: SchemaRegistry | undefined;

function schemaFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.schema.json'))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

/** Every schema file of a protocol, absolute paths. */
export function protocolSchemaFiles(protocol: Protocol): string[] {
  return schemaFiles(specPath(protocol, 'messages'));
}

export function createAjv(): Ajv2020 {
  // strict: unknown keywords, ignored keywords, missing types are schema errors, not silent.
  // allowUnionTypes: `type: ["string","null"]` (initial_state.active_experiment).
  const ajv = new Ajv2020({ strict: true, allErrors: true, allowUnionTypes: true });
  addFormats(ajv);
  addCustomKeywords(ajv);
  return ajv;
}

/** The shared registry; every schema is added (and compiled lazily by ajv) exactly once. */
export function getRegistry(): SchemaRegistry {
  if (registry) return registry;
  const ajv = createAjv();
  const byId = new Map<string, AnySchemaObject>();
  for (const protocol of PROTOCOLS) {
    for (const file of protocolSchemaFiles(protocol)) {
      const schema = JSON.parse(readFileSync(file, 'utf8')) as AnySchemaObject;
      const id = schema.$id;
      if (typeof id !== 'string' || !id.startsWith(`${SCHEMA_BASE}${protocol}/`)) {
        throw new Error(`${file}: $id must start with ${SCHEMA_BASE}${protocol}/`);
      }
      ajv.addSchema(schema);
      byId.set(id, schema);
    }
  }
  registry = { ajv, byId };
  return registry;
}

/** The compiled validator of a schema or sub-schema ref; throws when the ref resolves to nothing. */
export function validatorFor(ref: string): ValidateFunction {
  const fn = getRegistry().ajv.getSchema(ref);
  if (!fn) throw new Error(`wsconform: no schema at ${ref}`);
  return fn;
}
