// The shared helpers of the common cases: message builders, origin look-alikes, tokens.
import { jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import {
  deepJson,
  NON_JSON,
  protoKeyMessages,
  protoNameMessages,
  wronglyTyped,
} from '../../suites/_shared/hostile.js';
import { hs256Token } from '../../suites/_shared/jwt.js';
import { paddedMessage } from '../../suites/_shared/messages.js';
import { lookAlikes, suffixTrick } from '../../suites/_shared/origins.js';
import { closePayload, parseClose } from '../../suites/_shared/raw.js';

const VARIANTS = [
  ['atheria', false],
  ['evolution', false],
  ['evolution', true],
] as const;

describe('paddedMessage', () => {
  it.each(['atheria', 'evolution'] as const)('is JSON of exactly the asked size (%s)', (protocol) => {
    for (const size of [100, 1024 * 1024, 1024 * 1024 + 1]) {
      const text = paddedMessage(protocol, size);
      expect(Buffer.byteLength(text)).toBe(size);
      expect(JSON.parse(text)).toHaveProperty('type');
    }
  });

  it('refuses sizes below its envelope', () => {
    expect(() => paddedMessage('atheria', 10)).toThrow(RangeError);
  });
});

describe('origin look-alikes', () => {
  it.each(['https://app.example.com', 'http://localhost:3000'])(
    'are all other origins than %s',
    (allowed) => {
      const all = [suffixTrick(allowed), ...lookAlikes(allowed).map((l) => l.origin)];
      expect(new Set(all).size).toBe(all.length);
      for (const o of all) {
        expect(o).not.toBe(allowed);
        // an unparsable Origin (e.g. http://localhost:3000.evil.test) is another origin too
        expect(URL.canParse(o) ? new URL(o).origin : null).not.toBe(new URL(allowed).origin);
      }
      expect(suffixTrick(allowed).startsWith(allowed)).toBe(true);
    },
  );
});

describe('hostile messages', () => {
  it.each(VARIANTS)('are valid JSON, or deliberately not (%s, authed %s)', (protocol, authed) => {
    const json = [
      ...protoNameMessages(protocol, authed),
      ...protoKeyMessages(protocol, authed),
      ...wronglyTyped(protocol, authed),
    ];
    expect(json.length).toBeGreaterThan(5);
    for (const text of json) expect(() => JSON.parse(text), text).not.toThrow();
    for (const text of NON_JSON) expect(() => JSON.parse(text)).toThrow();
  });

  it('carry an own "__proto__" key, which JSON.stringify could not have written', () => {
    const parsed = JSON.parse(protoKeyMessages('atheria', false)[0] as string) as object;
    expect(Object.hasOwn(parsed, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype);
  });

  it('authenticated Evolution variants add the messages that are refused before auth', () => {
    expect(protoNameMessages('evolution', true).length).toBeGreaterThan(
      protoNameMessages('evolution', false).length,
    );
    expect(wronglyTyped('evolution', true).length).toBeGreaterThan(wronglyTyped('evolution', false).length);
  });

  it('deepJson nests as deep as asked', () => {
    const parsed = JSON.parse(deepJson(50)) as { payload: unknown };
    let depth = 0;
    for (let v: unknown = parsed.payload; Array.isArray(v); v = v[0]) depth++;
    expect(depth).toBe(50);
  });
});

describe('close payloads', () => {
  it('round-trip code and reason (RFC 6455 §5.5.1)', () => {
    const payload = closePayload(4000, 'bye');
    expect(payload.subarray(0, 2)).toEqual(Buffer.from([0x0f, 0xa0]));
    const frame = { fin: true, rsv: 0, opcode: 8, masked: false, payload };
    expect(parseClose(frame)).toEqual({ code: 4000, reason: 'bye' });
    expect(parseClose({ ...frame, payload: Buffer.alloc(0) })).toEqual({ code: null, reason: '' });
  });
});

describe('hs256Token', () => {
  it('is an HS256 JWT with the subject, verifiable with the secret', async () => {
    const token = await hs256Token('s3cret', 'user-1', 60);
    const { payload, protectedHeader } = await jwtVerify(token, new TextEncoder().encode('s3cret'));
    expect(protectedHeader.alg).toBe('HS256');
    expect(payload.sub).toBe('user-1');
    expect((payload.exp ?? 0) - Math.floor(Date.now() / 1000)).toBeGreaterThan(50);
  });
});
