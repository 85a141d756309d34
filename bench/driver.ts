// The worker's protocol driver (driver-types.ts), picked by the configured protocol.
import { AtheriaDriver } from './driver-atheria.js';
import { EvolutionDriver } from './driver-evolution.js';
import type { Recorder } from './recorder.js';
import type { Driver } from './driver-types.js';
import type { WorkerConfig } from './types.js';

export type { Driver } from './driver-types.js';

export function makeDriver(cfg: WorkerConfig, rec: Recorder): Driver {
  return cfg.protocol === 'atheria' ? new AtheriaDriver(cfg, rec) : new EvolutionDriver(cfg, rec);
}
