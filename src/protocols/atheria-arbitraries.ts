import fc from 'fast-check';
import { invalidMessage, validMessage } from '../schema/arbitrary.js';
import { clientMessageTypes, loadManifest } from '../schema/index.js';
import { withArg } from './atheria-commands.js';

// Generated client commands for the property cases (suites/schema/atheria-property-*.ts).
//
// Valid commands come from the schemas (validMessage: either A2 form, extra fields per C6), with
// the values the profile leaves open pinned to ones every server must accept, so that an error
// answer is a real rejection (spec/atheria/DECISIONS.md, "Harness"):
// - load_experiment: a name listed in initial_state.experiments (others MUST get an error, A3);
// - set_viz: a viz type of the manifest (density, phase, flow); unknown ones SHOULD get an error;
// - inject_energy: the documented form with the seed's energy_type "random_noise" and an amount
//   in (0, 1] (the seed's example is 1.0);
// - set_fps: fps in [1, 120], so that a slow rate never stalls the shared simulation for long;
// - simulation.set_binary is left out: it is optional (A6) and an error answer is legitimate.

export interface GeneratedCommand {
  type: string;
  message: unknown;
}

function pinned(type: string, experiments: readonly string[]): fc.Arbitrary<unknown> | null {
  const base = validMessage('atheria', 'client', type);
  switch (type) {
    case 'simulation.set_binary':
      return null;
    case 'inference.load_experiment':
      if (experiments.length === 0) return null;
      return fc
        .tuple(base, fc.constantFrom(...experiments))
        .map(([m, name]) => withArg(m, 'experiment_name', name));
    case 'inference.set_viz':
      return fc
        .tuple(base, fc.constantFrom(...loadManifest('atheria').vizTypes))
        .map(([m, viz]) => withArg(m, 'viz_type', viz));
    case 'inference.inject_energy':
      return fc
        .tuple(base, fc.double({ min: 0.01, max: 1, noNaN: true }))
        .map(([m, amount]) => withArg(withArg(m, 'energy_type', 'random_noise'), 'amount', amount));
    case 'simulation.set_fps':
      return fc
        .tuple(base, fc.double({ min: 1, max: 120, noNaN: true }))
        .map(([m, fps]) => withArg(m, 'fps', fps));
    default:
      return base;
  }
}

/** Valid client commands of every required type, either form, pinned as described above. */
export function validCommands(experiments: readonly string[]): fc.Arbitrary<GeneratedCommand> {
  const arbs = clientMessageTypes('atheria').flatMap((type) => {
    const arb = pinned(type, experiments);
    return arb ? [arb.map((message) => ({ type, message }))] : [];
  });
  return fc.oneof(...arbs);
}

export interface BrokenCommand {
  /** what rule the generator broke */
  broken: string;
  message: unknown;
}

const KNOWN_SCOPES = ['inference', 'simulation'];

/** A4: commands no server knows, in either form; scope known or not. */
export function unknownCommands(): fc.Arbitrary<BrokenCommand> {
  const known = new Set(clientMessageTypes('atheria'));
  const word = fc.stringMatching(/^[a-z][a-z_]{0,15}$/);
  return fc
    .record({ scope: fc.oneof(fc.constantFrom(...KNOWN_SCOPES), word), command: word, legacy: fc.boolean() })
    .filter(({ scope, command }) => !known.has(`${scope}.${command}`))
    .map(({ scope, command, legacy }) => ({
      broken: `unknown command ${scope}.${command}`,
      message: legacy ? { scope, command, args: {} } : { type: `${scope}.${command}`, payload: {} },
    }));
}

/** Schema-invalid client commands (one rule broken each, C7 and the payload types of A3) and unknown commands (A4). */
export function invalidCommands(): fc.Arbitrary<BrokenCommand> {
  const arbs = clientMessageTypes('atheria').map((type) =>
    invalidMessage('atheria', 'client', type).map(({ value, broken }) => ({ broken, message: value })),
  );
  return fc.oneof(...arbs, unknownCommands());
}
