// HdrHistogram helpers. The bench records microseconds into WebAssembly histograms (hdr-histogram-js
// "WebAssembly" mode: initWebAssembly once per thread, build({useWebAssembly: true}), and destroy()
// every histogram explicitly because WASM memory is not garbage-collected). Histograms travel
// between threads and files as compressed HISTv2 base64, which any HdrHistogram port can read.
import * as hdr from 'hdr-histogram-js';
import type { Percentiles } from './types.js';

export type Histogram = hdr.Histogram;

let ready = false;

/** Loads the WASM module (synchronously: it is embedded in the package). Idempotent per thread. */
export function initHistograms(): void {
  if (ready) return;
  hdr.initWebAssemblySync();
  ready = true;
}

/** A µs histogram: 1 µs resolution floor, auto-resizing, 3 significant digits. */
export function newHistogram(): Histogram {
  initHistograms();
  return hdr.build({
    useWebAssembly: true,
    bitBucketSize: 64,
    autoResize: true,
    lowestDiscernibleValue: 1,
    highestTrackableValue: 2,
    numberOfSignificantValueDigits: 3,
  });
}

export function encodeHistogram(h: Histogram): string {
  return hdr.encodeIntoCompressedBase64(h);
}

export function decodeHistogram(b64: string): Histogram {
  initHistograms();
  return hdr.decodeFromCompressedBase64(b64, 64, true);
}

/** Decodes every encoded histogram, adds them into one, and returns it re-encoded. */
export function addEncoded(encoded: readonly string[]): string {
  const sum = newHistogram();
  try {
    for (const b64 of encoded) {
      const part = decodeHistogram(b64);
      try {
        sum.add(part);
      } finally {
        part.destroy();
      }
    }
    return encodeHistogram(sum);
  } finally {
    sum.destroy();
  }
}

/** Percentiles computed from the (merged) histogram: never an average of percentiles. */
export function percentilesOf(b64: string): Percentiles {
  const h = decodeHistogram(b64);
  try {
    const count = h.totalCount;
    if (count === 0) return { p50: 0, p90: 0, p99: 0, p999: 0, max: 0, count: 0 };
    return {
      p50: h.getValueAtPercentile(50),
      p90: h.getValueAtPercentile(90),
      p99: h.getValueAtPercentile(99),
      p999: h.getValueAtPercentile(99.9),
      max: h.maxValue,
      count,
    };
  } finally {
    h.destroy();
  }
}

/** Records a µs value; non-finite or negative values (clock skew) are clamped to 0 → counted as 0. */
export function recordUs(h: Histogram, us: number): void {
  h.recordValue(us > 0 && Number.isFinite(us) ? Math.round(us) : 0);
}
