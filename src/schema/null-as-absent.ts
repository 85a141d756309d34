import type { ErrorObject } from 'ajv';

// Profile C6: in a received message an optional field whose value is `null` counts as absent
// (Python servers write `None` as `null`; the public Atheria backend sends `flow_data: null`). A
// required field that is `null` still breaks its schema, unless the schema allows `null` there.
// Implemented on the instance, not in every schema: validate the message with its `null`-valued
// object properties removed; a property that was removed and is then reported missing by a
// `required` keyword was required, so the removal is undone for it in the report.

/** RFC 6901 escaping, as ajv writes instance paths. */
function pointerEscape(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** A copy of `value` without the object properties whose value is null, and their pointers. */
export function withoutNulls(value: unknown): { value: unknown; removed: Set<string> } {
  const removed = new Set<string>();
  const walk = (v: unknown, path: string): unknown => {
    if (Array.isArray(v)) return v.map((item, i) => walk(item, `${path}/${i}`));
    if (v === null || typeof v !== 'object') return v;
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(v)) {
      const at = `${path}/${pointerEscape(key)}`;
      if (item === null) removed.add(at);
      else out[key] = walk(item, at);
    }
    return out;
  };
  return { value: walk(value, ''), removed };
}

/**
 * The errors of the null-stripped instance, where a `required` error about a removed property
 * becomes the original error at that property (a required field that is null), or disappears
 * when the original instance had no error there (the schema allows null).
 */
export function mergeNullErrors(
  stripped: readonly ErrorObject[],
  original: readonly ErrorObject[],
  removed: ReadonlySet<string>,
): ErrorObject[] {
  const out: ErrorObject[] = [];
  for (const e of stripped) {
    const missing =
      e.keyword === 'required' ? (e.params as { missingProperty?: string }).missingProperty : undefined;
    const at = missing === undefined ? undefined : `${e.instancePath}/${pointerEscape(missing)}`;
    if (at === undefined || !removed.has(at)) {
      out.push(e);
      continue;
    }
    const there = original.filter((o) => o.instancePath === at);
    out.push(
      ...there.map((o) => ({ ...o, message: `${o.message ?? 'is invalid'} (a required field is null, C6)` })),
    );
  }
  return out;
}
