// E9: error messages MUST NOT echo the token or carry a stack trace.
import { defineCase } from '../../src/engine/define-case.js';
import type { CaseContext, Received } from '../../src/engine/types.js';
import { errorOf, looksLikeStack, sendAndSettle, settle } from '../../src/protocols/evolution-client.js';
import { bearer, expectError } from '../../src/protocols/evolution-session.js';
import { caseSub, tokensFor } from '../../src/protocols/evolution-tokens.js';

/** Pieces of a JWT that an error must not quote: the whole token, and its payload and signature. */
function secretsOf(token: string): string[] {
  const parts = token.split('.').filter((p) => p.length >= 16);
  return [token, ...parts.slice(1)];
}

export default defineCase({
  protocol: 'evolution',
  num: 4,
  suite: 'errors',
  rule: 'E9',
  title: 'error messages never echo the token or a stack trace',
  faults: ['evo-error-echoes-token'],
  async run(ctx: CaseContext) {
    const tokens = tokensFor(ctx, caseSub(ctx.caseId));
    const badToken = await tokens.badSignature();
    const leaks = secretsOf(badToken);
    const errors: Received[] = [];
    const check = (where: string, text: string | undefined): void => {
      if (text === undefined) return;
      const leaked = leaks.find((s) => text.includes(s));
      ctx.require(leaked === undefined, `${where} echoes the token: ${text.slice(0, 200)} (E9)`);
      ctx.require(!looksLikeStack(text), `${where} carries a stack trace: ${text.slice(0, 200)} (E9)`);
    };

    // AUTH_FAILED by message.
    const a = await ctx.connect();
    a.sendJson({ type: 'auth', token: badToken });
    const authFailed = await expectError(a, 'AUTH_FAILED', 2000);
    // The AUTH_FAILED is what this case reads, not what it tests (EVO-AUTH-010 does).
    ctx.precondition(
      authFailed !== null,
      'a wrongly signed token in an auth message got no AUTH_FAILED within 2 s',
      'EVO-AUTH-010',
    );
    errors.push(authFailed);

    // A bad bearer header: 401 body, or AUTH_FAILED after 101.
    const h = await ctx.open(bearer(badToken));
    if (!h.ok) check(`the HTTP ${h.status} body`, h.body);
    else {
      const e = await expectError(h.conn, 'AUTH_FAILED', 2000);
      if (e) errors.push(e);
    }

    // Other errors (UNAUTHORIZED, INVALID_COMMAND): no stack trace either. Only the auth token is
    // secret; errors may name a client's own channel or agent id (E4, E7).
    const c = await ctx.connect();
    const others: Received[] = [];
    others.push(...(await sendAndSettle(c, { type: 'get_agent', agent_id: 'wsconform-e9' })).errors);
    others.push(...(await settle(c, () => c.sendText('not json {'))).errors);
    for (const e of others) check(`error ${JSON.stringify(errorOf(e)?.code)}`, e.text);
    for (const e of errors) check(`error ${JSON.stringify(errorOf(e)?.code)}`, e.text);
  },
});
