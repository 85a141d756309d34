// A clock that moves only when the test says so (reference-server/clock.ts). Handed to the
// reference server through `StartOptions.clock`, it lets a test step over an auth timeout, a
// token's expiry or a rate window at once instead of waiting for it. The server runs in the
// test's process, so `advance` runs the server's due timers synchronously: whatever they send is
// on the wire before `advance` returns, and a round trip on the connection (Client.sync) then
// proves it has arrived.
import type { Clock, TimerHandle } from '../../../reference-server/clock.js';

interface Timer {
  at: number;
  /** 0 for a timeout */
  every: number;
  fn: () => void;
}

class ManualTimer implements TimerHandle {
  unref(): this {
    return this;
  }
}

export class ManualClock implements Clock {
  private elapsed = 0;
  private readonly timers = new Map<ManualTimer, Timer>();

  constructor(
    /** wall time at the start: real now, so that tokens signed by the test are valid */
    private readonly wallStart = Date.now(),
    /** whole milliseconds, so that whole-millisecond steps compare exactly (1000 - 1 is not 999.99…) */
    private readonly monotonicStart = Math.floor(performance.now()),
  ) {}

  now(): number {
    return this.wallStart + this.elapsed;
  }

  monotonic(): number {
    return this.monotonicStart + this.elapsed;
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    const handle = new ManualTimer();
    this.timers.set(handle, { at: this.elapsed + Math.max(0, ms), every: 0, fn });
    return handle;
  }

  setInterval(fn: () => void, ms: number): TimerHandle {
    const handle = new ManualTimer();
    const every = Math.max(1, ms);
    this.timers.set(handle, { at: this.elapsed + every, every, fn });
    return handle;
  }

  clearTimeout(handle: TimerHandle | undefined): void {
    if (handle instanceof ManualTimer) this.timers.delete(handle);
  }

  clearInterval(handle: TimerHandle | undefined): void {
    this.clearTimeout(handle);
  }

  /** timers not yet fired (intervals count once) */
  get pending(): number {
    return this.timers.size;
  }

  /**
   * Moves time on by `ms`, firing every timer that falls due on the way in order, each at its own
   * time (a timer set by a firing timer fires too if it falls due within the step).
   */
  advance(ms: number): void {
    const end = this.elapsed + ms;
    for (;;) {
      let next: [ManualTimer, Timer] | undefined;
      for (const entry of this.timers) {
        if (entry[1].at <= end && (!next || entry[1].at < next[1].at)) next = entry;
      }
      if (!next) break;
      const [handle, timer] = next;
      this.elapsed = Math.max(this.elapsed, timer.at);
      if (timer.every > 0) timer.at += timer.every;
      else this.timers.delete(handle);
      timer.fn();
    }
    this.elapsed = end;
  }

  /**
   * Moves time on in steps of `stepMs` until `done()` holds, letting the event loop deliver what
   * each step sent; throws once `limitMs` of clock time have passed without it.
   */
  async until(done: () => boolean, stepMs: number, limitMs = 60_000): Promise<void> {
    for (let moved = 0; !done(); moved += stepMs) {
      if (moved >= limitMs) throw new Error(`not reached within ${limitMs} ms of clock time`);
      this.advance(stepMs);
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
  }
}
