// The named experiments listed in initial_state.experiments (A3: load_experiment accepts exactly
// these names). Each is a parameter set of the wave simulation in ./simulation.ts.

export interface ExperimentParams {
  /** c²·dt², at most 0.5 for stability */
  c2: number;
  /** velocity damping per step */
  damping: number;
  /** probability per step of a random drop (energy injection) */
  dropRate: number;
  initial: 'drops' | 'standing';
  seed: number;
}

export interface Experiment {
  name: string;
  description: string;
  model_type: string;
  params: ExperimentParams;
}

const LIST: readonly Experiment[] = [
  {
    name: 'ripple_tank',
    description: 'Damped waves fed by occasional random drops',
    model_type: 'damped_wave',
    params: { c2: 0.3, damping: 0.01, dropRate: 0.05, initial: 'drops', seed: 1 },
  },
  {
    name: 'calm_lake',
    description: 'Slow, weakly damped waves with rare drops',
    model_type: 'damped_wave',
    params: { c2: 0.15, damping: 0.003, dropRate: 0.01, initial: 'drops', seed: 2 },
  },
  {
    name: 'storm_surface',
    description: 'Fast, strongly driven and strongly damped waves',
    model_type: 'damped_wave',
    params: { c2: 0.45, damping: 0.03, dropRate: 0.4, initial: 'drops', seed: 3 },
  },
  {
    name: 'standing_waves',
    description: 'Crossed standing modes, no drops',
    model_type: 'damped_wave',
    params: { c2: 0.25, damping: 0.0005, dropRate: 0, initial: 'standing', seed: 4 },
  },
];

/** Lookup by client-supplied name: a Map, never a plain object (C4: "__proto__" is just a miss). */
export const EXPERIMENTS: ReadonlyMap<string, Experiment> = new Map(LIST.map((e) => [e.name, e]));

export const DEFAULT_EXPERIMENT: Experiment = LIST[0]!;

/** The list as initial_state carries it (name required, other fields optional, C7). */
export function experimentSummaries(): { name: string; description: string; model_type: string }[] {
  return LIST.map(({ name, description, model_type }) => ({ name, description, model_type }));
}
