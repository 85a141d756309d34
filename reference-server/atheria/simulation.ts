// The field simulation behind the Atheria endpoint: a damped 2-D wave on an N×N periodic grid,
// kept alive by random "drops" (energy injection). Real physics rather than canned frames, so
// map_data changes every step the way a viewer would expect (profile A0/A5).
//
// Integration is symplectic Euler (v += dt·(c²∇²u − γv); u += dt·v), stable for c²·dt² ≤ 0.5 on
// the 5-point Laplacian, which every experiment respects.

import type { ExperimentParams } from './experiments.js';

/** Small deterministic PRNG (mulberry32) so an experiment replays identically after a reload. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type EnergyType = 'random_noise' | 'primordial_soup' | 'dense_monolith' | 'symmetric_seed';

export const ENERGY_TYPES: ReadonlySet<string> = new Set<EnergyType>([
  'random_noise',
  'primordial_soup',
  'dense_monolith',
  'symmetric_seed',
]);

export function isEnergyType(v: unknown): v is EnergyType {
  return typeof v === 'string' && ENERGY_TYPES.has(v);
}

export class FieldSimulation {
  readonly n: number;
  /** displacement */
  readonly u: Float32Array;
  /** velocity */
  readonly v: Float32Array;
  private readonly lap: Float32Array;
  private params: ExperimentParams;
  private random: () => number;

  constructor(n: number, params: ExperimentParams) {
    this.n = n;
    this.u = new Float32Array(n * n);
    this.v = new Float32Array(n * n);
    this.lap = new Float32Array(n * n);
    this.params = params;
    this.random = mulberry32(params.seed);
    this.reset(params);
  }

  /** Start the experiment afresh (load_experiment). */
  reset(params: ExperimentParams): void {
    this.params = params;
    this.random = mulberry32(params.seed);
    this.u.fill(0);
    this.v.fill(0);
    const n = this.n;
    if (params.initial === 'standing') {
      // two crossed standing modes: energy without any drops
      const k = (2 * Math.PI * 3) / n;
      for (let y = 0; y < n; y++) {
        for (let x = 0; x < n; x++) this.u[y * n + x] = Math.sin(k * x) * Math.cos(k * y);
      }
    } else {
      for (let i = 0; i < 3; i++) this.drop(this.random() * n, this.random() * n, 1, n / 16);
    }
  }

  step(): void {
    const { n, u, v, lap } = this;
    const { c2, damping, dropRate } = this.params;
    for (let y = 0; y < n; y++) {
      const up = ((y + n - 1) % n) * n;
      const row = y * n;
      const down = ((y + 1) % n) * n;
      for (let x = 0; x < n; x++) {
        const left = x === 0 ? n - 1 : x - 1;
        const right = x === n - 1 ? 0 : x + 1;
        lap[row + x] = u[row + left]! + u[row + right]! + u[up + x]! + u[down + x]! - 4 * u[row + x]!;
      }
    }
    for (let i = 0; i < u.length; i++) {
      const vi = v[i]! + c2 * lap[i]! - damping * v[i]!;
      v[i] = vi;
      u[i] = u[i]! + vi;
    }
    if (this.random() < dropRate) {
      this.drop(this.random() * n, this.random() * n, 0.5 + this.random(), 1 + (this.random() * n) / 24);
    }
  }

  /** inject_energy (A3): the four kinds the public code and the seed name, scaled by `amount`. */
  inject(type: EnergyType, amount: number): void {
    const n = this.n;
    const c = Math.floor(n / 2);
    switch (type) {
      case 'random_noise':
        for (let i = 0; i < this.u.length; i++) this.u[i] = this.u[i]! + (this.random() - 0.5) * 0.2 * amount;
        break;
      case 'primordial_soup':
        for (let i = 0; i < 12; i++) {
          this.drop(
            c + (this.random() - 0.5) * (n / 2),
            c + (this.random() - 0.5) * (n / 2),
            0.4 * amount,
            2,
          );
        }
        break;
      case 'dense_monolith': {
        const s = Math.max(1, Math.floor(n / 10));
        for (let y = c - s; y < c + s; y++) {
          for (let x = c - s; x < c + s; x++) this.u[y * n + x] = amount;
        }
        break;
      }
      case 'symmetric_seed': {
        const d = n / 6;
        for (const [dx, dy] of [
          [-d, -d],
          [d, -d],
          [-d, d],
          [d, d],
        ] as const) {
          this.drop(c + dx, c + dy, amount, n / 20);
        }
        break;
      }
    }
  }

  /** Add a Gaussian bump of height `amp` and radius `r` at (cx, cy), wrapping at the edges. */
  private drop(cx: number, cy: number, amp: number, r: number): void {
    const n = this.n;
    const reach = Math.min(Math.ceil(r * 3), Math.floor(n / 2));
    const inv = 1 / (2 * r * r);
    const x0 = Math.round(cx);
    const y0 = Math.round(cy);
    for (let dy = -reach; dy <= reach; dy++) {
      const y = (((y0 + dy) % n) + n) % n;
      for (let dx = -reach; dx <= reach; dx++) {
        const x = (((x0 + dx) % n) + n) % n;
        const i = y * n + x;
        this.u[i] = this.u[i]! + amp * Math.exp(-(dx * dx + dy * dy) * inv);
      }
    }
  }
}
