// E10 counters of one connection. Both are exact sliding windows with bounded memory.

/**
 * At most `limit` accepted events in any window of `windowMs`: a ring of the last `limit` accept
 * times; a new event is accepted only if the oldest of them has left the window. Refused events
 * are not recorded, so a flood costs no memory.
 */
export class SlidingWindowLimiter {
  private readonly times: Float64Array;
  private next = 0;

  constructor(
    private readonly limit: number,
    private readonly windowMs = 1000,
  ) {
    this.times = new Float64Array(limit).fill(Number.NEGATIVE_INFINITY);
  }

  tryAcquire(now: number): boolean {
    // times[next] is the oldest of the last `limit` accepted events
    if (now - (this.times[this.next] ?? Number.NEGATIVE_INFINITY) < this.windowMs) return false;
    this.times[this.next] = now;
    this.next = (this.next + 1) % this.limit;
    return true;
  }
}

/** Bytes received in the last `windowMs` (60 s), kept in 100 ms buckets (at most 600 of them). */
export class ByteWindow {
  private readonly buckets: { slot: number; bytes: number }[] = [];
  private head = 0;
  private total = 0;

  constructor(
    private readonly windowMs = 60_000,
    private readonly bucketMs = 100,
  ) {}

  /** adds `bytes` received at `now` and returns the total within the window */
  add(now: number, bytes: number): number {
    const slot = Math.floor(now / this.bucketMs);
    const oldest = Math.floor((now - this.windowMs) / this.bucketMs);
    while (this.head < this.buckets.length && (this.buckets[this.head]?.slot ?? 0) <= oldest) {
      this.total -= this.buckets[this.head]?.bytes ?? 0;
      this.head++;
    }
    if (this.head > 256) {
      this.buckets.splice(0, this.head);
      this.head = 0;
    }
    const last = this.buckets[this.buckets.length - 1];
    if (last && this.buckets.length > this.head && last.slot === slot) last.bytes += bytes;
    else this.buckets.push({ slot, bytes });
    this.total += bytes;
    return this.total;
  }
}
