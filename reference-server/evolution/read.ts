// Reading client messages without trusting them (C4): own properties only, never a lookup of a
// client-chosen key on a plain object, so "__proto__" / "constructor" are just unknown names.
export type Msg = Record<string, unknown>;

export function isRecord(value: unknown): value is Msg {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function own(obj: Msg, key: string): unknown {
  return Object.hasOwn(obj, key) ? obj[key] : undefined;
}

/** E1: a field of a client message, flat as in the seed, or wrapped in `data` or `payload` (SHOULD). */
export function field(msg: Msg, key: string): unknown {
  if (Object.hasOwn(msg, key)) return msg[key];
  for (const wrapper of ['data', 'payload']) {
    const inner = own(msg, wrapper);
    if (isRecord(inner) && Object.hasOwn(inner, key)) return inner[key];
  }
  return undefined;
}
