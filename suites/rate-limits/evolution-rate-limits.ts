// E10: per-connection message and data limits, per-user connection limit. The limits are target
// settings: taken from the run's configuration (profile defaults, or --rate-* flags). Levels
// (revision 2026-12-06): the message window SHOULD be sliding — a fixed-window limiter, which lets
// up to twice the limit through across a window boundary, is non-strict, more is FAIL; close codes
// 1008 (SHOULD) or 4000–4999 conform; closing over the data limit is a SHOULD.
import { defineCase } from '../../src/engine/define-case.js';
import type { CaseContext, Conn } from '../../src/engine/types.js';
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
import { EVOLUTION_PRECONDITIONS } from '../../src/protocols/evolution.js';
import { paced } from '../../src/protocols/evolution-observe.js';
import { bearer, closeCodeConforms, expectError, probeAuth } from '../../src/protocols/evolution-session.js';
import { caseSub, tokensFor } from '../../src/protocols/evolution-tokens.js';

/** After a flood sent at once, how long to count the answers. */
const COUNT_MS = 1500;

/**
 * Bursts that tell a fixed-window limiter from a sliding one whatever the window's phase: pairs of
 * bursts of `limit` pings, the second PAIR_GAP_MS after the first, pairs PAIR_PERIOD_MS apart.
 * A sliding window answers only the first burst of each pair; the (PAIR_GAP_MS-long) gaps of five
 * pairs, shifted by 400 ms modulo 1 s each, cover every phase, so a fixed window's boundary falls
 * inside one of them and that pair gets more than `limit` answers.
 */
const PAIRS = 5;
const PAIR_GAP_MS = 250;
const PAIR_PERIOD_MS = 1400;

/** The connection is authenticated by its bearer header (EVO-AUTH-001 checks that), else `error`. */
async function requireHeaderAuth(ctx: CaseContext, conn: Conn): Promise<void> {
  const probe = await probeAuth(conn);
  ctx.precondition(
    probe.state !== 'unauthenticated',
    `a valid bearer token did not authenticate the connection (get_agent got ${probe.answer.map(describe).join('; ') || 'no answer'})`,
    EVOLUTION_PRECONDITIONS.auth,
  );
}

function flood(conn: Conn, n: number): void {
  const base = pingTimestamp();
  for (let i = 0; i < n; i++) conn.sendJson({ type: 'ping', timestamp: base + i });
}

