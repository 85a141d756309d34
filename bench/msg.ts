// Small helpers shared by the protocol drivers and the worker.

/** Epoch milliseconds with sub-ms precision; comparable across threads of one host. */
export function nowMs(): number {
  return performance.timeOrigin + performance.now();
}

/** Large text messages are scanned rather than parsed (see frame-scan.ts). */
export const SCAN_ABOVE_BYTES = 4096;

/** Parses a small JSON message into a record, or null. */
export function parseSmall(data: Buffer): Record<string, unknown> | null {
  try {
    const v: unknown = JSON.parse(data.toString('utf8'));
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
