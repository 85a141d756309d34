// E10: per-connection message and data limits, per-user connection limit. The limits are target
// settings: taken from the run's configuration (profile defaults, or --rate-* flags).
import { type CaseContext, defineCase } from '../../src/engine/types.js';
import {
  describe,
  isError,
  isType,
  mark,
  nextSince,
  pingTimestamp,
  roundTrip,
  since,
} from '../../src/protocols/evolution-client.js';
import { paced } from '../../src/protocols/evolution-observe.js';
import { bearer, expectError, probeAuth } from '../../src/protocols/evolution-session.js';
import { caseSub, tokensFor } from '../../src/protocols/evolution-tokens.js';

/** After a flood sent at once, how long to count the answers. */
const COUNT_MS = 1500;

export default [
  defineCase({
    id: 'EVO-RATE-LIMITS-001',
    protocol: 'evolution',
    suite: 'rate-limits',
    rule: 'E10',
    title:
      '3× the message rate of pings sent at once: at most the limit is answered, and RATE_LIMITED is sent',
    faults: ['evo-no-msg-rate-limit'],
    hostile: true,
    async run(ctx: CaseContext) {
      const limit = ctx.config.limits.msgsPerSecond;
      // Header auth: no message is spent before the flood, so the whole window is the flood's.
      const token = await tokensFor(ctx, caseSub(ctx.caseId)).valid();
      const conn = await ctx.connect(bearer(token));
      const at = mark(conn);
      const base = pingTimestamp();
      for (let i = 0; i < 3 * limit; i++) conn.sendJson({ type: 'ping', timestamp: base + i });
      await ctx.sleep(COUNT_MS);
      const pongs = since(conn, at, isType('pong')).length;
      const limited = since(conn, at, isError('RATE_LIMITED')).length;
      ctx.require(
        pongs <= limit,
        `${3 * limit} pings sent at once got ${pongs} pongs; at most ${limit} may be acted on (E10)`,
      );
      ctx.require(limited >= 1, `${3 * limit} pings sent at once got no error RATE_LIMITED (E10)`);
      if (pongs === 0)
        ctx.inform('no ping of the flood was answered, not even the first ones within the limit');
    },
  }),
  defineCase({
    id: 'EVO-RATE-LIMITS-002',
    protocol: 'evolution',
    suite: 'rate-limits',
    rule: 'E10',
    title:
      'one connection over the per-user limit is refused (429 or RATE_LIMITED + 1008); the others and other users keep working',
    faults: ['evo-no-conn-limit', 'evo-conn-limit-global'],
    hostile: true,
    timeoutMs: 20_000,
    async run(ctx: CaseContext) {
      const limit = ctx.config.limits.connsPerUser;
      const token = await tokensFor(ctx, caseSub(ctx.caseId)).valid();
      const conns = [];
      for (let i = 0; i < limit; i++) conns.push(await ctx.connect(bearer(token)));
      const over = await ctx.open(bearer(token));
      if (!over.ok) {
        ctx.require(
          over.status === 429,
          `connection ${limit + 1} of one user got HTTP ${over.status || over.error} instead of 429 (E10)`,
        );
      } else {
        const err = await expectError(over.conn, 'RATE_LIMITED', 2000);
        ctx.require(
          err !== null,
          `connection ${limit + 1} of one user was upgraded and got no RATE_LIMITED within 2 s (E10)`,
        );
        const closed = await over.conn.closed(2000);
        ctx.require(
          closed?.code === 1008,
          `connection ${limit + 1} got RATE_LIMITED but was ${closed ? `closed with ${closed.code}` : 'not closed'} instead of 1008 (E10)`,
        );
      }
      for (const [i, conn] of conns.entries()) {
        const rt = await roundTrip(conn);
        ctx.require(
          conn.isOpen && rt.pong !== null,
          `connection ${i + 1} of ${limit} stopped working after the refused one (E10)`,
        );
      }
      const other = await ctx.connect(bearer(await tokensFor(ctx, caseSub(ctx.caseId, 'other')).valid()));
      const probe = await probeAuth(other);
      ctx.require(
        probe.state === 'authenticated',
        `another user was affected by the first user's limit: ${probe.answer.map(describe).join('; ') || 'no answer'} (E10)`,
      );
    },
  }),
  defineCase({
    id: 'EVO-RATE-LIMITS-003',
    protocol: 'evolution',
    suite: 'rate-limits',
    rule: 'E10',
    title:
      'more than the data limit per minute, in messages under the size and rate limits, gets RATE_LIMITED then close 1008',
    faults: ['evo-no-byte-limit'],
    hostile: true,
    timeoutMs: 45_000,
    async run(ctx: CaseContext) {
      const { bytesPerMinute, maxMessageBytes } = ctx.config.limits;
      const size = Math.max(1024, Math.min(Math.floor(maxMessageBytes / 2), Math.ceil(bytesPerMinute / 20)));
      const count = Math.ceil(bytesPerMinute / size) + 2;
      const token = await tokensFor(ctx, caseSub(ctx.caseId)).valid();
      const conn = await ctx.connect(bearer(token));
      const at = mark(conn);
      const pad = 'x'.repeat(size - 80);
      let sent = 0;
      for (let i = 0; i < count && conn.isOpen; i++) {
        await paced(ctx, conn, 1);
        // C6: unknown extra fields are tolerated, so this is a valid ping of `size` bytes.
        conn.sendText(JSON.stringify({ type: 'ping', timestamp: pingTimestamp(), pad }));
        sent += size;
      }
      const err = await nextSince(conn, at, isError('RATE_LIMITED'), 5000);
      ctx.require(
        err !== null,
        `about ${sent} bytes in ${count} messages of ${size} bytes got no RATE_LIMITED (E10: limit ${bytesPerMinute} bytes/min)`,
      );
      const closed = await conn.closed(5000);
      ctx.require(
        closed?.code === 1008,
        `over the data limit the connection was ${closed ? `closed with ${closed.code}` : 'not closed'} instead of 1008 (E10)`,
      );
    },
  }),
];
