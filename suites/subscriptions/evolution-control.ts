// E6: `control` acts on the one shared run: pause/stop stop evolution_updates within 1 s,
// resume/start make them flow (at least one per second); resume/start while running are no
// errors; bad actions and out-of-range parameters get INVALID_COMMAND. Each case restores running.
import { type CaseContext, defineCase } from '../../src/engine/types.js';
import { describe, isError } from '../../src/protocols/evolution-client.js';
import {
  isUpdate,
  PAUSE_STOPS_MS,
  paced,
  requireUpdate,
  watchRun,
} from '../../src/protocols/evolution-observe.js';
import { control, restoreRunning } from '../../src/protocols/evolution-session.js';
import { caseSub } from '../../src/protocols/evolution-tokens.js';

// Longer than the 1 s between updates that E6 guarantees while running: a run that did not stop
// shows at least one update in this window.
const QUIET_MS = 1100;

/** E6 parameter ranges: population_size integer 1..10000, mutation_rate number 0..1. */
const BAD_CONTROLS: readonly Record<string, unknown>[] = [
  { action: 'explode' },
  { action: 'resume', parameters: { population_size: 0 } },
  { action: 'resume', parameters: { population_size: 10001 } },
  { action: 'resume', parameters: { population_size: 2.5 } },
  { action: 'resume', parameters: { population_size: '100' } },
  { action: 'resume', parameters: { mutation_rate: -0.01 } },
  { action: 'resume', parameters: { mutation_rate: 1.01 } },
  { action: 'resume', parameters: { mutation_rate: 'high' } },
];
const GOOD_PARAMETERS: readonly Record<string, number>[] = [
  { population_size: 1, mutation_rate: 0 },
  { population_size: 10000, mutation_rate: 1 },
  { population_size: 100, mutation_rate: 0.15 },
];

export default [
  defineCase({
    id: 'EVO-SUBSCRIPTIONS-008',
    protocol: 'evolution',
    suite: 'subscriptions',
    rule: 'E6',
    title: 'control pause/stop stop evolution_updates within 1 s; resume/start make them flow again',
    faults: ['evo-pause-ignored'],
    exclusive: 'evolution-run',
    timeoutMs: 20_000,
    async run(ctx: CaseContext) {
      const sub = caseSub(ctx.caseId);
      try {
        const { conn } = await watchRun(ctx, sub);
        for (const [halt, go] of [
          ['pause', 'resume'],
          ['stop', 'start'],
        ] as const) {
          const e1 = await control(conn, halt);
          ctx.require(e1.length === 0, `control ${halt} got ${e1.map(describe).join('; ')} (E6)`);
          await ctx.sleep(PAUSE_STOPS_MS);
          const late = await conn.collect(QUIET_MS, isUpdate);
          ctx.require(
            late.length === 0,
            `${late.length} evolution_update(s) more than 1 s after control ${halt}, first ${late[0] ? describe(late[0]) : ''} (E6)`,
          );
          const e2 = await control(conn, go);
          ctx.require(e2.length === 0, `control ${go} after ${halt} got ${e2.map(describe).join('; ')} (E6)`);
          await requireUpdate(ctx, conn, `after control ${go}`);
        }
      } finally {
        await restoreRunning(ctx, sub);
      }
    },
  }),
  defineCase({
    id: 'EVO-SUBSCRIPTIONS-009',
    protocol: 'evolution',
    suite: 'subscriptions',
    rule: 'E6',
    title:
      'control with an unknown action or out-of-range parameters gets INVALID_COMMAND; in-range parameters are accepted',
    faults: ['evo-control-bad-param-accepted'],
    exclusive: 'evolution-run',
    timeoutMs: 20_000,
    async run(ctx: CaseContext) {
      const sub = caseSub(ctx.caseId);
      try {
        const { conn } = await watchRun(ctx, sub);
        for (const bad of BAD_CONTROLS) {
          await paced(ctx, conn);
          const errors = await control(
            conn,
            String(bad['action']),
            bad['parameters'] as Record<string, unknown> | undefined,
          );
          ctx.require(
            errors.some(isError('INVALID_COMMAND')),
            `control ${JSON.stringify(bad)} got ${errors.map(describe).join('; ') || 'no error'} instead of INVALID_COMMAND (E6)`,
          );
        }
        for (const parameters of GOOD_PARAMETERS) {
          await paced(ctx, conn);
          const errors = await control(conn, 'resume', parameters);
          ctx.require(
            errors.length === 0,
            `control resume with in-range ${JSON.stringify(parameters)} got ${errors.map(describe).join('; ')} (E6)`,
          );
        }
        await requireUpdate(
          ctx,
          conn,
          'after the control messages: the run must still be running (E6, E9: no effect)',
        );
      } finally {
        await restoreRunning(ctx, sub);
      }
    },
  }),
  defineCase({
    id: 'EVO-SUBSCRIPTIONS-010',
    protocol: 'evolution',
    suite: 'subscriptions',
    rule: 'E6',
    title: 'resume and start while running are not errors and the updates keep flowing',
    faults: ['evo-resume-error'],
    exclusive: 'evolution-run',
    async run(ctx: CaseContext) {
      const sub = caseSub(ctx.caseId);
      try {
        const { conn } = await watchRun(ctx, sub);
        for (const action of ['resume', 'start'] as const) {
          const errors = await control(conn, action);
          ctx.require(
            errors.length === 0,
            `control ${action} while running got ${errors.map(describe).join('; ')} (E6: not an error)`,
          );
          await requireUpdate(ctx, conn, `after control ${action} while running`);
        }
      } finally {
        await restoreRunning(ctx, sub);
      }
    },
  }),
];
