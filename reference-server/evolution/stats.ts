// Numbers behind the `metrics` event (seed "System Metrics"): client messages handled, errors
// sent, and how long handling took, since the last sample.
export class RequestStats {
  private handled = 0;
  private errors = 0;
  private latencyMs = 0;

  done(latencyMs: number): void {
    this.handled++;
    this.latencyMs += latencyMs;
  }

  error(): void {
    this.errors++;
  }

  /** the counts since the last call, and a fresh window */
  take(): { handled: number; errors: number; averageLatencyMs: number } {
    const out = {
      handled: this.handled,
      errors: this.errors,
      averageLatencyMs: this.handled === 0 ? 0 : this.latencyMs / this.handled,
    };
    this.handled = 0;
    this.errors = 0;
    this.latencyMs = 0;
    return out;
  }
}
