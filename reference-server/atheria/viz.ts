// Turn the simulation state into the frame's visual fields (A5): map_data for the chosen viz
// type, normalised to [0, 1] as the public code does, rounded to 3 decimals so JSON stays short;
// flow_data {dx, dy, magnitude} for viz "flow" (A3 SHOULD); a small histogram as hist_data.

import type { FieldSimulation } from './simulation.js';

export const VIZ_TYPES: ReadonlySet<string> = new Set(['density', 'phase', 'flow', 'real', 'gradient']);

export type Grid = number[][];

export interface FlowData {
  dx: Grid;
  dy: Grid;
  magnitude: Grid;
}

export interface HistData {
  /** lower edge of each bin over [0, 1] */
  bins: number[];
  counts: number[];
}

const HIST_BINS = 16;
/** flow_data is at most this many cells a side (downsampled on bigger grids) */
const FLOW_MAX_SIDE = 64;

const r3 = (x: number): number => Math.round(x * 1000) / 1000;

/** Fill `scratch` with the per-cell scalar of `viz`; returns the scale that maps it into [0, 1]. */
function scalarField(
  sim: FieldSimulation,
  viz: string,
  scratch: Float32Array,
): { offset: number; scale: number } {
  const { u, v, n } = sim;
  let max = 0;
  switch (viz) {
    case 'phase':
      // phase of u + i·v, mapped from [-π, π] to [0, 1]
      for (let i = 0; i < u.length; i++) scratch[i] = Math.atan2(v[i]!, u[i]!);
      return { offset: Math.PI, scale: 1 / (2 * Math.PI) };
    case 'real':
      for (let i = 0; i < u.length; i++) {
        scratch[i] = u[i]!;
        max = Math.max(max, Math.abs(u[i]!));
      }
      // [-max, max] → [0, 1]
      return max > 0 ? { offset: max, scale: 1 / (2 * max) } : { offset: 0.5, scale: 1 };
    case 'gradient':
      for (let y = 0; y < n; y++) {
        for (let x = 0; x < n; x++) {
          const gx = u[y * n + ((x + 1) % n)]! - u[y * n + ((x + n - 1) % n)]!;
          const gy = u[((y + 1) % n) * n + x]! - u[((y + n - 1) % n) * n + x]!;
          const g = Math.sqrt(gx * gx + gy * gy);
          scratch[y * n + x] = g;
          if (g > max) max = g;
        }
      }
      return { offset: 0, scale: max > 0 ? 1 / max : 0 };
    default:
      // density (also the backdrop of "flow"): |u + i·v|²
      for (let i = 0; i < u.length; i++) {
        const d = u[i]! * u[i]! + v[i]! * v[i]!;
        scratch[i] = d;
        if (d > max) max = d;
      }
      return { offset: 0, scale: max > 0 ? 1 / max : 0 };
  }
}

export interface VizResult {
  map_data: Grid;
  hist_data: HistData;
  flow_data?: FlowData;
}

export function renderViz(
  sim: FieldSimulation,
  viz: string,
  scratch: Float32Array,
  withFlow: boolean,
): VizResult {
  const n = sim.n;
  const { offset, scale } = scalarField(sim, viz, scratch);
  const counts = new Array<number>(HIST_BINS).fill(0);
  const map: Grid = new Array(n);
  for (let y = 0; y < n; y++) {
    const row = new Array<number>(n);
    for (let x = 0; x < n; x++) {
      const val = Math.min(1, Math.max(0, (scratch[y * n + x]! + offset) * scale));
      row[x] = r3(val);
      counts[Math.min(HIST_BINS - 1, Math.floor(val * HIST_BINS))]! += 1;
    }
    map[y] = row;
  }
  const bins = counts.map((_, i) => i / HIST_BINS);
  const result: VizResult = { map_data: map, hist_data: { bins, counts } };
  if (withFlow) result.flow_data = flowField(sim);
  return result;
}

/** Gradient of u (central differences), sampled every `stride` cells, normalised like the public code. */
function flowField(sim: FieldSimulation): FlowData {
  const { u, n } = sim;
  const stride = Math.ceil(n / FLOW_MAX_SIDE);
  const side = Math.ceil(n / stride);
  const gx = new Float32Array(side * side);
  const gy = new Float32Array(side * side);
  let maxC = 0;
  let maxM = 0;
  for (let j = 0; j < side; j++) {
    const y = j * stride;
    for (let i = 0; i < side; i++) {
      const x = i * stride;
      const dx = (u[y * n + ((x + 1) % n)]! - u[y * n + ((x + n - 1) % n)]!) / 2;
      const dy = (u[((y + 1) % n) * n + x]! - u[((y + n - 1) % n) * n + x]!) / 2;
      gx[j * side + i] = dx;
      gy[j * side + i] = dy;
      maxC = Math.max(maxC, Math.abs(dx), Math.abs(dy));
      maxM = Math.max(maxM, Math.sqrt(dx * dx + dy * dy));
    }
  }
  const sc = maxC > 0 ? 1 / maxC : 0;
  const sm = maxM > 0 ? 1 / maxM : 0;
  const dx: Grid = [];
  const dy: Grid = [];
  const magnitude: Grid = [];
  for (let j = 0; j < side; j++) {
    const rx = new Array<number>(side);
    const ry = new Array<number>(side);
    const rm = new Array<number>(side);
    for (let i = 0; i < side; i++) {
      const a = gx[j * side + i]!;
      const b = gy[j * side + i]!;
      rx[i] = r3(a * sc);
      ry[i] = r3(b * sc);
      rm[i] = r3(Math.sqrt(a * a + b * b) * sm);
    }
    dx.push(rx);
    dy.push(ry);
    magnitude.push(rm);
  }
  return { dx, dy, magnitude };
}
