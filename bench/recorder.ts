// The measurement state of one worker: pure bookkeeping, no sockets, so that tests can feed it
// recorded values exactly the way the worker does (the shard-merge test relies on this).
import { encodeHistogram, type Histogram, newHistogram, recordUs } from './hist.js';
import type { IntervalSample, WorkerReport } from './types.js';

export class Recorder {
  private readonly latency: Histogram = newHistogram();
  private readonly rtt: Histogram = newHistogram();
  private readonly connect: Histogram = newHistogram();
  private readonly lastStep: (number | null)[];
  /** first step/time seen in the window per client, to derive the server's own step rate */
  private readonly windowFirst: ({ step: number; t: number } | null)[];
  private readonly windowLast: ({ step: number; t: number } | null)[];
  readonly clientFrames: number[];
  readonly clientBytes: number[];
  private readonly intervals: IntervalSample[] = [];
  private startAt = Number.POSITIVE_INFINITY;
  private endAt = Number.POSITIVE_INFINITY;
  frames = 0;
  otherMessages = 0;
  bytes = 0;
  lostFrames = 0;
  rttUnanswered = 0;
  connectFailures = 0;
  disconnects = 0;
  readonly formatsSeen = { json: 0, msgpack: 0 };
  readonly anomalies: Record<string, number> = {};
  readonly errors: string[] = [];

  constructor(readonly clients: number) {
    this.lastStep = new Array<number | null>(clients).fill(null);
    this.windowFirst = new Array<{ step: number; t: number } | null>(clients).fill(null);
    this.windowLast = new Array<{ step: number; t: number } | null>(clients).fill(null);
    this.clientFrames = new Array<number>(clients).fill(0);
    this.clientBytes = new Array<number>(clients).fill(0);
  }

  /** The measured window in epoch ms; messages outside it only advance step tracking. */
  setWindow(startAt: number, endAt: number): void {
    this.startAt = startAt;
    this.endAt = endAt;
  }

  inWindow(nowMs: number): boolean {
    return nowMs >= this.startAt && nowMs < this.endAt;
  }

  private interval(nowMs: number): IntervalSample {
    const t = Math.floor((nowMs - this.startAt) / 1000);
    while (this.intervals.length <= t) {
      this.intervals.push({ t: this.intervals.length, frames: 0, bytes: 0, lostFrames: 0 });
    }
    return this.intervals[t]!;
  }

  noteAnomaly(name: string): void {
    this.anomalies[name] = (this.anomalies[name] ?? 0) + 1;
  }

  noteError(message: string): void {
    if (this.errors.length < 5) this.errors.push(message);
  }

  /**
   * One delivered frame. `step` feeds loss detection (A5: steps strictly increase per connection,
   * so a jump of k means k-1 frames never reached this client); `tsSec` is the server's send time
   * in epoch seconds, so latency = receipt − send on one host's clock.
   */
  frame(
    ci: number,
    step: number | null,
    tsSec: number | null,
    bytes: number,
    nowMs: number,
    trackSteps: boolean,
    format: 'json' | 'msgpack' = 'json',
  ): void {
    let lost = 0;
    if (trackSteps && step !== null) {
      const last = this.lastStep[ci] ?? null;
      if (last !== null) {
        if (step > last + 1) lost = step - last - 1;
        else if (step <= last) this.noteAnomaly('stepNotIncreasing');
      }
      this.lastStep[ci] = step;
    }
    if (!this.inWindow(nowMs)) return;
    if (trackSteps && step !== null) {
      // server time when stamped: a client reading a backlog must not inflate the server's rate
      const t = tsSec !== null ? tsSec * 1000 : nowMs;
      this.windowFirst[ci] ??= { step, t };
      this.windowLast[ci] = { step, t };
    }
    this.frames++;
    this.formatsSeen[format]++;
    this.bytes += bytes;
    this.lostFrames += lost;
    this.clientFrames[ci] = (this.clientFrames[ci] ?? 0) + 1;
    this.clientBytes[ci] = (this.clientBytes[ci] ?? 0) + bytes;
    const iv = this.interval(nowMs);
    iv.frames++;
    iv.bytes += bytes;
    iv.lostFrames += lost;
    if (tsSec !== null) recordUs(this.latency, (nowMs - tsSec * 1000) * 1000);
  }

  /** Any message that is not a frame still counts towards bytes delivered. */
  other(ci: number, bytes: number, nowMs: number): void {
    if (!this.inWindow(nowMs)) return;
    this.otherMessages++;
    this.bytes += bytes;
    this.clientBytes[ci] = (this.clientBytes[ci] ?? 0) + bytes;
    this.interval(nowMs).bytes += bytes;
  }

  /** Round trip measured from the intended (scheduled) send time: open-loop, no coordinated omission. */
  roundTrip(intendedMs: number, nowMs: number): void {
    if (this.inWindow(intendedMs)) recordUs(this.rtt, (nowMs - intendedMs) * 1000);
  }

  /** A ping of the window never answered: recorded as a lower bound so a stall still shows. */
  unanswered(intendedMs: number, nowMs: number): void {
    if (!this.inWindow(intendedMs)) return;
    this.rttUnanswered++;
    recordUs(this.rtt, (nowMs - intendedMs) * 1000);
  }

  connected(us: number): void {
    recordUs(this.connect, us);
  }

  /** Σ over clients of (last − first step) and of the seconds between them, in the window. */
  stepSpan(): { steps: number; seconds: number } {
    let steps = 0;
    let seconds = 0;
    for (let ci = 0; ci < this.clients; ci++) {
      const a = this.windowFirst[ci];
      const b = this.windowLast[ci];
      if (!a || !b || b.step <= a.step) continue;
      steps += b.step - a.step;
      seconds += (b.t - a.t) / 1000;
    }
    return { steps, seconds };
  }

  report(): WorkerReport {
    return {
      stepSpan: this.stepSpan(),
      clients: this.clients,
      connectFailures: this.connectFailures,
      disconnects: this.disconnects,
      frames: this.frames,
      otherMessages: this.otherMessages,
      bytes: this.bytes,
      lostFrames: this.lostFrames,
      clientFrames: [...this.clientFrames],
      clientBytes: [...this.clientBytes],
      intervals: this.intervals.map((i) => ({ ...i })),
      latencyUs: encodeHistogram(this.latency),
      rttUs: encodeHistogram(this.rtt),
      connectUs: encodeHistogram(this.connect),
      rttUnanswered: this.rttUnanswered,
      formatsSeen: { ...this.formatsSeen },
      anomalies: { ...this.anomalies },
      errors: [...this.errors],
    };
  }

  destroy(): void {
    this.latency.destroy();
    this.rtt.destroy();
    this.connect.destroy();
  }
}
