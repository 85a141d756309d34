// E8: command rollback {generation: g} in [0, current] → within 1 s (after updates already in
// flight) the evolution_updates continue from g: the first has generation g or g + 1 (a server MAY
// report the restored generation itself or only the next one, revision 2026-12-06), later ones
// count up from it. Out of range or an unknown cmd → an error (MUST), INVALID_COMMAND (SHOULD;
// EVOLUTION_FAILED for a generation out of range is non-strict), with no effect.
import { defineCase } from '../../src/engine/define-case.js';
import type { CaseContext } from '../../src/engine/types.js';
import {
  describe,
  errorOf,
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
    protocol: 'evolution',
    num: 13,
    suite: 'subscriptions',
    rule: 'E8',
    title:
      'rollback to an earlier generation g: within 1 s the updates continue from g (first g or g + 1, then counting up)',
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
        (m) => isUpdate(m) && (generationOf(m) === target || generationOf(m) === target + 1),
        ROLLBACK_WITHIN_MS,
      );
      ctx.require(
        hit !== null,
        `after rollback to generation ${target} (current ${current}) no evolution_update with generation ${target} or ${target + 1} within 1 s (E8)`,
      );
      const errors = conn.received.slice(at).filter(isError());
      ctx.require(errors.length === 0, `rollback to ${target} got ${errors.map(describe).join('; ')} (E8)`);
      const next = await nextSince(conn, indexOf(conn, hit) + 1, isUpdate, 1500);
      ctx.require(next !== null, `no evolution_update after the rolled-back generation ${target} (E6, E8)`);
      const g = generationOf(next);
      // Counting up from the restored generation, not jumping back towards `current`.
      const h = generationOf(hit);
      ctx.require(
        g > h && (g < current || g - h <= 3),
        `after rolling back to ${target} (from ${current}) the updates went ${h} then ${g}, not counting up from ${target} (E8)`,
      );
    },
  }),
  defineCase({
    protocol: 'evolution',
    num: 14,
    suite: 'subscriptions',
    rule: 'E8,E9',
    title: 'rollback out of range and unknown cmd get an error (INVALID_COMMAND, SHOULD) and change nothing',
    faults: ['evo-rollback-out-of-range-accepted', 'evo-invalid-command-other-code'],
    exclusive: 'evolution-run',
    timeoutMs: 15_000,
    async run(ctx: CaseContext) {
      const { conn, first } = await watchRun(ctx, caseSub(ctx.caseId));
      const current = generationOf(first);
      // E8: out of range and unknown cmd MUST get an error; a missing or wrongly typed generation
      // is a schema-invalid message (E9: silence is non-strict). All must change nothing.
      const bad: { command: Record<string, unknown>; errorMust: boolean }[] = [
        { command: { cmd: 'rollback', args: { generation: current + 1_000_000 } }, errorMust: true },
        { command: { cmd: 'rollback', args: { generation: -1 } }, errorMust: true },
        { command: { cmd: 'wsconform-unknown-cmd', args: {} }, errorMust: true },
        { command: { cmd: 'rollback', args: { generation: 1.5 } }, errorMust: false },
        { command: { cmd: 'rollback', args: {} }, errorMust: false },
      ];
      for (const { command, errorMust } of bad) {
        await paced(ctx, conn);
        const r = await sendAndSettle(conn, { type: 'command', ...command });
        ctx.require(
          r.pong !== null,
          `no pong after command ${JSON.stringify(command)}: the connection closed or stalled (E8, E9)`,
        );
        if (errorMust)
          ctx.require(r.errors.length > 0, `command ${JSON.stringify(command)} got no error (E8)`);
        ctx.should(
          r.errors.some(isError('INVALID_COMMAND')),
          `command ${JSON.stringify(command)} got ${r.errors.map((e) => String(errorOf(e)?.code)).join(', ') || 'no error'}; SHOULD be INVALID_COMMAND (${errorMust ? 'E8' : 'E9'})`,
          errorMust ? 'E8' : 'E9',
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
