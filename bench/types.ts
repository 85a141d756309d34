// Types shared by the bench's main thread, its worker threads, the result builder and `bench merge`.

export type BenchProtocol = 'atheria' | 'evolution';
export type BenchFormat = 'json' | 'msgpack';
/** A phase is one measured window against one server: the target, or one of the baselines. */
export type PhaseName = 'target' | 'ws-broadcast' | 'tcp-pump';

/** One message of a captured frame, replayed byte-identically by the baselines. */
export interface CapturedMessage {
  data: Uint8Array;
  binary: boolean;
}

/** What a worker thread is told to do (structured-cloned through workerData). */
export interface WorkerConfig {
  url: string;
  protocol: BenchProtocol;
  format: BenchFormat;
  /** global client ids this worker owns (already filtered by --shard) */
  clientIds: number[];
  /** target phases set the stream up and check steps/latency; baselines replay one stale frame */
  mode: 'target' | 'baseline';
  fps: number;
  /** Evolution: HS256 secret to sign one token per client (sub = bench-<id>) */
  jwtSecret: string | null;
  /** open-loop ping period per client in ms (0 = no pings) */
  pingIntervalMs: number;
  connectTimeoutMs: number;
}

/** One per-second sample (t = whole seconds since the window opened). */
export interface IntervalSample {
  t: number;
  frames: number;
  bytes: number;
  lostFrames: number;
}

/** Everything one worker measured in one window; histograms are HISTv2 base64. */
export interface WorkerReport {
  clients: number;
  connectFailures: number;
  disconnects: number;
  frames: number;
  /** every other message (status updates, notifications, metrics, pongs) */
  otherMessages: number;
  bytes: number;
  lostFrames: number;
  /** frames delivered per client in the window, index-aligned with clientIds */
  clientFrames: number[];
  clientBytes: number[];
  intervals: IntervalSample[];
  latencyUs: string;
  rttUs: string;
  connectUs: string;
  rttUnanswered: number;
  /** Σ over clients of the step advance and its seconds in the window: the server's step rate */
  stepSpan: { steps: number; seconds: number };
  /** frames of the window by wire format: JSON text, or A6 header + msgpack pair */
  formatsSeen: { json: number; msgpack: number };
  /** A6 slips seen: binary without header, size mismatch, scan/decode disagreements */
  anomalies: Record<string, number>;
  errors: string[];
}

export type WorkerToMain =
  | { kind: 'ready'; connected: number; failed: number; firstError: string | null }
  | { kind: 'tick'; frames: number; bytes: number }
  | { kind: 'report'; report: WorkerReport };

export type MainToWorker = { kind: 'window'; startAt: number; endAt: number } | { kind: 'abort' };

export interface Percentiles {
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
  count: number;
}

export interface CpuCheck {
  /** event-loop utilisation 0..1 of each generator worker thread over the window */
  generatorElu: number[];
  /** the server's thread (embedded target or in-process baseline); null when not measurable */
  serverElu: number | null;
  generatorSaturated: boolean;
  serverSaturated: boolean | null;
  /** CPU cores this process used over the window (all its threads); null after a merge */
  processCores: number | null;
  /** share 0..1 of all the machine's cores busy over the window, whoever used them */
  machineBusy: number | null;
  note: string;
}

/** One measured phase after its workers' reports were combined. */
export interface PhaseResult {
  name: PhaseName;
  round: number;
  durationS: number;
  clients: number;
  connectFailures: number;
  disconnects: number;
  frames: number;
  otherMessages: number;
  bytes: number;
  framesPerSecond: number;
  bytesPerSecond: number;
  lostFrames: number;
  droppedByServer: number | null;
  clientFramesMin: number;
  clientFramesMax: number;
  intervals: (IntervalSample & { droppedByServer: number | null })[];
  histograms: { latencyUs: string; rttUs: string; connectUs: string };
  rttUnanswered: number;
  stepSpan: { steps: number; seconds: number };
  /** steps the server advanced per second as seen by its clients (null: no steps tracked) */
  stepsPerSecond: number | null;
  formatsSeen: { json: number; msgpack: number };
  anomalies: Record<string, number>;
  cpu: CpuCheck;
  valid: boolean;
  invalidReason: string | null;
}
