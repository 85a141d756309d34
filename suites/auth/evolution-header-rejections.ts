// E2: a bad token in `Authorization: Bearer` gets HTTP 401 before the upgrade (SHOULD), or else
// 101 then `error` AUTH_FAILED and a close (MUST be one of the two). The close code 1008 or an
// application code 4000–4999 both conform (revision 2026-12-06); another code is non-strict.
// One case per bad token.
import { defineCase } from '../../src/engine/define-case.js';
import type { CaseContext } from '../../src/engine/types.js';
import { describe } from '../../src/protocols/evolution-client.js';
import { bearer, closeCodeConforms, expectError } from '../../src/protocols/evolution-session.js';
import { BAD_TOKENS, caseSub, tokensFor } from '../../src/protocols/evolution-tokens.js';

export default BAD_TOKENS.map((bad, i) =>
  defineCase({
    protocol: 'evolution',
    num: 3 + i,
    suite: 'auth',
    rule: 'E2',
    title: `${bad.what} bearer token gets HTTP 401 (SHOULD) or 101 + AUTH_FAILED + close (1008 or 4000–4999)`,
    faults: [...(bad.acceptFault ? [bad.acceptFault] : []), 'evo-bad-header-silent', 'evo-bad-header-101'],
    async run(ctx: CaseContext) {
      const token = await bad.make(tokensFor(ctx, caseSub(ctx.caseId)));
      const r = await ctx.open(bearer(token));
      if (!r.ok) {
        ctx.require(
          r.status >= 400 && r.status < 500,
          `${bad.what} bearer token got ${r.status ? `HTTP ${r.status}` : `no answer (${r.error ?? 'connection failed'})`} instead of 401 (E2)`,
        );
        ctx.should(r.status === 401, `${bad.what} bearer token got HTTP ${r.status}; SHOULD be 401 (E2)`);
        return;
      }
      const conn = r.conn;
      ctx.should(
        false,
        `${bad.what} bearer token was upgraded (101) instead of refused with HTTP 401 (E2 SHOULD)`,
      );
      const err = await expectError(conn, 'AUTH_FAILED', 2000);
      ctx.require(
        err !== null,
        `after upgrading ${bad.what} bearer token the server sent no error AUTH_FAILED within 2 s (${conn.received.map(describe).join('; ') || 'nothing'}) (E2)`,
      );
      const closed = await conn.closed(2000);
      ctx.require(
        closed !== null,
        `after AUTH_FAILED for ${bad.what} bearer token the connection stayed open (E2: close 1008)`,
      );
      ctx.should(
        closeCodeConforms(closed.code),
        `after AUTH_FAILED the connection closed with ${closed.code}; SHOULD be 1008 or 4000–4999 (E2)`,
      );
    },
  }),
);
