// JWTs for the tests: valid HS256 ones and each kind E2 says must be refused.
import { algNoneToken as unsigned, signToken } from '../../../src/protocols/evolution-tokens.js';
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

export function token(sub = 'alice', opts: TokenOptions = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return signToken(
    opts.secret ?? SECRET,
    {
      ...(opts.noSub ? {} : { sub }),
      exp: now + (opts.expIn ?? 3600),
      ...(opts.nbfIn !== undefined ? { nbf: now + opts.nbfIn } : {}),
    },
    opts.alg,
  );
}

/** an unsigned token (`alg: none`) with valid claims */
export function algNoneToken(sub = 'alice'): string {
  return unsigned(sub);
}

export function badSignatureToken(sub = 'alice'): Promise<string> {
  return token(sub, { secret: 'not-the-server-secret-at-all-000000' });
}
