// JWTs for the tests: valid HS256 ones and each kind E2 says must be refused.
import { base64url, SignJWT } from 'jose';
import { SECRET } from './server.js';

export interface TokenOptions {
  /** seconds from now; negative = already expired */
  expIn?: number;
  /** seconds from now */
  nbfIn?: number;
  alg?: 'HS256' | 'HS384' | 'HS512';
  secret?: string;
  /** omit the sub claim */
  noSub?: boolean;
}

export async function token(sub = 'alice', opts: TokenOptions = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const jwt = new SignJWT({}).setProtectedHeader({ alg: opts.alg ?? 'HS256', typ: 'JWT' }).setIssuedAt();
  if (!opts.noSub) jwt.setSubject(sub);
  jwt.setExpirationTime(now + (opts.expIn ?? 3600));
  if (opts.nbfIn !== undefined) jwt.setNotBefore(now + opts.nbfIn);
  return jwt.sign(new TextEncoder().encode(opts.secret ?? SECRET));
}

/** an unsigned token (`alg: none`) with valid claims */
export function algNoneToken(sub = 'alice'): string {
  const enc = (o: object) => base64url.encode(JSON.stringify(o));
  const now = Math.floor(Date.now() / 1000);
  return `${enc({ alg: 'none', typ: 'JWT' })}.${enc({ sub, iat: now, exp: now + 3600 })}.`;
}

export function badSignatureToken(sub = 'alice'): Promise<string> {
  return token(sub, { secret: 'not-the-server-secret-at-all-000000' });
}
