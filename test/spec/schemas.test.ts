// Every schema of spec/atheria and spec/evolution compiles under ajv strict mode, sits where its
// $id says, is listed by its manifest, and tolerates unknown fields (C6).
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ATHERIA_FRAME_PAYLOAD_REF,
  EVOLUTION_AGENT_CODE_HEADER_REF,
  loadManifest,
  PROTOCOLS,
  schemaFor,
  schemaId,
} from '../../src/schema/index.js';
import { createAjv, protocolSchemaFiles } from '../../src/schema/registry.js';
import { specPath } from '../../src/util/package-root.js';

type Json = Record<string, unknown>;

function read(file: string): Json {
  return JSON.parse(readFileSync(file, 'utf8')) as Json;
}

/** Every object-valued sub-schema, with its JSON pointer. */
function* subschemas(node: unknown, path = '#'): Generator<[string, Json]> {
  if (Array.isArray(node)) {
    for (const [i, v] of node.entries()) yield* subschemas(v, `${path}/${i}`);
  } else if (typeof node === 'object' && node !== null) {
    yield [path, node as Json];
    for (const [k, v] of Object.entries(node)) yield* subschemas(v, `${path}/${k}`);
  }
}

describe.each(PROTOCOLS)('%s schemas', (protocol) => {
  const files = protocolSchemaFiles(protocol);
  const manifest = loadManifest(protocol);

  it('has the schema files the manifest lists, and no unlisted ones', () => {
    const listed = new Set([
      ...Object.values(manifest.serverMessages),
      ...Object.values(manifest.clientMessages),
      manifest.defs,
    ]);
    if (manifest.protocol === 'evolution') listed.add(manifest.binary.clientAgentCode.headerSchema);
    const onDisk = files.map((f) => relative(specPath(protocol), f));
    expect(onDisk.sort()).toEqual([...listed].sort());
  });

  it.each(files.map((f) => [relative(specPath(protocol), f), f]))(
    '%s compiles under ajv strict mode',
    (_name, file) => {
      // A fresh instance with every schema of both protocols added, so that cross-file refs resolve.
      const ajv = createAjv();
      for (const p of PROTOCOLS) for (const f of protocolSchemaFiles(p)) ajv.addSchema(read(f));
      const schema = read(file);
      expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
      expect(() => ajv.getSchema(String(schema.$id))).not.toThrow();
      expect(ajv.getSchema(String(schema.$id))).toBeTypeOf('function');
    },
  );

  it.each([
    ['server', manifest.serverMessages],
    ['client', manifest.clientMessages],
  ] as const)('%s message schemas have the $id of their type and a const type', (direction, map) => {
    for (const [type, file] of Object.entries(map)) {
      const schema = read(join(specPath(protocol), file));
      expect(schema.$id).toBe(schemaId(protocol, direction, type));
      expect(file).toBe(`messages/${direction}/${type}.schema.json`);
      expect(schemaFor(protocol, direction, type)).toEqual(schema);
      const props = schema.properties as Record<string, Json>;
      expect(props.type).toEqual({ const: type });
    }
  });

  it('sets additionalProperties: true on every object schema with properties (C6)', () => {
    for (const file of files) {
      for (const [path, node] of subschemas(read(file))) {
        const isBranch = /\/(if|then|else|anyOf\/\d+)$/.test(path);
        if (node.properties && !isBranch && !path.includes('/properties/properties')) {
          expect({ file, path, ap: node.additionalProperties }).toEqual({ file, path, ap: true });
        }
      }
    }
  });
});

it('the exported refs are the ones the manifests name', () => {
  expect(loadManifest('atheria').binary.payloadRef).toBe(ATHERIA_FRAME_PAYLOAD_REF);
  expect(schemaId('evolution', 'client', loadManifest('evolution').binary.clientAgentCode.headerType)).toBe(
    EVOLUTION_AGENT_CODE_HEADER_REF,
  );
});

it('schemaFor throws for an unknown type', () => {
  expect(() => schemaFor('evolution', 'server', 'welcome')).toThrow(/no server message type 'welcome'/);
});
