// Assemble one simulation_frame payload (A5). Built once per step and shared by every subscriber;
// the faults that corrupt the frame itself (ath-frame-bad-map, ath-step-decreases,
// ath-viz-no-flow-data) are applied here so that every wire format carries the same defect.

import type { Clock } from '../clock.js';
import type { FaultName } from '../faults.js';
import type { Grid, HistData, FlowData } from './viz.js';

export interface SimulationInfo {
  step: number;
  is_paused: boolean;
  fps: number;
  live_feed_enabled: boolean;
}

export interface FramePayload {
  step: number;
  /** epoch seconds, sub-millisecond precision: the bench measures one-host latency from it */
  timestamp: number;
  simulation_info: SimulationInfo;
  map_data: Grid;
  hist_data: HistData;
  viz_type: string;
  flow_data?: FlowData;
}

/**
 * Epoch seconds with sub-millisecond precision: the process's time origin plus the monotonic
 * clock, as the bench's receiver computes its own time (one-host latency).
 */
export function epochSeconds(clock: Clock): number {
  return (performance.timeOrigin + clock.monotonic()) / 1000;
}

export interface FrameInput {
  step: number;
  /** epoch seconds (epochSeconds) */
  timestamp: number;
  info: SimulationInfo;
  viz: string;
  map_data: Grid;
  hist_data: HistData;
  flow_data: FlowData | undefined;
}

export function buildFramePayload(input: FrameInput, has: (f: FaultName) => boolean): FramePayload {
  let step = input.step;
  // ath-step-decreases (A5): every fourth frame steps back by two
  if (has('ath-step-decreases') && step % 4 === 3) step -= 2;
  const map = input.map_data;
  // ath-frame-bad-map (A5, C5): the last row is one cell short
  if (has('ath-frame-bad-map') && map.length > 1) map[map.length - 1] = map[map.length - 1]!.slice(1);
  const payload: FramePayload = {
    step,
    timestamp: input.timestamp,
    simulation_info: step === input.info.step ? input.info : { ...input.info, step },
    map_data: map,
    hist_data: input.hist_data,
    viz_type: input.viz,
  };
  if (input.flow_data && !has('ath-viz-no-flow-data')) payload.flow_data = input.flow_data;
  return payload;
}
