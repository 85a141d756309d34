// E6: `control` acts on the one shared run: pause/stop stop evolution_updates within 1 s,
// resume/start make them flow (at least one per second); a command that does not fit the state
// changes nothing (MUST), answered with no error (preferred) or an error (both conform, revision
// 2026-12-06); an unknown action or out-of-range parameters get an error (MUST), INVALID_COMMAND
// (SHOULD), and have no effect; a tighter limit refusing an in-range value is informational.
// Each case restores the running state.
import { defineCase } from '../../src/engine/define-case.js';
import type { CaseContext, Conn } from '../../src/engine/types.js';
import { describe, errorOf, isError, sendAndSettle } from '../../src/protocols/evolution-client.js';
import {
  generationOf,
  isUpdate,
  nextUpdate,
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

/** E6 parameter ranges: population_size integer 1..10000, mutation_rate number 0..1; sent while paused, so `resume` fits the state. */
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
    protocol: 'evolution',
    num: 8,
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
    protocol: 'evolution',
    num: 9,
    suite: 'subscriptions',
    rule: 'E6',
    title:
      'control with an unknown action or out-of-range parameters gets an error (INVALID_COMMAND, SHOULD) and no effect; in-range parameters are accepted (a tighter limit is informational)',
    faults: ['evo-control-bad-param-accepted', 'evo-invalid-command-other-code'],
    exclusive: 'evolution-run',
    timeoutMs: 30_000,
    async run(ctx: CaseContext) {
      const sub = caseSub(ctx.caseId);
      try {
        const { conn } = await watchRun(ctx, sub);
        const paused = await control(conn, 'pause');
        ctx.precondition(
          paused.length === 0,
          `control pause got ${paused.map(describe).join('; ')}`,
          'EVO-SUBSCRIPTIONS-008',
        );
        await ctx.sleep(PAUSE_STOPS_MS);
        for (const bad of BAD_CONTROLS) {
          await paced(ctx, conn);
          const parameters = bad['parameters'];
          const r = await sendAndSettle(conn, {
            type: 'control',
            action: bad['action'],
            ...(parameters === undefined ? {} : { parameters }),
          });
          // That the connection stays open after a refused message is E9's (EVO-ERRORS-003).
          ctx.precondition(
            conn.isOpen && r.pong !== null,
            `the connection closed or stalled after control ${JSON.stringify(bad)}`,
            'EVO-ERRORS-003',
          );
          ctx.require(r.errors.length > 0, `control ${JSON.stringify(bad)} got no error (E6)`);
          ctx.should(
            r.errors.some(isError('INVALID_COMMAND')),
            `control ${JSON.stringify(bad)} got ${r.errors.map((e) => String(errorOf(e)?.code)).join(', ')}; SHOULD be INVALID_COMMAND (E6)`,
          );
        }
        // No effect: the refused resumes left the run paused.
        const late = await conn.collect(QUIET_MS, isUpdate);
        ctx.require(
          late.length === 0,
          `the run resumed although every resume carried out-of-range parameters: ${late.length} evolution_update(s), first ${late[0] ? describe(late[0]) : ''} (E6: no effect)`,
        );
        for (const parameters of GOOD_PARAMETERS) {
          await paced(ctx, conn, 4);
          const errors = await control(conn, 'resume', parameters);
          if (errors.length) {
            // E6: a server MAY have tighter limits; the run must then still resume without them.
            ctx.inform(
              `control resume with in-range ${JSON.stringify(parameters)} was refused: ${errors.map(describe).join('; ')} (E6: a tighter limit)`,
            );
            const plain = await control(conn, 'resume');
            ctx.precondition(
              plain.length === 0,
              `control resume got ${plain.map(describe).join('; ')}`,
              'EVO-SUBSCRIPTIONS-008',
            );
          }
          await requireUpdate(ctx, conn, `after control resume ${JSON.stringify(parameters)}`);
          const again = await control(conn, 'pause');
          ctx.precondition(
            again.length === 0,
            `control pause got ${again.map(describe).join('; ')}`,
            'EVO-SUBSCRIPTIONS-008',
          );
          await ctx.sleep(PAUSE_STOPS_MS);
        }
      } finally {
        await restoreRunning(ctx, sub);
      }
    },
  }),
  defineCase({
    protocol: 'evolution',
    num: 10,
    suite: 'subscriptions',
    rule: 'E6',
    title:
      'commands that do not fit the state (resume/start while running, pause while paused, resume after stop) change nothing',
    faults: ['evo-start-restarts'],
    exclusive: 'evolution-run',
    timeoutMs: 30_000,
    async run(ctx: CaseContext) {
      const sub = caseSub(ctx.caseId);
      const answered: string[] = [];
      const noted = (action: string, state: string, errors: readonly unknown[]) => {
        if (errors.length) answered.push(`${action} while ${state}`);
      };
      try {
        const { conn } = await watchRun(ctx, sub);
        let last = await requireUpdate(ctx, conn, 'while running');
        for (const action of ['resume', 'start'] as const) {
          noted(action, 'running', await control(conn, action));
          const next = await requireUpdate(
            ctx,
            conn,
            `after control ${action} while running (E6: it changes nothing)`,
          );
          ctx.require(
            generationOf(next) >= generationOf(last),
            `control ${action} while running restarted the run: generation ${generationOf(last)} then ${generationOf(next)} (E6: changes nothing)`,
          );
          last = next;
        }
        await expectHalted(ctx, conn, 'pause', 'running');
        noted('pause', 'paused', await control(conn, 'pause'));
        await expectStill(ctx, conn, 'pause while paused');
        const resumed = await control(conn, 'resume');
        ctx.precondition(
          resumed.length === 0,
          `control resume after pause got ${resumed.map(describe).join('; ')}`,
          'EVO-SUBSCRIPTIONS-008',
        );
        await requireUpdate(ctx, conn, 'after control resume');
        await expectHalted(ctx, conn, 'stop', 'running');
        noted('resume', 'stopped', await control(conn, 'resume'));
        await expectStill(ctx, conn, 'resume after stop');
        if (answered.length) ctx.note(`answered with an error (conforms, E6): ${answered.join('; ')}`);
      } finally {
        await restoreRunning(ctx, sub);
      }
    },
  }),
];

/** `pause`/`stop` as the precondition of a state-dependent check (EVO-SUBSCRIPTIONS-008 checks them). */
async function expectHalted(
  ctx: CaseContext,
  conn: Conn,
  action: 'pause' | 'stop',
  from: string,
): Promise<void> {
  const errors = await control(conn, action);
  ctx.precondition(
    errors.length === 0,
    `control ${action} while ${from} got ${errors.map(describe).join('; ')}`,
    'EVO-SUBSCRIPTIONS-008',
  );
  await ctx.sleep(PAUSE_STOPS_MS);
  const late = await conn.collect(QUIET_MS, isUpdate);
  ctx.precondition(
    late.length === 0,
    `evolution_updates went on after control ${action}`,
    'EVO-SUBSCRIPTIONS-008',
  );
}

/** After a command that does not fit a halted run, no update may come (E6: changes nothing). */
async function expectStill(ctx: CaseContext, conn: Conn, what: string): Promise<void> {
  const update = await nextUpdate(conn, QUIET_MS);
  ctx.require(
    update === null,
    `after ${what} the run moved on: ${update ? describe(update) : ''} (E6: a command that does not fit the state changes nothing)`,
  );
}
