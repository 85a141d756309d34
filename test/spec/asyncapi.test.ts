// spec/<protocol>/asyncapi.yaml is a valid AsyncAPI 3.0 document whose messages reference the very
// schema files the validator loads (no second copy), checked with @asyncapi/parser.
import { readFileSync } from 'node:fs';
import { fromFile, Parser } from '@asyncapi/parser';
import { describe, expect, it } from 'vitest';
import { loadManifest, PROTOCOLS } from '../../src/schema/index.js';
import { specPath } from '../../src/util/package-root.js';

describe.each(PROTOCOLS)('%s asyncapi.yaml', (protocol) => {
  it('parses without errors and describes every message type', async () => {
    const parser = new Parser();
    const { document, diagnostics } = await fromFile(parser, specPath(protocol, 'asyncapi.yaml')).parse();
    const errors = diagnostics.filter((d) => d.severity === 0);
    expect(errors.map((d) => `${d.path.join('.')}: ${d.message}`)).toEqual([]);
    expect(document).toBeDefined();
    const names =
      document
        ?.allMessages()
        .all()
        .map((m) => m.name()) ?? [];
    const manifest = loadManifest(protocol);
    for (const t of [...Object.keys(manifest.serverMessages), ...Object.keys(manifest.clientMessages)]) {
      expect(names).toContain(t);
    }
    expect(
      document
        ?.channels()
        .all()
        .map((c) => c.address()),
    ).toEqual([manifest.path]);
    // The refs were really resolved to our files: each payload's `type` const is its message type.
    for (const m of document?.allMessages().all() ?? []) {
      const payload = m.payload()?.json() as { properties?: { type?: { const?: string } } } | undefined;
      const t = payload?.properties?.type?.const;
      if (t !== undefined) expect(t).toBe(m.name());
    }
    const resolved = (document?.allMessages().all() ?? []).filter((m) => {
      const payload = m.payload()?.json() as { properties?: { type?: unknown } } | undefined;
      return payload?.properties?.type !== undefined;
    });
    expect(resolved.length).toBe(
      Object.keys(manifest.serverMessages).length + Object.keys(manifest.clientMessages).length,
    );
  });

  it('references the schema files instead of copying them', () => {
    const yaml = readFileSync(specPath(protocol, 'asyncapi.yaml'), 'utf8');
    const manifest = loadManifest(protocol);
    for (const file of [
      ...Object.values(manifest.serverMessages),
      ...Object.values(manifest.clientMessages),
    ]) {
      expect(yaml).toContain(`$ref: './${file}'`);
    }
    // no inline message schema: the only `properties` keyword would come from a copied schema
    expect(yaml).not.toMatch(/^\s+properties:/m);
  });
});
