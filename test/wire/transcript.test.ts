import { describe, expect, it } from 'vitest';
import {
  MAX_ENTRIES,
  MAX_TEXT_CHARS,
  summarizeBinary,
  summarizePayload,
  Transcript,
  truncateText,
} from '../../src/wire/transcript.js';

describe('Transcript', () => {
  it('keeps at most MAX_ENTRIES entries and says how many it dropped', () => {
    const t = new Transcript();
    for (let i = 0; i < MAX_ENTRIES + 5; i++) t.add('in', 'text', String(i), 1);
    expect(t.snapshot()).toHaveLength(MAX_ENTRIES);
    expect(t.notesSnapshot().at(-1)?.text).toMatch(/^5 more transcript entries were not kept/);
  });

  it('truncates long text and shows binary as a base64 prefix with its length', () => {
    expect(truncateText('x'.repeat(MAX_TEXT_CHARS + 10))).toMatch(
      new RegExp(`^x{${MAX_TEXT_CHARS}}… \\(${MAX_TEXT_CHARS + 10} chars\\)$`),
    );
    expect(summarizeBinary(Buffer.from([1, 2, 3]))).toBe('base64:AQID (3 bytes)');
    expect(summarizeBinary(Buffer.alloc(1000))).toMatch(/^base64:A+… \(1000 bytes\)$/);
    expect(summarizePayload(Buffer.from('ping-1'))).toBe('ping-1');
    expect(summarizePayload(Buffer.from([0, 255]))).toBe('base64:AP8= (2 bytes)');
  });
});
