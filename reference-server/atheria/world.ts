// The one simulation shared by every connection (A0, as the public code): run state, fps and viz
// type are shared; live feed and wire format belong to each connection (./session.ts).
// It steps only while running and someone is connected, and renders a frame only when some
// connection is subscribed to frames.

import type { EndpointContext } from '../endpoint.js';
import type { FaultName } from '../faults.js';
import { FrameBroadcaster } from './broadcaster.js';
import { DEFAULT_EXPERIMENT, type Experiment } from './experiments.js';
import { buildFramePayload, epochSeconds, type SimulationInfo } from './frame.js';
import type { ServerMessage } from './messages.js';
import type { Session } from './session.js';
import { FieldSimulation } from './simulation.js';
import { Ticker } from './ticker.js';
import { renderViz } from './viz.js';

export class AtheriaWorld {
  readonly sim: FieldSimulation;
  readonly broadcaster: FrameBroadcaster;
  readonly sessions = new Set<Session>();
  readonly has: (f: FaultName) => boolean;
  experiment: Experiment = DEFAULT_EXPERIMENT;
  /** A0: running at start, so a viewer (or the bench) sees frames without a play */
  running = true;
  fps: number;
  viz = 'density';
  step = 0;
  private readonly ticker: Ticker;
  private readonly scratch: Float32Array;

  constructor(readonly ctx: EndpointContext) {
    this.has = (f) => ctx.has(f);
    const grid = Math.max(4, Math.floor(ctx.options.grid));
    this.fps = ctx.options.fps;
    this.sim = new FieldSimulation(grid, this.experiment.params);
    this.scratch = new Float32Array(grid * grid);
    this.broadcaster = new FrameBroadcaster({ metrics: ctx.metrics, has: this.has });
    this.ticker = new Ticker(ctx.clock, () => this.tick());
  }

  info(liveFeed: boolean): SimulationInfo {
    return {
      step: this.step,
      is_paused: !this.running,
      // ath-fps-info-wrong (A3 SHOULD): keeps reporting the start-up fps
      fps: this.has('ath-fps-info-wrong') ? this.ctx.options.fps : this.fps,
      live_feed_enabled: liveFeed,
    };
  }

  /** true when the simulation was paused */
  play(): boolean {
    const changed = !this.running;
    this.running = true;
    this.refresh();
    return changed;
  }

  /** true when the simulation was running */
  pause(): boolean {
    const changed = this.running;
    this.running = false;
    this.refresh();
    return changed;
  }

  setFps(fps: number): void {
    this.fps = fps;
    if (this.ticker.running) this.ticker.start(this.tickFps());
  }

  load(experiment: Experiment): void {
    // step keeps counting (A5 allows a restart; not restarting keeps every reader's steps increasing)
    this.experiment = experiment;
    this.sim.reset(experiment.params);
  }

  join(s: Session): void {
    this.sessions.add(s);
    this.refresh();
  }

  leave(s: Session): void {
    this.sessions.delete(s);
    this.broadcaster.set(s.ws, null);
    this.refresh();
  }

  /** Send a message built per session to every session that has had its initial_state. */
  broadcast(build: (s: Session) => ServerMessage): void {
    for (const s of this.sessions) if (s.ready) s.send(build(s));
  }

  close(): void {
    this.ticker.stop();
  }

  private tickFps(): number {
    // ath-fps-rate-wrong (A3 SHOULD): the rate stays at the start-up fps
    return this.has('ath-fps-rate-wrong') ? this.ctx.options.fps : this.fps;
  }

  /** Start or stop stepping to match (running, anyone connected). */
  private refresh(): void {
    // ath-pause-frames-continue (A3): pause is reported but the simulation keeps stepping
    const stepping = (this.running || this.has('ath-pause-frames-continue')) && this.sessions.size > 0;
    if (stepping && !this.ticker.running) this.ticker.start(this.tickFps());
    else if (!stepping && this.ticker.running) this.ticker.stop();
  }

  private tick(): void {
    this.sim.step();
    this.step++;
    if (this.broadcaster.size === 0) return;
    const viz = renderViz(this.sim, this.viz, this.scratch, this.viz === 'flow');
    const payload = buildFramePayload(
      {
        step: this.step,
        timestamp: epochSeconds(this.ctx.clock),
        info: this.info(true),
        viz: this.viz,
        ...viz,
        flow_data: viz.flow_data,
      },
      this.has,
    );
    this.broadcaster.publish(payload);
  }
}
