// Builders of the server's JSON messages (seed "Server -> Client Messages"; A7, A8), with the
// faults that corrupt their enums applied in one place.

import type { FaultName } from '../faults.js';
import type { SimulationInfo } from './frame.js';

export type NotificationStatus = 'info' | 'success' | 'warning' | 'error';

type Has = (f: FaultName) => boolean;

export interface ServerMessage {
  type: string;
  payload: object;
}

export function notification(status: NotificationStatus, message: string, has: Has): ServerMessage {
  // ath-notification-bad-status (A7, C5): every notification says "ok"
  return {
    type: 'notification',
    payload: { status: has('ath-notification-bad-status') ? 'ok' : status, message },
  };
}

export function inferenceStatus(running: boolean, info: SimulationInfo, has: Has): ServerMessage {
  // ath-status-bad-enum (A8, C5): pause is reported as "stopped"
  const paused = has('ath-status-bad-enum') ? 'stopped' : 'paused';
  return {
    type: 'inference_status_update',
    payload: { status: running ? 'running' : paused, simulation_info: info },
  };
}

export interface InitialStateInput {
  experiments: { name: string }[];
  running: boolean;
  activeExperiment: string | null;
  info: SimulationInfo;
  vizTypes: string[];
}

export function initialState(s: InitialStateInput): ServerMessage {
  return {
    type: 'initial_state',
    payload: {
      experiments: s.experiments,
      training_status: 'idle',
      inference_status: s.running ? 'running' : 'paused',
      compile_status: { is_compiled: true, device: 'cpu', model_name: 'damped_wave' },
      active_experiment: s.activeExperiment,
      // extra fields are tolerated (C6) and save a client a guess
      simulation_info: s.info,
      viz_types: s.vizTypes,
    },
  };
}

/** Quote a client-supplied string for an error message, bounded so replies stay small. */
export function quote(s: string): string {
  return JSON.stringify(s.length > 64 ? `${s.slice(0, 64)}…` : s);
}
