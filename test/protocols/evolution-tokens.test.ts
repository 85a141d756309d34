// The E2 tokens: the valid one verifies with the secret, and each bad one breaks exactly the
// thing it is named for (verified with jose, the library a server would use).
import { decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import type { CaseContext } from '../../src/engine/types.js';
import { BAD_TOKENS, caseSub, evolutionTokens, tokensFor } from '../../src/protocols/evolution-tokens.js';

const SECRET = 'test-secret-for-evolution-tokens';
const key = new TextEncoder().encode(SECRET);
const now = () => Math.floor(Date.now() / 1000);
const t = evolutionTokens(SECRET, 'user-1');

describe('evolution tokens', () => {
  it('valid: HS256 with sub and exp, verifies with the secret', async () => {
    const { payload, protectedHeader } = await jwtVerify(await t.valid(), key, { algorithms: ['HS256'] });
    expect(protectedHeader.alg).toBe('HS256');
    expect(payload.sub).toBe('user-1');
    expect(payload.exp).toBeGreaterThan(now() + 3000);
  });

  it('alg none: header alg none, empty signature, otherwise a valid payload', () => {
    const token = t.algNone();
    expect(token.endsWith('.')).toBe(true);
    expect(decodeProtectedHeader(token).alg).toBe('none');
    expect(decodeJwt(token).sub).toBe('user-1');
  });

  it('bad signature: HS256 but not verifiable with the secret', async () => {
    const token = await t.badSignature();
    expect(decodeProtectedHeader(token).alg).toBe('HS256');
    await expect(jwtVerify(token, key)).rejects.toThrow(/signature/i);
  });

  it('HS512: signed with the secret, refused when only HS256 is allowed', async () => {
    const token = await t.hs512();
    expect((await jwtVerify(token, key, { algorithms: ['HS512'] })).payload.sub).toBe('user-1');
    await expect(jwtVerify(token, key, { algorithms: ['HS256'] })).rejects.toThrow();
  });

  it('expired: exp beyond the 30 s leeway the profile allows at most', async () => {
    const token = await t.expired();
    expect(decodeJwt(token).exp).toBeLessThan(now() - 30);
    await expect(jwtVerify(token, key, { clockTolerance: 30 })).rejects.toThrow(/exp/);
  });

  it('future nbf: not before beyond the leeway', async () => {
    const token = await t.futureNbf();
    expect(decodeJwt(token).nbf).toBeGreaterThan(now() + 30);
    await expect(jwtVerify(token, key, { clockTolerance: 30 })).rejects.toThrow(/nbf/);
  });

  it('malformed: not three parts', () => {
    expect(t.malformed().split('.')).not.toHaveLength(3);
  });

  it('expiringIn: valid now, exp as asked', async () => {
    const { token, exp } = await t.expiringIn(2);
    expect(exp - now()).toBeGreaterThanOrEqual(1);
    expect(exp - now()).toBeLessThanOrEqual(2);
    expect((await jwtVerify(token, key)).payload.exp).toBe(exp);
  });

  it('every bad token is rejected by a strict HS256 verifier', async () => {
    for (const bad of BAD_TOKENS) {
      await expect(
        jwtVerify(await bad.make(t), key, { algorithms: ['HS256'], clockTolerance: 30 }),
        bad.key,
      ).rejects.toThrow();
    }
  });

  it('tokensFor asks the context for the JWT secret (unimplemented without it)', () => {
    const asked: string[] = [];
    const ctx = {
      config: { jwtSecret: undefined },
      needs: (...inputs: string[]) => {
        asked.push(...inputs);
        throw new Error('unimplemented');
      },
    } as unknown as CaseContext;
    expect(() => tokensFor(ctx, 'u')).toThrow('unimplemented');
    expect(asked).toEqual(['jwtSecret']);
  });

  it('caseSub gives each case its own user', () => {
    expect(caseSub('EVO-AUTH-001')).not.toBe(caseSub('EVO-AUTH-002'));
    expect(caseSub('EVO-AUTH-001', 'a')).not.toBe(caseSub('EVO-AUTH-001'));
  });
});
