// C4: abusive opening handshakes — a header flood, a slowloris request, half-open requests — must
// neither crash the server nor hold up other clients' upgrades.
import { defineCase } from '../../src/engine/define-case.js';
import type { CaseContext, RawConn } from '../../src/engine/types.js';
import { newKey, upgradeRequest } from '../../src/wire/http-head.js';
import { requireServerServes, requireServesBefore } from '../_shared/health.js';
import { describeStatus } from '../_shared/http.js';
import { probeUpgrade, rawSocket } from '../_shared/raw.js';

function manyHeaders(count: number): Record<string, string> {
  const headers: Record<string, string> = {};
  for (let i = 0; i < count; i++) headers[`X-Wsconform-${i}`] = '1';
  return headers;
}

/** A complete, valid upgrade request for the target path, as bytes. */
function validRequest(ctx: CaseContext): Buffer {
  const url = new URL(ctx.target.url);
  return Buffer.from(
    upgradeRequest({ host: url.host, path: url.pathname + url.search, key: newKey() }),
    'latin1',
  );
}

/** How the server answered an abusive request, for the transcript (C4 does not judge it). */
function noteAnswer(ctx: CaseContext, what: string, res: { status: number } | null): void {
  ctx.note(`${what}: ${describeStatus(res)}`);
}

/** C4 with a 1 s handshake budget: a client must not wait for someone else's slow request. */
async function requireServerServesFast(ctx: CaseContext): Promise<void> {
  await requireServerServes(ctx, 'a slow upgrade request had started', { timeoutMs: 1000 });
}

export default [
  defineCase({
    // no application protocol needed: also for any WebSocket endpoint (--protocol generic)
    protocols: ['atheria', 'evolution', 'generic'],
    num: 103,
    suite: 'security',
    rule: 'C4',
    title: 'upgrade requests with 2,000 and with 600 headers do not crash the server',
    faults: ['crash-on-header-flood'],
    hostile: true,
    async run(ctx: CaseContext) {
      await requireServesBefore(ctx);
      // 2,000 headers exceed common header-size limits (answer 431 or close is expected); 600 short
      // ones fit under them and so reach the server's own upgrade code.
      for (const count of [2000, 600]) {
        noteAnswer(
          ctx,
          `${count} headers`,
          await probeUpgrade(ctx, { headers: manyHeaders(count), retry: false }),
        );
        await requireServerServes(ctx, `an upgrade request with ${count} headers`);
      }
    },
  }),
  defineCase({
    // no application protocol needed: also for any WebSocket endpoint (--protocol generic)
    protocols: ['atheria', 'evolution', 'generic'],
    num: 104,
    suite: 'security',
    rule: 'C4',
    title: 'while an upgrade request trickles in over ~1.8 s, another client connects and gets a pong',
    faults: ['stall-on-slow-handshake'],
    hostile: true,
    async run(ctx: CaseContext) {
      await requireServesBefore(ctx);
      const raw = await rawSocket(ctx);
      try {
        // Slowloris: 36 pieces of the request, one every 50 ms, so the request completes only
        // after the other client's 1 s handshake budget has run out (had it to wait for it).
        const bytes = validRequest(ctx);
        const pieces = 36;
        const size = Math.ceil(bytes.length / pieces);
        const trickle = (async () => {
          for (let off = 0; off < bytes.length; off += size) {
            raw.write(bytes.subarray(off, off + size));
            await ctx.sleep(50);
          }
        })();
        trickle.catch(() => undefined); // awaited below; this only keeps an early exit from leaving it unhandled
        await ctx.sleep(250);
        await requireServerServesFast(ctx);
        await trickle;
        noteAnswer(ctx, 'the slow request', await raw.readHttpResponse(2000));
      } finally {
        raw.destroy();
      }
    },
  }),
  defineCase({
    // no application protocol needed: also for any WebSocket endpoint (--protocol generic)
    protocols: ['atheria', 'evolution', 'generic'],
    num: 105,
    suite: 'security',
    rule: 'C4',
    title: 'half-open upgrade requests left open do not keep other clients from connecting',
    faults: ['stall-on-slow-handshake'],
    hostile: true,
    async run(ctx: CaseContext) {
      await requireServesBefore(ctx);
      const request = validRequest(ctx).toString('latin1');
      const raws: RawConn[] = [];
      try {
        // A silent TCP connection, a request line only, and every header but the final blank line.
        const partials = ['', request.slice(0, request.indexOf('\r\n') + 2), request.slice(0, -2)];
        for (const partial of partials) {
          const raw = await rawSocket(ctx);
          raws.push(raw);
          if (partial !== '') raw.write(partial);
        }
        await requireServerServes(ctx, 'three half-open upgrade requests');
        await requireServerServes(ctx, 'three half-open upgrade requests (second client)');
      } finally {
        for (const raw of raws) raw.destroy();
      }
    },
  }),
];
