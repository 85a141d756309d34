// A small real genetic algorithm behind the evolution endpoint: each individual is a vector of
// normalised genes in [0, 1]; its fitness (in [0, 1], E12) is how close it is to a target vector.
// Tournament selection, uniform crossover, Gaussian mutation, one elite. The target drifts every
// `shiftEvery` generations (a changing workload), which causes the fitness regressions that raise
// alerts. Pure and deterministic given the state (the RNG state is part of it), so a rollback can
// replay from a checkpoint (E8).

export const GENES = [
  'learning_rate',
  'temperature',
  'context_window',
  'batch_size',
  'retry_limit',
  'memory_budget',
  'speed_budget',
  'dropout',
] as const;
const G = GENES.length;

export interface GaParams {
  populationSize: number;
  mutationRate: number;
  crossoverRate: number;
}

export interface GaState {
  generation: number;
  params: GaParams;
  /** populationSize × G genes, row-major */
  genes: Float64Array;
  fitness: Float64Array;
  /** generation in which each individual was created */
  born: Uint32Array;
  target: Float64Array;
  /** mulberry32 state */
  rng: number;
}

export interface MutationSample {
  index: number;
  gene: (typeof GENES)[number];
  oldValue: number;
  newValue: number;
}

export interface StepStats {
  mutations: number;
  crossovers: number;
  shifted: boolean;
  sample: MutationSample | undefined;
}

class Rng {
  constructor(public s: number) {}
  /** mulberry32 */
  next(): number {
    this.s = (this.s + 0x6d2b79f5) | 0;
    let t = Math.imul(this.s ^ (this.s >>> 15), this.s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  gauss(): number {
    return Math.sqrt(-2 * Math.log(1 - this.next())) * Math.cos(2 * Math.PI * this.next());
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
}

const clamp01 = (x: number) => Math.max(0, Math.min(1, x));

function evaluate(genes: Float64Array, target: Float64Array, fitness: Float64Array): void {
  for (let i = 0; i < fitness.length; i++) {
    let sq = 0;
    for (let g = 0; g < G; g++) {
      const d = (genes[i * G + g] ?? 0) - (target[g] ?? 0);
      sq += d * d;
    }
    fitness[i] = clamp01(1 - 2 * Math.sqrt(sq / G));
  }
}

export function bestIndex(state: GaState): number {
  let best = 0;
  for (let i = 1; i < state.fitness.length; i++) if ((state.fitness[i] ?? 0) > (state.fitness[best] ?? 0)) best = i;
  return best;
}

export function averageFitness(state: GaState): number {
  let sum = 0;
  for (const f of state.fitness) sum += f;
  return state.fitness.length === 0 ? 0 : sum / state.fitness.length;
}

export function initialState(params: GaParams, seed: number): GaState {
  const rng = new Rng(seed | 0);
  const n = params.populationSize;
  const genes = new Float64Array(n * G).map(() => rng.next());
  const target = new Float64Array(G).map(() => 0.2 + 0.6 * rng.next());
  const fitness = new Float64Array(n);
  evaluate(genes, target, fitness);
  return { generation: 0, params, genes, fitness, born: new Uint32Array(n), target, rng: rng.s };
}

/** Changes the parameters; a new population size keeps the fittest and adds random newcomers. */
export function withParams(state: GaState, params: GaParams): GaState {
  const n = params.populationSize;
  if (n === state.params.populationSize) return { ...state, params };
  const rng = new Rng(state.rng);
  const order = [...state.fitness.keys()].sort((a, b) => (state.fitness[b] ?? 0) - (state.fitness[a] ?? 0));
  const genes = new Float64Array(n * G);
  const born = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const from = order[i];
    for (let g = 0; g < G; g++) genes[i * G + g] = from === undefined ? rng.next() : (state.genes[from * G + g] ?? 0);
    born[i] = from === undefined ? state.generation : (state.born[from] ?? 0);
  }
  const fitness = new Float64Array(n);
  evaluate(genes, state.target, fitness);
  return { ...state, params, genes, fitness, born, rng: rng.s };
}

function tournament(state: GaState, rng: Rng): number {
  let winner = rng.int(state.fitness.length);
  for (let k = 0; k < 2; k++) {
    const other = rng.int(state.fitness.length);
    if ((state.fitness[other] ?? 0) > (state.fitness[winner] ?? 0)) winner = other;
  }
  return winner;
}

/** One generation: selection, crossover, mutation, evaluation against the (possibly moved) target. */
export function step(state: GaState, shiftEvery: number): { state: GaState; stats: StepStats } {
  const rng = new Rng(state.rng);
  const generation = state.generation + 1;
  const n = state.params.populationSize;
  const target = Float64Array.from(state.target);
  const shifted = generation % shiftEvery === 0;
  if (shifted) {
    for (let k = 0; k < 2; k++) {
      const g = rng.int(G);
      const delta = (0.05 + 0.2 * rng.next()) * (rng.next() < 0.5 ? -1 : 1);
      target[g] = clamp01((target[g] ?? 0) + delta);
    }
  }
  const genes = new Float64Array(n * G);
  const born = new Uint32Array(n);
  const elite = bestIndex(state);
  genes.set(state.genes.subarray(elite * G, elite * G + G), 0);
  born[0] = state.born[elite] ?? 0;
  let mutations = 0;
  let crossovers = 0;
  let sample: MutationSample | undefined;
  for (let i = 1; i < n; i++) {
    const a = tournament(state, rng);
    const crossover = rng.next() < state.params.crossoverRate;
    const b = crossover ? tournament(state, rng) : a;
    if (crossover) crossovers++;
    for (let g = 0; g < G; g++) {
      const parent = crossover && rng.next() < 0.5 ? b : a;
      let value = state.genes[parent * G + g] ?? 0;
      if (rng.next() < state.params.mutationRate) {
        const old = value;
        value = clamp01(value + 0.1 * rng.gauss());
        mutations++;
        sample ??= { index: i, gene: GENES[g] ?? 'learning_rate', oldValue: old, newValue: value };
      }
      genes[i * G + g] = value;
    }
    born[i] = generation;
  }
  const fitness = new Float64Array(n);
  evaluate(genes, target, fitness);
  return {
    state: { generation, params: state.params, genes, fitness, born, target, rng: rng.s },
    stats: { mutations, crossovers, shifted, sample },
  };
}

/** gene value of one individual */
export function gene(state: GaState, index: number, name: (typeof GENES)[number]): number {
  return state.genes[index * G + GENES.indexOf(name)] ?? 0;
}
