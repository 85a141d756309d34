// The reference server's only source of time. Every protocol timer (E2 auth timeout and token
// expiry, E10 rate windows, E6 generation tick, E12 metrics sample, A3 frame ticker, A1/E3 fault
// delays) reads the clock in ServerOptions, so a test can hand the server a manual clock and move
// time on instead of waiting for it (test/reference-server/helpers/manual-clock.ts). `realClock`
// is the default: production behaviour is the host's time.
//
// Not on this clock, on purpose: the shutdown grace of close() and the C4 stall faults, which
// must block or wait in real time (a manual clock cannot move while the event loop is blocked).

/** What setTimeout/setInterval hand back; `unref` so a pending timer does not keep a process alive. */
export interface TimerHandle {
  unref(): unknown;
}

export interface Clock {
  /** wall time, milliseconds since the Unix epoch (timestamps, JWT exp/nbf, E1/E2) */
  now(): number;
  /** milliseconds from an arbitrary origin, never stepping back (rate windows, tick deadlines) */
  monotonic(): number;
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle | undefined): void;
  setInterval(fn: () => void, ms: number): TimerHandle;
  clearInterval(handle: TimerHandle | undefined): void;
}

/** setTimeout's largest delay; longer ones fire after 1 ms in Node, so callers clamp to it */
export const MAX_TIMER_MS = 2 ** 31 - 1;

type NodeTimer = ReturnType<typeof setTimeout>;

/** The host's time and Node's timers. */
export const realClock: Clock = {
  now: () => Date.now(),
  monotonic: () => performance.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeTimer | undefined),
  setInterval: (fn, ms) => setInterval(fn, ms),
  clearInterval: (handle) => clearInterval(handle as NodeTimer | undefined),
};