export default [
  defineCase({
    protocol: 'evolution',
    num: 1,
    suite: 'rate-limits',
    rule: 'E10',
    title:
      'pings over the message rate: RATE_LIMITED is sent, at most 2× the limit is acted on in 1 s, at most the limit with a sliding window (SHOULD)',
    faults: ['evo-no-msg-rate-limit', 'evo-msg-rate-fixed-window'],
    timeoutMs: 25_000,
    hostile: true,
    async run(ctx: CaseContext) {
      const limit = ctx.config.limits.msgsPerSecond;
      // Header auth: no message is spent before the flood, so the whole window is the flood's.
      const token = await tokensFor(ctx, caseSub(ctx.caseId)).valid();
      const conn = await ctx.connect(bearer(token));
      const at = mark(conn);
      flood(conn, 3 * limit);
      await ctx.sleep(COUNT_MS);
      const pongs = since(conn, at, isType('pong')).length;
      const limited = since(conn, at, isError('RATE_LIMITED'));
      ctx.require(
        pongs <= 2 * limit,
        `${3 * limit} pings sent at once got ${pongs} pongs; more than ${2 * limit} acted on within 1 s (E10)`,
      );
      ctx.require(limited.length >= 1, `${3 * limit} pings sent at once got no error RATE_LIMITED (E10)`);
      ctx.should(
        pongs <= limit,
        `${3 * limit} pings sent at once got ${pongs} pongs: over ${limit} in one second (E10: the window SHOULD be sliding)`,
      );
      if (pongs === 0)
        ctx.inform('no ping of the flood was answered, not even the first ones within the limit');
      // Pairs of bursts (see PAIRS): more than `limit` answers in one pair is a fixed window. The
      // pairs are 1.4 s apart and pongs come within milliseconds: a pair's answers are those
      // received between its first burst and the next pair's.
      const t0 = Date.now();
      const marks: number[] = [];
      for (let i = 0; i < PAIRS && conn.isOpen; i++) {
        const due = t0 + i * PAIR_PERIOD_MS;
        await ctx.sleep(Math.max(0, due - Date.now()));
        marks.push(mark(conn));
        flood(conn, limit);
        await ctx.sleep(Math.max(0, due + PAIR_GAP_MS - Date.now()));
        flood(conn, limit);
      }
      await ctx.sleep(PAIR_PERIOD_MS - PAIR_GAP_MS);
      if (!conn.isOpen) {
        ctx.inform(
          'the server closed the flooding connection (E10: MAY after 5 s of flooding); the window was not checked further',
        );
        return;
      }
      marks.push(mark(conn));
      const perPair = marks
        .slice(0, -1)
        .map((from, i) => conn.received.slice(from, marks[i + 1]).filter(isType('pong')).length);
      const worst = Math.max(...perPair);
      ctx.require(
        worst <= 2 * limit,
        `a pair of bursts ${PAIR_GAP_MS} ms apart got ${worst} pongs; more than ${2 * limit} acted on within 1 s (E10)`,
      );
      ctx.should(
        worst <= limit,
        `pairs of ${limit}-ping bursts ${PAIR_GAP_MS} ms apart got [${perPair.join(', ')}] pongs: over ${limit} within 1 s, a fixed-window limiter (E10: SHOULD be sliding)`,
      );
    },
  }),
  defineCase({
    protocol: 'evolution',
    num: 2,
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
      for (let i = 0; i < limit; i++) {
        const r = await ctx.open(bearer(token));
        // E10: a user may hold `limit` connections; refusing one of them (429) breaks the limit.
        if (!r.ok && r.status === 429)
          ctx.fail(
            `connection ${i + 1} of one user was refused with HTTP 429; the limit is ${limit} per user (E10)`,
          );
        ctx.precondition(
          r.ok,
          `connection ${i + 1} of one user was refused: HTTP ${r.status}`,
          EVOLUTION_PRECONDITIONS.handshake,
        );
        conns.push(r.conn);
        // The limit counts authenticated users: header authentication is what this case needs.
        if (i === 0) await requireHeaderAuth(ctx, r.conn);
      }
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
        ctx.require(closed !== null, `connection ${limit + 1} got RATE_LIMITED but was not closed (E10)`);
        ctx.should(
          closeCodeConforms(closed.code),
          `connection ${limit + 1} got RATE_LIMITED, then close ${closed.code}; SHOULD be 1008 (or 4000–4999) (E10)`,
        );
      }
      for (const [i, conn] of conns.entries()) {
        const rt = await roundTrip(conn);
        ctx.require(
          conn.isOpen && rt.pong !== null,
          `connection ${i + 1} of ${limit} stopped working after the refused one (E10)`,
        );
      }
      const otherOpen = await ctx.open(bearer(await tokensFor(ctx, caseSub(ctx.caseId, 'other')).valid()));
      if (!otherOpen.ok && otherOpen.status === 429)
        ctx.fail(
          `another user's first connection was refused with HTTP 429 (E10: the limit counts per user)`,
        );
      ctx.precondition(
        otherOpen.ok,
        `another user's connection was refused: HTTP ${otherOpen.status}`,
        EVOLUTION_PRECONDITIONS.handshake,
      );
      const other = otherOpen.conn;
      const probe = await probeAuth(other);
      ctx.require(
        probe.state !== 'unauthenticated',
        `another user was affected by the first user's limit: ${probe.answer.map(describe).join('; ') || 'no answer'} (E10)`,
      );
    },
  }),
  defineCase({
    protocol: 'evolution',
    num: 3,
    suite: 'rate-limits',
    rule: 'E10',
    title:
      'more than the data limit per minute, in messages under the size and rate limits, gets RATE_LIMITED, then a close (SHOULD)',
    faults: ['evo-no-byte-limit', 'evo-byte-limit-no-close'],
    hostile: true,
    timeoutMs: 45_000,
    async run(ctx: CaseContext) {
      const { bytesPerMinute, maxMessageBytes } = ctx.config.limits;
      const size = Math.max(1024, Math.min(Math.floor(maxMessageBytes / 2), Math.ceil(bytesPerMinute / 20)));
      const count = Math.ceil(bytesPerMinute / size) + 2;
      const token = await tokensFor(ctx, caseSub(ctx.caseId)).valid();
      const conn = await ctx.connect(bearer(token));
      await requireHeaderAuth(ctx, conn);
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
      ctx.should(
        closed !== null && closeCodeConforms(closed.code),
        `over the data limit the connection was ${closed ? `closed with ${closed.code}` : 'not closed'}; SHOULD close with 1008 or 4000–4999 (E10)`,
      );
    },
  }),
];
