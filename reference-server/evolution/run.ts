// The one evolution run shared by all connections (E6): running when the server starts, one
// generation every `generationMs`, start/stop/pause/resume, parameter changes, rollback to any
// past generation (E8) by replaying the deterministic GA from the nearest checkpoint.
import type { Clock, TimerHandle } from '../clock.js';
import { averageFitness, bestIndex, type GaParams, type GaState, gene, initialState, step, withParams } from './ga.js';

export type RunState = 'running' | 'paused' | 'stopped';
export type ControlAction = 'start' | 'stop' | 'pause' | 'resume';

export interface ParamChange {
  populationSize?: number;
  mutationRate?: number;
}

/** agent_update.data (seed "Agent Status Update") */
export interface AgentView {
  agent_id: string;
  name: string;
  status: string;
  fitness: number;
  memory_kb: number;
  speed_us: number;
  generation: number;
  /** E11: size of the last agent_code accepted for this agent */
  code_bytes?: number;
}

export interface StepReport {
  generation: number;
  bestFitness: number;
  averageFitness: number;
  improvement: number;
  agentsEvolved: number;
  mutations: number;
  crossovers: number;
  mutation?: { agentId: string; gene: string; oldValue: number; newValue: number };
  regression?: { previous: number; current: number; affected: string[] };
  /** a few agents whose state to publish this generation */
  agents: AgentView[];
}

export interface RunEvents {
  onStep(report: StepReport): void;
}

export const DEFAULT_PARAMS: GaParams = { populationSize: 100, mutationRate: 0.15, crossoverRate: 0.7 };
const CHECKPOINT_EVERY = 20;
const MAX_CHECKPOINTS = 256;
const ROLES = ['NL_Input_Agent', 'Planner_Agent', 'Code_Gen_Agent', 'Reviewer_Agent', 'Test_Agent', 'Deploy_Agent'];
const r4 = (x: number) => Math.round(x * 1e4) / 1e4;
const r1 = (x: number) => Math.round(x * 10) / 10;

export class EvolutionRun {
  state: RunState = 'running';
  private ga: GaState;
  /** ascending by generation; generation 0 is never dropped */
  private checkpoints: GaState[] = [];
  private timer: TimerHandle | undefined;
  /** about every 2 s the GA's target drifts (the source of regression alerts) */
  private readonly shiftEvery: number;
  private readonly codeBytes = new Map<number, number>();
  private seed: number;

  constructor(
    private readonly clock: Clock,
    private readonly generationMs: number,
    private readonly events: RunEvents,
    seed = 20240101,
  ) {
    this.seed = seed;
    this.shiftEvery = Math.max(5, Math.round(2000 / generationMs));
    this.ga = initialState(DEFAULT_PARAMS, seed);
    this.checkpoint();
    this.schedule();
  }

  get generation(): number {
    return this.ga.generation;
  }

  get populationSize(): number {
    return this.ga.params.populationSize;
  }

  /**
   * E6: returns whether anything changed. A command that does not fit the state changes nothing
   * (start/resume while running, pause while not running, resume after stop).
   */
  control(action: ControlAction, params: ParamChange | undefined): boolean {
    if ((action === 'start' || action === 'resume') && this.state === 'running') return false;
    if (action === 'resume' && this.state === 'stopped') return false;
    if (action === 'pause' && this.state !== 'running') return false;
    if (action === 'start' && this.state === 'stopped') {
      // start after stop restarts from generation 0 (E6 MAY)
      this.seed++;
      this.ga = initialState({ ...this.ga.params, ...params }, this.seed);
      this.checkpoints = [];
      this.codeBytes.clear();
      this.checkpoint();
    } else if (params) {
      this.ga = withParams(this.ga, { ...this.ga.params, ...params });
      this.checkpoint();
    }
    const next: RunState = action === 'pause' ? 'paused' : action === 'stop' ? 'stopped' : 'running';
    const changed = next !== this.state || params !== undefined;
    this.state = next;
    this.schedule();
    return changed;
  }

