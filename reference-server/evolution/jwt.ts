// E2: tokens are JWTs, HS256 with the shared secret, `sub` is the user; rejected: bad signature,
// alg none, other algorithms, expired exp and future nbf (beyond the leeway, at most 30 s),
// malformed tokens. Verification is jose's; the evo-accept-* faults each let one kind through.
import { decodeJwt, decodeProtectedHeader, errors, type JWTPayload, jwtVerify, SignJWT } from 'jose';
import { createSecretKey, type KeyObject } from 'node:crypto';
import type { Clock } from '../clock.js';
import type { FaultName } from '../faults.js';

export type Verified = { ok: true; user: string; exp: number | undefined };
export type Refused = { ok: false; reason: string };

export interface JwtConfig {
  /** the shared HS* secret (imported once); undefined: every token is refused */
  key: KeyObject | undefined;
  leewaySec: number;
  has(fault: FaultName): boolean;
  /** exp and nbf are judged against this clock's now() */
  clock: Clock;
}

/** Why a token failed, in words that never repeat the token (E9). */
function reasonOf(err: unknown): string {
  if (err instanceof errors.JWTExpired) return 'token expired';
  if (err instanceof errors.JWTClaimValidationFailed) {
    return err.claim === 'nbf' ? 'token not valid yet (nbf)' : `token claim ${err.claim} is invalid`;
  }
  if (err instanceof errors.JWSSignatureVerificationFailed) return 'token signature is invalid';
  if (err instanceof errors.JOSEAlgNotAllowed) return 'token algorithm is not allowed (HS256 only)';
  return 'token is malformed';
}

/**
 * Faults only: jose's claim checks (exp, nbf, leeway) on a payload whose signature was not checked,
 * by signing it afresh with the secret and verifying that.
 */
async function claimsOnly(token: string, key: KeyObject, cfg: JwtConfig): Promise<JWTPayload> {
  const resigned = await new SignJWT(decodeJwt(token)).setProtectedHeader({ alg: 'HS256' }).sign(key);
  return (await jwtVerify(resigned, key, checks(cfg, ['HS256']))).payload;
}

/** jose's claim checks: the allowed algorithms, the leeway, and "now" from the server's clock */
function checks(cfg: JwtConfig, algorithms: string[]) {
  return { algorithms, clockTolerance: cfg.leewaySec, currentDate: new Date(cfg.clock.now()) };
}

async function verifyPayload(token: string, key: KeyObject, cfg: JwtConfig): Promise<JWTPayload> {
  const { has, leewaySec } = cfg;
  // evo-accept-alg-none: an unsigned token passes if its claims do
  if (has('evo-accept-alg-none') && decodeProtectedHeader(token).alg === 'none') {
    return claimsOnly(token, key, cfg);
  }
  // evo-accept-other-alg: HS384/HS512 signed with the secret pass
  const algorithms = has('evo-accept-other-alg') ? ['HS256', 'HS384', 'HS512'] : ['HS256'];
  try {
    return (await jwtVerify(token, key, checks(cfg, algorithms))).payload;
  } catch (err) {
    // evo-accept-bad-signature: the signature is not checked
    if (has('evo-accept-bad-signature') && err instanceof errors.JWSSignatureVerificationFailed) {
      return claimsOnly(token, key, cfg);
    }
    // evo-accept-expired: jose checks nbf before exp, so only exp was wrong; the token is taken as
    // one without exp (else the expiry close, E2, would end the connection at once)
    if (has('evo-accept-expired') && err instanceof errors.JWTExpired) return { ...err.payload, exp: undefined };
    // evo-accept-future-nbf: accept, but an expired token still fails
    if (has('evo-accept-future-nbf') && err instanceof errors.JWTClaimValidationFailed && err.claim === 'nbf') {
      const exp = err.payload.exp;
      if (typeof exp === 'number' && exp <= cfg.clock.now() / 1000 - leewaySec) throw new errors.JWTExpired('expired', err.payload);
      return err.payload;
    }
    throw err;
  }
}

export async function verifyToken(token: unknown, cfg: JwtConfig): Promise<Verified | Refused> {
  if (typeof token !== 'string' || token === '') return { ok: false, reason: 'token missing or not a string' };
  if (cfg.key === undefined) return { ok: false, reason: 'this server has no JWT secret configured' };
  let payload: JWTPayload;
  try {
    payload = await verifyPayload(token, cfg.key, cfg);
  } catch (err) {
    return { ok: false, reason: reasonOf(err) };
  }
  if (typeof payload.sub !== 'string' || payload.sub === '') return { ok: false, reason: 'token has no sub claim' };
  return { ok: true, user: payload.sub, exp: typeof payload.exp === 'number' ? payload.exp : undefined };
}

export function secretKey(secret: string | undefined): KeyObject | undefined {
  return secret === undefined || secret === '' ? undefined : createSecretKey(Buffer.from(secret, 'utf8'));
}
