// Counterexamples come from fast-check and may hold anything: bytes, bigints, cycles, undefined.
// The report must stay plain JSON, so such values are turned into readable JSON equivalents.

const MAX_DEPTH = 12;

export function toJsonSafe(value: unknown, depth = 0, seen = new WeakSet<object>()): unknown {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (typeof value === 'bigint') return `${value}n`;
  if (value === undefined) return null;
  if (typeof value === 'function' || typeof value === 'symbol') return `[${typeof value}]`;
  const obj = value as object;
  if (ArrayBuffer.isView(obj)) {
    return { $binary: Buffer.from(obj.buffer, obj.byteOffset, obj.byteLength).toString('base64') };
  }
  if (obj instanceof ArrayBuffer) return { $binary: Buffer.from(obj).toString('base64') };
  if (depth >= MAX_DEPTH) return '[too deep]';
  if (seen.has(obj)) return '[circular]';
  seen.add(obj);
  try {
    if (obj instanceof Date) return Number.isNaN(obj.getTime()) ? 'Invalid Date' : obj.toISOString();
    if (obj instanceof Map) return [...obj.entries()].map((e) => toJsonSafe(e, depth + 1, seen));
    if (obj instanceof Set || Array.isArray(obj)) return [...obj].map((v) => toJsonSafe(v, depth + 1, seen));
    if (obj instanceof Error) return { error: obj.name, message: obj.message };
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(obj)) {
      // Object.defineProperty keeps '__proto__' an ordinary own key (C4 cases use such keys).
      Object.defineProperty(out, k, {
        value: toJsonSafe(v, depth + 1, seen),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out;
  } finally {
    seen.delete(obj);
  }
}
