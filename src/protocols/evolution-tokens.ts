// JWTs for the Evolution endpoint (profile E2): HS256 with the target's shared secret, `sub` is the
// user. Besides the valid token this builds one token per rejection reason the profile lists, so
// that each auth case breaks exactly one thing about an otherwise valid token.
import { SignJWT } from 'jose';
import type { CaseContext } from '../engine/types.js';
import type { FaultName } from '../schema/faults.js';

/** E2: a server may allow at most 30 s of clock leeway; "expired" and "future nbf" go well beyond. */
const BEYOND_LEEWAY_SEC = 120;
const HOUR_SEC = 3600;

const nowSec = (): number => Math.floor(Date.now() / 1000);

function b64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

export interface EvolutionTokens {
  readonly sub: string;
  /** HS256, `sub`, `iat`, `exp` in an hour: must authenticate. */
  valid(): Promise<string>;
  /** `alg: none`, empty signature (hand-built: jose refuses to sign it). */
  algNone(): string;
  /** HS256 signed with a different secret. */
  badSignature(): Promise<string>;
  /** HS512 signed with the right secret: only HS256 is allowed. */
  hs512(): Promise<string>;
  /** `exp` two minutes ago: beyond any allowed leeway (30 s at most). */
  expired(): Promise<string>;
  /** `nbf` two minutes ahead. */
  futureNbf(): Promise<string>;
  /** not a JWT at all. */
  malformed(): string;
  /** valid now, `exp` in `seconds`. */
  expiringIn(seconds: number): Promise<{ token: string; exp: number }>;
}

export interface TokenClaims {
  /** the user (E2); omitted when undefined */
  sub?: string;
  /** epoch seconds; default now */
  iat?: number;
  /** epoch seconds; default an hour from now */
  exp?: number;
  nbf?: number;
}

/**
 * The one place the harness signs a JWT (cases, bench clients, tests): HS256 by default, with
 * `typ: JWT`, `iat` and `exp` as E2 expects of a valid token.
 */
export function signToken(
  secret: string,
  claims: TokenClaims,
  alg: 'HS256' | 'HS384' | 'HS512' = 'HS256',
): Promise<string> {
  const now = nowSec();
  const jwt = new SignJWT({})
    .setProtectedHeader({ alg, typ: 'JWT' })
    .setIssuedAt(claims.iat ?? now)
    .setExpirationTime(claims.exp ?? now + HOUR_SEC);
  if (claims.sub !== undefined) jwt.setSubject(claims.sub);
  if (claims.nbf !== undefined) jwt.setNotBefore(claims.nbf);
  return jwt.sign(new TextEncoder().encode(secret));
}

/** An unsigned `alg: none` token with valid claims (hand-built: jose refuses to sign it). */
export function algNoneToken(sub: string): string {
  const now = nowSec();
  return `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url({ sub, iat: now, exp: now + HOUR_SEC })}.`;
}

function sign(secret: string, sub: string, claims: TokenClaims, alg: 'HS256' | 'HS512' = 'HS256') {
  return signToken(secret, { ...claims, sub }, alg);
}

/** Tokens for user `sub` signed with `secret` (the target's HS256 secret). */
export function evolutionTokens(secret: string, sub: string): EvolutionTokens {
  return {
    sub,
    valid: () => sign(secret, sub, {}),
    algNone: () => algNoneToken(sub),
    badSignature: () => sign(`${secret}-not-the-secret`, sub, {}),
    hs512: () => sign(secret, sub, {}, 'HS512'),
    expired: () => {
      const now = nowSec();
      return sign(secret, sub, { iat: now - 2 * HOUR_SEC, exp: now - BEYOND_LEEWAY_SEC });
    },
    futureNbf: () => sign(secret, sub, { nbf: nowSec() + BEYOND_LEEWAY_SEC }),
    malformed: () => 'wsconform.not-a-jwt',
    expiringIn: async (seconds) => {
      const exp = nowSec() + seconds;
      return { token: await sign(secret, sub, { exp }), exp };
    },
  };
}

/** The case's tokens; ends the case as unimplemented when the run has no JWT secret (E2). */
export function tokensFor(ctx: CaseContext, sub: string): EvolutionTokens {
  ctx.needs('jwtSecret');
  const secret = ctx.config.jwtSecret;
  if (secret === undefined) return ctx.unimplemented('the run has no --jwt-secret');
  return evolutionTokens(secret, sub);
}

/** A user id unique to a case (E10 counts connections per user, so concurrent cases must differ). */
export function caseSub(caseId: string, suffix = ''): string {
  return `wsconform-${caseId.toLowerCase()}${suffix ? `-${suffix}` : ''}`;
}

/** The tokens E2 says a server rejects, each with the fault that accepts it. */
export interface BadToken {
  key: string;
  /** what is wrong, with its article, for titles and reasons */
  what: string;
  make(tokens: EvolutionTokens): Promise<string> | string;
  /** the catalog's fault (spec/faults.json) that makes the reference server accept this token */
  acceptFault?: FaultName;
}

export const BAD_TOKENS: readonly BadToken[] = [
  { key: 'alg-none', what: 'an alg=none', make: (t) => t.algNone(), acceptFault: 'evo-accept-alg-none' },
  {
    key: 'bad-signature',
    what: 'a wrongly signed',
    make: (t) => t.badSignature(),
    acceptFault: 'evo-accept-bad-signature',
  },
  { key: 'hs512', what: 'an HS512', make: (t) => t.hs512(), acceptFault: 'evo-accept-other-alg' },
  {
    key: 'expired',
    what: 'an expired (exp 120 s ago)',
    make: (t) => t.expired(),
    acceptFault: 'evo-accept-expired',
  },
  {
    key: 'future-nbf',
    what: 'a not-yet-valid (nbf in 120 s)',
    make: (t) => t.futureNbf(),
    acceptFault: 'evo-accept-future-nbf',
  },
  { key: 'malformed', what: 'a malformed', make: (t) => t.malformed() },
];
