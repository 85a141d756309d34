// The runner's scheduler: at most `concurrency` jobs at a time. A group is a readers-writer lock
// over shared target state (e.g. the one shared simulation or evolution run, profile A0/E6): an
// exclusive job of a group (it changes the state) never overlaps another job of that group; shared
// jobs (they only need the state left alone) overlap each other freely. A job that runs `alone`
// has its host to itself; such jobs go first, one after another, then the rest fill the slots.

export interface PoolJob {
  /** the shared state this job touches */
  group?: string;
  /** true: the job only relies on the group's state, and may run beside other shared jobs */
  shared?: boolean;
  /** the server the job talks to (host:port) */
  host?: string;
  /**
   * true: the job runs alone on its host — nothing else of that host beside it (a hostile case:
   * what it does to the server must not be blamed on cases running at the same time, C4).
   */
  alone?: boolean;
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
  const writers = new Set<string>();
  const readers = new Map<string, number>();
  let running = 0;
  /** running jobs per host, and the hosts a running `alone` job holds */
  const busy = new Map<string, number>();
  const holdsAlone = new Set<string>();
  /** an alone job waits for its host to empty; nothing else of that host starts meanwhile */
  const hostFree = (j: J) => {
    if (j.host === undefined) return true;
    if (j.alone) return (busy.get(j.host) ?? 0) === 0;
    return !holdsAlone.has(j.host) && !pending.some((p) => p.alone && p.host === j.host);
  };
  const canStart = (j: J) =>
    hostFree(j) &&
    (j.group === undefined ||
      (!writers.has(j.group) && (j.shared === true || (readers.get(j.group) ?? 0) === 0)));
  const acquire = (j: J, delta: 1 | -1) => {
    if (j.host !== undefined) {
      busy.set(j.host, (busy.get(j.host) ?? 0) + delta);
      if (j.alone) {
        if (delta > 0) holdsAlone.add(j.host);
        else holdsAlone.delete(j.host);
      }
    }
    if (j.group === undefined) return;
    if (!j.shared) {
      if (delta > 0) writers.add(j.group);
      else writers.delete(j.group);
    } else readers.set(j.group, (readers.get(j.group) ?? 0) + delta);
  };
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
        // Exclusive jobs run one after another: start them first, as they are the run's critical
        // path, then shared jobs, then fill the free slots with the rest.
        let idx = pending.findIndex((j) => j.alone === true && canStart(j));
        if (idx < 0) idx = pending.findIndex((j) => j.group !== undefined && !j.shared && canStart(j));
        if (idx < 0) idx = pending.findIndex((j) => j.group !== undefined && canStart(j));
        if (idx < 0) idx = pending.findIndex((j) => j.group === undefined && canStart(j));
        if (idx < 0) break;
        const job = pending.splice(idx, 1)[0] as J;
        acquire(job, 1);
        running++;
        void opts.execute(job).then((result) => {
          running--;
          acquire(job, -1);
          opts.onDone(job, result);
          pump();
        });
      }
      if (running === 0 && pending.length === 0) resolveAll();
    };
    pump();
  });
}
