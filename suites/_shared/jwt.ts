// A valid HS256 token for Evolution cases that must authenticate (E2), signed by the harness's one
// JWT module (src/protocols/evolution-tokens.ts). Common cases
// use it only so that a hostile message is meaningful (acted on after auth) or so that the auth
// timeout of an Evolution target cannot cut a C3 check short. Each token has its own `sub`, so
// the per-user connection limit (E10) of one case never touches another's: the one scheme of
// per-case users, caseSub (src/protocols/evolution-tokens.ts).
import type { CaseContext } from '../../src/engine/types.js';
import { caseSub, signToken } from '../../src/protocols/evolution-tokens.js';

export function hs256Token(secret: string, sub: string, ttlSeconds = 600): Promise<string> {
  return signToken(secret, { sub, exp: Math.floor(Date.now() / 1000) + ttlSeconds });
}

/** Connections authenticated so far: each gets a user of its own within its case. */
let connections = 0;

/**
 * `Authorization: Bearer <jwt>` for an Evolution target when the run has the secret; {} otherwise
 * (Atheria has no authentication, A0; without a secret the connection simply stays unauthenticated).
 */
export async function authHeaders(
  ctx: CaseContext,
  sub = caseSub(ctx.caseId, String(++connections)),
): Promise<Record<string, string>> {
  if (ctx.target.protocol !== 'evolution' || ctx.config.jwtSecret === undefined) return {};
  return { Authorization: `Bearer ${await hs256Token(ctx.config.jwtSecret, sub)}` };
}
