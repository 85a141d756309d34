// The runner's scheduler: at most `concurrency` jobs at a time, and jobs that share an exclusive
// group (e.g. cases that play/pause the one shared simulation, profile A0/E6) never at once.

export interface PoolJob {
  /** jobs with the same group never overlap */
  group?: string;
}

export interface PoolOptions<J, R> {
  concurrency: number;
  /** runs one job; must not reject */
  execute(job: J): Promise<R>;
  /** asked before a job would start: a result settles it without running it (a target found down) */
  skip(job: J): R | undefined;
  onDone(job: J, result: R): void;
}

/** Resolves when every job is done or skipped. */
export function runPool<J extends PoolJob, R>(jobs: readonly J[], opts: PoolOptions<J, R>): Promise<void> {
  const pending = [...jobs];
  const busy = new Set<string>();
  let running = 0;
  return new Promise<void>((resolveAll) => {
    const pump = () => {
      for (let i = 0; i < pending.length; ) {
        const job = pending[i] as J;
        const skipped = opts.skip(job);
        if (skipped === undefined) {
          i++;
          continue;
        }
        pending.splice(i, 1);
        opts.onDone(job, skipped);
      }
      while (running < opts.concurrency) {
        // Groups run their jobs one after another: start them first, as they are the run's
        // critical path, then fill the free slots with the rest.
        let idx = pending.findIndex((j) => j.group !== undefined && !busy.has(j.group));
        if (idx < 0) idx = pending.findIndex((j) => j.group === undefined);
        if (idx < 0) break;
        const job = pending.splice(idx, 1)[0] as J;
        if (job.group !== undefined) busy.add(job.group);
        running++;
        void opts.execute(job).then((result) => {
          running--;
          if (job.group !== undefined) busy.delete(job.group);
          opts.onDone(job, result);
          pump();
        });
      }
      if (running === 0 && pending.length === 0) resolveAll();
    };
    pump();
  });
}
