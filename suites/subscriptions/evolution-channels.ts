// E4: a connection receives events only of the channels it subscribed to, nothing before its first
// subscribe; `channel`, `channels` and both (union) work; subscribing twice is idempotent.
import { defineCase } from '../../src/engine/define-case.js';
import type { CaseContext, Conn } from '../../src/engine/types.js';
import { allChannels, describe, isEvent, typesOf } from '../../src/protocols/evolution-client.js';
import { generationOf, isUpdate, requireUpdate, watchRun } from '../../src/protocols/evolution-observe.js';
import { connectAuthed, control, subscribe } from '../../src/protocols/evolution-session.js';
import { caseSub } from '../../src/protocols/evolution-tokens.js';

/** How long each case watches the traffic. */
const WATCH_MS = 2500;

/** Events on `conn` whose type is not carried by `channels`. */
function strays(conn: Conn, channels: string[]): string[] {
  const allowed = typesOf(channels);
  return conn.received.filter((m) => isEvent(m) && !allowed.has(m.type ?? '')).map(describe);
}

export default [
  defineCase({
    protocol: 'evolution',
    num: 1,
    suite: 'subscriptions',
    rule: 'E4',
    title: 'an authenticated connection receives no event before its first subscribe',
    faults: ['evo-leak-unsubscribed'],
    shares: 'evolution-run',
    async run(ctx: CaseContext) {
      // Events flow to the watcher meanwhile, so a leak would have something to leak.
      await watchRun(ctx, caseSub(ctx.caseId, 'watch'));
      const conn = await connectAuthed(ctx, { sub: caseSub(ctx.caseId) });
      await ctx.sleep(WATCH_MS);
      const got = conn.received.filter(isEvent);
      ctx.require(
        got.length === 0,
        `${got.length} event(s) before any subscribe, first ${got[0] ? describe(got[0]) : ''} (E4)`,
      );
    },
  }),
  defineCase({
    protocol: 'evolution',
    num: 2,
    suite: 'subscriptions',
    rule: 'E4',
    title: "a connection subscribed to one channel receives only that channel's event types",
    faults: ['evo-leak-unsubscribed'],
    shares: 'evolution-run',
    async run(ctx: CaseContext) {
      const { conn: watcher } = await watchRun(ctx, caseSub(ctx.caseId, 'watch'));
      const conns = new Map<string, Conn>();
      for (const channel of allChannels()) {
        const conn = await connectAuthed(ctx, { sub: caseSub(ctx.caseId, channel) });
        await subscribe(ctx, conn, { channels: [channel] });
        conns.set(channel, conn);
      }
      // E4: control-channel subscribers get log entries about control actions; resume is harmless.
      await control(watcher, 'resume');
      await ctx.sleep(WATCH_MS);
      for (const [channel, conn] of conns) {
        const wrong = strays(conn, [channel]);
        ctx.require(
          wrong.length === 0,
          `a '${channel}' subscriber received ${wrong.length} event(s) of other channels, first ${wrong[0]} (E4)`,
        );
        // Only the scope is this case's rule; a quiet channel (alerts are rare, E4 leaves the
        // control channel's content open) is noted, not judged.
        const own = conn.received.filter(isEvent).length;
        if (own === 0) ctx.note(`no '${channel}' event arrived within ${WATCH_MS} ms`);
      }
      const evo = conns.get('evolution');
      ctx.require(
        evo?.received.some(isUpdate),
        `the 'evolution' subscriber got no evolution_update within ${WATCH_MS} ms (E4, E6)`,
      );
    },
  }),
  defineCase({
    protocol: 'evolution',
    num: 3,
    suite: 'subscriptions',
    rule: 'E4',
    title: 'subscribe {channel} (singular) works, and subscribing twice is idempotent (no duplicates)',
    faults: ['evo-channel-singular-ignored'],
    shares: 'evolution-run',
    async run(ctx: CaseContext) {
      await watchRun(ctx, caseSub(ctx.caseId, 'watch'));
      const conn = await connectAuthed(ctx, { sub: caseSub(ctx.caseId) });
      await subscribe(ctx, conn, { channel: 'evolution' });
      await subscribe(ctx, conn, { channel: 'evolution' });
      await requireUpdate(ctx, conn, "after subscribe {channel: 'evolution'}");
      await ctx.sleep(WATCH_MS);
      const gens = conn.received.filter(isUpdate).map(generationOf);
      const repeated = gens.filter((g, i) => gens.indexOf(g) !== i);
      ctx.require(
        repeated.length === 0,
        `after subscribing twice, generation(s) ${repeated.join(', ')} were delivered twice (E4: idempotent)`,
      );
      const wrong = strays(conn, ['evolution']);
      ctx.require(wrong.length === 0, `events of other channels arrived: ${wrong[0]} (E4)`);
    },
  }),
  defineCase({
    protocol: 'evolution',
    num: 4,
    suite: 'subscriptions',
    rule: 'E4',
    title: 'subscribe with both channel and channels subscribes to their union',
    faults: ['evo-channel-singular-ignored'],
    shares: 'evolution-run',
    async run(ctx: CaseContext) {
      await watchRun(ctx, caseSub(ctx.caseId, 'watch'));
      // Both orders, so that ignoring either field loses the guaranteed evolution_update stream.
      const a = await connectAuthed(ctx, { sub: caseSub(ctx.caseId, 'a') });
      await subscribe(ctx, a, { channel: 'evolution', channels: ['metrics'] });
      const b = await connectAuthed(ctx, { sub: caseSub(ctx.caseId, 'b') });
      await subscribe(ctx, b, { channel: 'metrics', channels: ['evolution'] });
      await requireUpdate(ctx, a, "after subscribe {channel: 'evolution', channels: ['metrics']}");
      await requireUpdate(ctx, b, "after subscribe {channel: 'metrics', channels: ['evolution']}");
      await ctx.sleep(WATCH_MS);
      for (const [name, conn] of [
        ['first', a],
        ['second', b],
      ] as const) {
        const wrong = strays(conn, ['evolution', 'metrics']);
        ctx.require(
          wrong.length === 0,
          `the ${name} connection received events of other channels: ${wrong[0]} (E4)`,
        );
        if (!conn.received.some((m) => m.type === 'metrics'))
          ctx.note(`the ${name} connection got no metrics within ${WATCH_MS} ms`);
      }
    },
  }),
];
