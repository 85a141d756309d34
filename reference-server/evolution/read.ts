// Reading client messages without trusting them (C4): own properties only, never a lookup of a
// client-chosen key on a plain object, so "__proto__" / "constructor" are just unknown names.
export type Msg = Record<string, unknown>;

export function isRecord(value: unknown): value is Msg {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function own(obj: Msg, key: string): unknown {
  return Object.hasOwn(obj, key) ? obj[key] : undefined;
}

/** The `type` of a raw client message, for the error log only (never trusted, never echoed). */
export function messageTypeOf(data: Buffer, isBinary: boolean): string {
  if (isBinary) return 'agent_code (binary)';
  try {
    const msg: unknown = JSON.parse(data.toString('utf8'));
    const type = isRecord(msg) ? own(msg, 'type') : undefined;
    return typeof type === 'string' ? JSON.stringify(type.slice(0, 64)) : '(no type)';
  } catch {
    return '(not JSON)';
  }
}

/**
 * E1: the fields of a client message flat as in the seed, also when they were sent wrapped in
 * `data` or `payload` (SHOULD); a top-level field wins. defineProperty, not assignment: a wrapped
 * "__proto__" key stays an ordinary own property instead of replacing the prototype.
 */
export function flatten(msg: Msg): Msg {
  const out: Msg = { ...msg };
  for (const wrapper of ['data', 'payload']) {
    const inner = own(msg, wrapper);
    if (!isRecord(inner)) continue;
    for (const [key, value] of Object.entries(inner)) {
      if (!Object.hasOwn(out, key)) {
        Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
      }
    }
  }
  return out;
}
