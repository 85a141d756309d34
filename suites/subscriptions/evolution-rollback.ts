// E8: command rollback {generation} in [0, current] → within 1 s an evolution_update with exactly
// that generation (in-flight updates may come first), and later generations continue from it;
// out of range or an unknown cmd → INVALID_COMMAND, with no effect.
import { type CaseContext, defineCase } from '../../src/engine/types.js';
import {
  describe,
  indexOf,
  isError,
  mark,
  nextSince,
  sendAndSettle,
} from '../../src/protocols/evolution-client.js';
import {
  generationOf,
  isUpdate,
  nextUpdate,
  paced,
  requireUpdate,
  watchRun,
} from '../../src/protocols/evolution-observe.js';
import { caseSub } from '../../src/protocols/evolution-tokens.js';

/** E8: the rolled-back generation arrives within 1 s; 200 ms for scheduling. */
const ROLLBACK_WITHIN_MS = 1200;
/** Roll back this far, so that no in-flight update can be mistaken for the rolled-back one. */
const BACK = 10;

export default [
  defineCase({
    id: 'EVO-SUBSCRIPTIONS-013',
    protocol: 'evolution',
    suite: 'subscriptions',
    rule: 'E8',
    title:
      'rollback to an earlier generation: that generation arrives within 1 s and the run continues from it',
    faults: ['evo-rollback-ignored'],
    exclusive: 'evolution-run',
    timeoutMs: 20_000,
    async run(ctx: CaseContext) {
      const { conn, first } = await watchRun(ctx, caseSub(ctx.caseId));
      let latest = first;
      // Let the run get a little ahead of 0 (a fresh server may just have started).
      for (let i = 0; i < 20 && generationOf(latest) < 2; i++)
        latest = await requireUpdate(ctx, conn, 'while waiting for generation 2');
      const current = generationOf(latest);
      const target = Math.max(0, current - BACK);
      const at = mark(conn);
      conn.sendJson({ type: 'command', cmd: 'rollback', args: { generation: target } });
      const hit = await nextSince(
        conn,
        at,
        (m) => isUpdate(m) && generationOf(m) === target,
        ROLLBACK_WITHIN_MS,
      );
      ctx.require(
        hit !== null,
        `after rollback to generation ${target} (current ${current}) no evolution_update with generation ${target} within 1 s (E8)`,
      );
      const errors = conn.received.slice(at).filter(isError());
      ctx.require(errors.length === 0, `rollback to ${target} got ${errors.map(describe).join('; ')} (E8)`);
      const next = await nextSince(conn, indexOf(conn, hit) + 1, isUpdate, 1500);
      ctx.require(next !== null, `no evolution_update after the rolled-back generation ${target} (E6, E8)`);
      const g = generationOf(next);
      ctx.require(
        g > target && g < current,
        `after rolling back to ${target} (from ${current}) the next generation was ${g}, not continuing from ${target} (E8)`,
      );
    },
  }),
  defineCase({
    id: 'EVO-SUBSCRIPTIONS-014',
    protocol: 'evolution',
    suite: 'subscriptions',
    rule: 'E8,E9',
    title: 'rollback out of range and unknown cmd get INVALID_COMMAND and change nothing',
    faults: ['evo-rollback-out-of-range-accepted'],
    exclusive: 'evolution-run',
    timeoutMs: 15_000,
    async run(ctx: CaseContext) {
      const { conn, first } = await watchRun(ctx, caseSub(ctx.caseId));
      const current = generationOf(first);
      const bad = [
        { cmd: 'rollback', args: { generation: current + 1_000_000 } },
        { cmd: 'rollback', args: { generation: -1 } },
        { cmd: 'rollback', args: { generation: 1.5 } },
        { cmd: 'rollback', args: {} },
        { cmd: 'wsconform-unknown-cmd', args: {} },
      ];
      for (const command of bad) {
        await paced(ctx, conn);
        const r = await sendAndSettle(conn, { type: 'command', ...command });
        ctx.require(
          r.errors.some(isError('INVALID_COMMAND')),
          `command ${JSON.stringify(command)} got ${r.errors.map(describe).join('; ') || 'no error'} instead of INVALID_COMMAND (E8)`,
        );
      }
      // No effect: the run neither jumped ahead nor went back.
      const after = await nextUpdate(conn, 1500);
      ctx.require(after !== null, 'no evolution_update after the refused commands (E6)');
      const g = generationOf(after);
      ctx.require(
        g >= current && g < current + 1000,
        `after refused rollbacks the generation went from ${current} to ${g} (E8: no effect)`,
      );
    },
  }),
];
