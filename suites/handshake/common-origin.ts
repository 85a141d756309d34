// C2: the origin allow-list, checked before the upgrade with exact matching. The run must name an
// allowed origin (--origin-allowed); without it these cases are unimplemented.
import { defineCase } from '../../src/engine/define-case.js';
import type { CaseContext } from '../../src/engine/types.js';
import { describeStatus } from '../_shared/http.js';
import { lookAlikes, suffixTrick } from '../_shared/origins.js';
import { probeUpgrade, requireAnswer } from '../_shared/raw.js';

function allowedOrigin(ctx: CaseContext): string {
  ctx.needs('originAllowed');
  const allowed = ctx.config.originAllowed;
  if (allowed === undefined) ctx.unimplemented('the run names no allowed origin (--origin-allowed)');
  return allowed;
}

/** MUST: an upgrade from `origin` gets 403 (C2: "gets 403 before the upgrade"). */
async function requireForbidden(ctx: CaseContext, origin: string, why = ''): Promise<void> {
  const what = `an upgrade from Origin ${origin}${why ? ` (${why})` : ''}`;
  const res = requireAnswer(ctx, await probeUpgrade(ctx, { headers: { Origin: origin } }), what);
  ctx.require(res.status !== 101, `${what} was accepted (101)`);
  ctx.require(res.status === 403, `${what} got ${describeStatus(res)} instead of 403`);
}

export default [
  defineCase({
    protocols: ['atheria', 'evolution'],
    num: 110,
    suite: 'handshake',
    rule: 'C2',
    title: 'an upgrade from the allowed origin, and one with no Origin header, get 101',
    faults: ['origin-missing-rejected'],
    async run(ctx: CaseContext) {
      const allowed = allowedOrigin(ctx);
      const res = await probeUpgrade(ctx, { headers: { Origin: allowed } });
      ctx.require(
        res?.status === 101,
        `an upgrade from the allowed origin ${allowed} got ${describeStatus(res)}`,
      );
      // Non-browser clients send no Origin; C2 lets them upgrade (authentication still applies).
      const none = await probeUpgrade(ctx, { headers: { Origin: undefined } });
      ctx.require(
        none?.status === 101,
        `an upgrade without an Origin header got ${describeStatus(none)} instead of 101`,
      );
    },
  }),
  defineCase({
    protocols: ['atheria', 'evolution'],
    num: 111,
    suite: 'handshake',
    rule: 'C2',
    title: 'an upgrade from a foreign origin or from Origin: null gets 403',
    faults: ['origin-null-allowed'],
    async run(ctx: CaseContext) {
      allowedOrigin(ctx);
      await requireForbidden(ctx, 'https://evil.test');
      // Sandboxed iframes and file: pages send "null"; it is never on an allow-list.
      await requireForbidden(ctx, 'null');
    },
  }),
  defineCase({
    protocols: ['atheria', 'evolution'],
    num: 112,
    suite: 'handshake',
    rule: 'C2',
    title: 'an upgrade from <allowed>.evil.test (suffix trick) gets 403',
    faults: ['origin-suffix-match'],
    async run(ctx: CaseContext) {
      await requireForbidden(ctx, suffixTrick(allowedOrigin(ctx)), 'prefix matching');
    },
  }),
  defineCase({
    protocols: ['atheria', 'evolution'],
    num: 113,
    suite: 'handshake',
    rule: 'C2',
    title: 'look-alikes of the allowed origin (userinfo, port, subdomain, prefix, scheme) get 403',
    faults: ['origin-suffix-match'],
    async run(ctx: CaseContext) {
      for (const { origin, fools } of lookAlikes(allowedOrigin(ctx)))
        await requireForbidden(ctx, origin, fools);
    },
  }),
];