  /** E8: back to `generation` (0..current); later generations continue from it. */
  rollback(generation: number): StepReport | undefined {
    if (!Number.isInteger(generation) || generation < 0 || generation > this.ga.generation) return undefined;
    let base = this.checkpoints[0];
    for (const c of this.checkpoints) if (c.generation <= generation) base = c;
    if (!base) return undefined;
    let ga = base;
    let last: ReturnType<typeof step> | undefined;
    let previousBest = ga.fitness[bestIndex(ga)] ?? 0;
    while (ga.generation < generation) {
      previousBest = ga.fitness[bestIndex(ga)] ?? 0;
      last = step(ga, this.shiftEvery);
      ga = last.state;
    }
    this.ga = ga;
    this.checkpoints = this.checkpoints.filter((c) => c.generation <= generation);
    if (this.checkpoints.at(-1)?.generation !== generation) this.checkpoint();
    return this.report(previousBest, last?.stats.mutations ?? 0, last?.stats.crossovers ?? 0);
  }

  /** E7: the agent with this id (`agent-1` … `agent-N`), or undefined */
  agent(id: string): AgentView | undefined {
    const index = this.indexOf(id);
    return index === undefined ? undefined : this.view(index);
  }

  /** E11: accept code for an agent; undefined if there is no such agent */
  acceptCode(id: string, bytes: number): AgentView | undefined {
    const index = this.indexOf(id);
    if (index === undefined) return undefined;
    this.codeBytes.set(index, bytes);
    return this.view(index);
  }

  close(): void {
    this.clock.clearInterval(this.timer);
    this.timer = undefined;
  }

  private indexOf(id: string): number | undefined {
    const m = /^agent-([1-9]\d{0,5})$/.exec(id);
    const index = m ? Number(m[1]) - 1 : -1;
    return index >= 0 && index < this.ga.params.populationSize ? index : undefined;
  }

  private schedule(): void {
    if (this.state === 'running' && !this.timer) {
      this.timer = this.clock.setInterval(() => this.tick(), this.generationMs);
    } else if (this.state !== 'running' && this.timer) {
      this.close();
    }
  }

  private checkpoint(): void {
    this.checkpoints.push(this.ga);
    if (this.checkpoints.length > MAX_CHECKPOINTS) {
      // thin out: keep generation 0, the newest, and every other one between (replays get longer)
      const last = this.checkpoints.length - 1;
      this.checkpoints = this.checkpoints.filter((_, i) => i === 0 || i === last || i % 2 === 0);
    }
  }

  private tick(): void {
    const previousBest = this.ga.fitness[bestIndex(this.ga)] ?? 0;
    const { state, stats } = step(this.ga, this.shiftEvery);
    this.ga = state;
    if (state.generation % CHECKPOINT_EVERY === 0) this.checkpoint();
    const report = this.report(previousBest, stats.mutations, stats.crossovers);
    if (stats.sample) {
      const { index, gene: name, oldValue, newValue } = stats.sample;
      report.mutation = { agentId: `agent-${index + 1}`, gene: name, oldValue: r4(oldValue), newValue: r4(newValue) };
    }
    this.events.onStep(report);
  }

  private report(previousBest: number, mutations: number, crossovers: number): StepReport {
    const ga = this.ga;
    const n = ga.params.populationSize;
    const best = r4(ga.fitness[bestIndex(ga)] ?? 0);
    const previous = r4(previousBest);
    const agents = [...new Set([0, (ga.generation * 2) % n, (ga.generation * 2 + 1) % n])].map((i) => this.view(i));
    const report: StepReport = {
      generation: ga.generation,
      bestFitness: best,
      averageFitness: r4(averageFitness(ga)),
      improvement: r4(best - previous),
      agentsEvolved: n,
      mutations,
      crossovers,
      agents,
    };
    if (best < previous - 0.005) {
      // the least fit agents are the ones the drop hit hardest
      const worst = [...ga.fitness.keys()].sort((a, b) => (ga.fitness[a] ?? 0) - (ga.fitness[b] ?? 0));
      report.regression = { previous, current: best, affected: worst.slice(0, 3).map((i) => `agent-${i + 1}`) };
    }
    return report;
  }

  private view(index: number): AgentView {
    const ga = this.ga;
    const view: AgentView = {
      agent_id: `agent-${index + 1}`,
      name: `${ROLES[index % ROLES.length]}_v${ga.born[index] ?? 0}`,
      status: this.state === 'running' ? 'evolving' : this.state,
      fitness: r4(ga.fitness[index] ?? 0),
      memory_kb: r1(1 + 9 * gene(ga, index, 'memory_budget')),
      speed_us: r1(0.5 + 5 * gene(ga, index, 'speed_budget')),
      generation: ga.generation,
    };
    const code = this.codeBytes.get(index);
    if (code !== undefined) view.code_bytes = code;
    return view;
  }
}
