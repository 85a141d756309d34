import type { CaseNote, TranscriptEntry } from '../engine/types.js';

// What a case saw and sent, for the report. Every connection of a case writes into the case's one
// Transcript, so entries interleave in time order and carry the connection number.

/** Longest text kept per entry; the rest is summarised by its length. */
export const MAX_TEXT_CHARS = 600;
/** How many bytes of a binary payload are kept (as base64). */
export const MAX_BINARY_BYTES = 48;
/** Entries kept per case: a case watching a 30 fps stream for seconds must not bloat the report. */
export const MAX_ENTRIES = 400;

export class Transcript {
  readonly entries: TranscriptEntry[] = [];
  readonly notes: CaseNote[] = [];
  /** entries dropped after MAX_ENTRIES */
  dropped = 0;
  private readonly t0: number;

  constructor(t0 = performance.now()) {
    this.t0 = t0;
  }

  /** ms since the case started */
  now(): number {
    return Math.round(performance.now() - this.t0);
  }

  add(dir: TranscriptEntry['dir'], kind: TranscriptEntry['kind'], data: string, conn?: number): void {
    if (this.entries.length >= MAX_ENTRIES) {
      this.dropped++;
      return;
    }
    const entry: TranscriptEntry = { t: this.now(), dir, kind, data };
    if (conn !== undefined) entry.conn = conn;
    this.entries.push(entry);
  }

  note(text: string, conn?: number): void {
    const n: CaseNote = { t: this.now(), text: truncateText(text) };
    if (conn !== undefined) n.conn = conn;
    this.notes.push(n);
  }

  /** The entries for the report. */
  snapshot(): TranscriptEntry[] {
    return [...this.entries];
  }

  /** The notes for the report, with a last one saying how many entries were not kept. */
  notesSnapshot(): CaseNote[] {
    if (this.dropped === 0) return [...this.notes];
    return [
      ...this.notes,
      { t: this.now(), text: `${this.dropped} more transcript entries were not kept (limit ${MAX_ENTRIES})` },
    ];
  }
}

export function truncateText(text: string, max = MAX_TEXT_CHARS): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length} chars)`;
}

/** Binary data as a base64 prefix plus its length, e.g. `base64:gqR0eXBl… (1234 bytes)`. */
export function summarizeBinary(data: Uint8Array): string {
  const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const head = buf.subarray(0, MAX_BINARY_BYTES).toString('base64');
  return buf.length <= MAX_BINARY_BYTES
    ? `base64:${head} (${buf.length} bytes)`
    : `base64:${head}… (${buf.length} bytes)`;
}

/** A control-frame payload: readable text when it is printable UTF-8, else base64. */
export function summarizePayload(data: Uint8Array): string {
  if (data.byteLength === 0) return '';
  const text = Buffer.from(data).toString('utf8');
  return /^[\x20-\x7e]*$/.test(text) ? truncateText(text) : summarizeBinary(data);
}
