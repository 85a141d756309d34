// Call `onTick` `fps` times a second (A3 set_fps: the observed rate follows the requested one).
// Deadlines advance by exactly one period from the previous deadline, so timer lateness does not
// accumulate; when a tick overruns by more than a period the missed ticks are skipped rather than
// fired in a burst (a burst would look like a rate spike to a client). Time is the server's clock.

import { type Clock, MAX_TIMER_MS, type TimerHandle } from '../clock.js';

export class Ticker {
  private timer: TimerHandle | undefined;
  private next = 0;
  private periodMs = 1000 / 30;
  private active = false;

  constructor(
    private readonly clock: Clock,
    private readonly onTick: () => void,
  ) {}

  get running(): boolean {
    return this.active;
  }

  /** Start (or restart) at `fps`; the first tick is one period from now. */
  start(fps: number): void {
    this.stop();
    this.active = true;
    this.periodMs = 1000 / fps;
    this.next = this.clock.monotonic();
    this.schedule();
  }

  stop(): void {
    this.active = false;
    this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private schedule(): void {
    const now = this.clock.monotonic();
    this.next += this.periodMs;
    if (this.next < now - this.periodMs) this.next = now + this.periodMs;
    // setTimeout treats delays beyond 2^31-1 ms as 1 ms: clamp, or fps 1e-300 would mean 1000 fps
    this.timer = this.clock.setTimeout(this.fire, Math.min(MAX_TIMER_MS, Math.max(0, this.next - now)));
    // the HTTP server keeps the process alive; a pending frame must not
    this.timer.unref();
  }

  private readonly fire = (): void => {
    this.timer = undefined;
    try {
      this.onTick();
    } finally {
      // onTick may have stopped or restarted us
      if (this.active && this.timer === undefined) this.schedule();
    }
  };
}
