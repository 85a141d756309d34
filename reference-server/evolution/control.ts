// E6 `control {action, parameters?}` and E8 `command {cmd: "rollback", args: {generation}}` on the
// one shared run. Both are logged to the control channel.
import type { Evo } from './context.js';
import { invalid, quote, Rejection, rejected } from './errors.js';
import type { RunPublisher } from './events.js';
import { isRecord, type Msg, own } from './read.js';
import type { ControlAction, ParamChange } from './run.js';
import type { Session } from './session.js';

const ACTIONS: readonly string[] = ['start', 'stop', 'pause', 'resume'] satisfies ControlAction[];
const isAction = (a: unknown): a is ControlAction => typeof a === 'string' && ACTIONS.includes(a);

/** E6: population_size integer 1..10000, mutation_rate number 0..1; `lenient` is the fault's clamping */
function readParameters(value: unknown, lenient: boolean): ParamChange | Rejection | undefined {
  if (value === undefined) return undefined;
  if (!isRecord(value)) return invalid('control.parameters must be an object');
  const out: ParamChange = {};
  const size = own(value, 'population_size');
  const rate = own(value, 'mutation_rate');
  if (size !== undefined) {
    const ok = Number.isInteger(size) && (size as number) >= 1 && (size as number) <= 10_000;
    if (ok) out.populationSize = size as number;
    else if (lenient && typeof size === 'number' && Number.isFinite(size)) {
      out.populationSize = Math.min(10_000, Math.max(1, Math.round(size)));
    } else return invalid('parameters.population_size must be an integer in 1..10000');
  }
  if (rate !== undefined) {
    const ok = typeof rate === 'number' && rate >= 0 && rate <= 1;
    if (ok) out.mutationRate = rate;
    else if (lenient && typeof rate === 'number' && Number.isFinite(rate)) out.mutationRate = Math.min(1, Math.max(0, rate));
    else return invalid('parameters.mutation_rate must be a number in 0..1');
  }
  return out.populationSize === undefined && out.mutationRate === undefined ? undefined : out;
}

export function control(evo: Evo, publisher: RunPublisher, session: Session, msg: Msg): Rejection | undefined {
  const action = own(msg, 'action');
  if (!isAction(action)) return invalid('control.action must be one of start, stop, pause, resume');
  // evo-control-bad-param-accepted (E6): out-of-range parameters are clamped silently
  const params = readParameters(own(msg, 'parameters'), evo.has('evo-control-bad-param-accepted'));
  if (params instanceof Rejection) return params;
  const { run } = evo;
  const wasRunning = run.state === 'running';
  // evo-start-restarts (E6): start while running restarts the run from generation 0
  if (action === 'start' && wasRunning && evo.has('evo-start-restarts')) run.control('stop', undefined);
  // evo-pause-ignored (E6): pause/stop change nothing
  const ignored = (action === 'pause' || action === 'stop') && evo.has('evo-pause-ignored');
  const changed = ignored ? false : run.control(action, params);
  publisher.controlLog(`Control ${action}: the run is ${run.state}${changed ? '' : ' (no change)'}`, {
    action,
    state: run.state,
    generation: run.generation,
    population_size: run.populationSize,
    user: session.user ?? null,
  });
  return undefined;
}

/** E8: rollback to a generation in [0, current]; the update with exactly that generation follows at once */
export function command(evo: Evo, publisher: RunPublisher, session: Session, msg: Msg): Rejection | undefined {
  const cmd = own(msg, 'cmd');
  if (typeof cmd !== 'string') return invalid('command.cmd must be a string');
  if (cmd !== 'rollback') return rejected('INVALID_COMMAND', `unknown command ${quote(cmd)} (known: rollback)`);
  const args = own(msg, 'args');
  if (!isRecord(args)) return invalid('command.args must be an object');
  const generation = own(args, 'generation');
  if (typeof generation !== 'number' || !Number.isInteger(generation) || generation < 0) {
    return invalid('args.generation must be an integer >= 0');
  }
  const current = evo.run.generation;
  if (generation > current) {
    // evo-rollback-out-of-range-accepted (E8): a future generation gets no error
    if (evo.has('evo-rollback-out-of-range-accepted')) return undefined;
    return rejected('INVALID_COMMAND', `generation ${generation} is beyond the current generation ${current}`, {
      generation,
      current_generation: current,
    });
  }
  // evo-rollback-ignored (E8): accepted without effect
  if (evo.has('evo-rollback-ignored')) return undefined;
  const report = evo.run.rollback(generation);
  if (!report) return rejected('EVOLUTION_FAILED', `generation ${generation} cannot be restored`);
  publisher.evolutionUpdate(report);
  publisher.controlLog(`Rolled back to generation ${generation}`, {
    action: 'rollback',
    generation,
    previous_generation: current,
    user: session.user ?? null,
  });
  return undefined;
}
