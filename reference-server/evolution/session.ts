// One evolution connection: its E10 counters, its strictly ordered inbound queue (E2: a message
// waits while an earlier one, e.g. an async token check, is still being handled), its
// subscriptions (E4/E5), its auth state and timers (E2), and the ways to send to it.
import type { WebSocket } from 'ws';
import { type Clock, MAX_TIMER_MS, type TimerHandle } from '../clock.js';
import type { ServerOptions } from '../endpoint.js';
import type { FaultName } from '../faults.js';
import type { ErrorLog } from '../log.js';
import type { ServerMetrics } from '../metrics.js';
import type { Channel, Filters } from './channels.js';
import type { Body, Envelope } from './envelope.js';
import { type ErrorCode, errorBody } from './errors.js';
import { ByteWindow, SlidingWindowLimiter } from './rate-limit.js';
import { messageTypeOf } from './read.js';
import type { RequestStats } from './stats.js';

/** send options shared by every broadcast send (no allocation per subscriber) */
const TEXT = { binary: false } as const;

/** E10: at most one RATE_LIMITED error per this many ms */
const RATE_ERROR_INTERVAL_MS = 100;

export type Handler = (session: Session, data: Buffer, isBinary: boolean) => void | Promise<void>;

/**
 * What a session uses of the endpoint: a narrow view of `Evo` (./context.ts), which satisfies it.
 * Declared here so that this file does not import context.ts (context → hub → session → context
 * was an import cycle).
 */
export interface SessionDeps {
  options: Pick<ServerOptions, 'rateMsgs' | 'rateBytes' | 'jwtLeewaySec'>;
  metrics: ServerMetrics;
  has(fault: FaultName): boolean;
  clock: Clock;
  logError: ErrorLog;
  envelope: Envelope;
  stats: RequestStats;
  /** broadcast events are skipped for a client with more unsent bytes than this */
  slowClientBytes: number;
  hub: { remove(session: Session): void };
}

interface Inbound {
  data: Buffer;
  isBinary: boolean;
  at: number;
}

export class Session {
  user: string | undefined;
  readonly channels = new Set<Channel>();
  filters: Filters | undefined;
  private readonly queue: Inbound[] = [];
  private busy = false;
  private readonly rate: SlidingWindowLimiter;
  private readonly bytes = new ByteWindow();
  private lastRateError = Number.NEGATIVE_INFINITY;
  /** the evo-msg-rate-fixed-window fault: start and count of the current fixed window */
  private fixedStart = 0;
  private fixedCount = 0;
  private authTimer: TimerHandle | undefined;
  private expiryTimer: TimerHandle | undefined;

  constructor(
    readonly ws: WebSocket,
    /** the server's id of the connection, for the error log */
    readonly id: string,
    private readonly evo: SessionDeps,
    private readonly handle: Handler,
  ) {
    this.rate = new SlidingWindowLimiter(evo.options.rateMsgs, 1000);
    this.fixedStart = evo.clock.monotonic();
  }

  /** E10: the sliding window; evo-msg-rate-fixed-window (SHOULD) uses fixed 1 s windows instead */
  private admitted(now: number): boolean {
    if (!this.evo.has('evo-msg-rate-fixed-window')) return this.rate.tryAcquire(now);
    if (now - this.fixedStart >= 1000) {
      this.fixedStart = now - ((now - this.fixedStart) % 1000);
      this.fixedCount = 0;
    }
    return ++this.fixedCount <= this.evo.options.rateMsgs;
  }

  get open(): boolean {
    return this.ws.readyState === this.ws.OPEN;
  }

  /** E10 checks on arrival, then the ordered queue */
  receive(data: Buffer, isBinary: boolean): void {
    const { evo } = this;
    evo.metrics.messagesIn++;
    if (!this.open) return;
    const now = this.evo.clock.monotonic();
    // E10: over rateBytes of payload in 60 s → RATE_LIMITED, then close 1008
    if (!evo.has('evo-no-byte-limit') && this.bytes.add(now, data.length) > evo.options.rateBytes) {
      evo.metrics.rateLimitRejections++;
      this.error('RATE_LIMITED', `more than ${evo.options.rateBytes} bytes received within 60 s`);
      // evo-byte-limit-no-close (E10 SHOULD): the excess is dropped but the connection stays open
      if (!evo.has('evo-byte-limit-no-close')) this.close(1008, 'data rate limit exceeded');
      return;
    }
    // E10: over rateMsgs in any sliding 1 s window → the message is not acted on
    if (!evo.has('evo-no-msg-rate-limit') && !this.admitted(now)) {
      evo.metrics.rateLimitRejections++;
      if (now - this.lastRateError >= RATE_ERROR_INTERVAL_MS) {
        this.lastRateError = now;
        this.error('RATE_LIMITED', `more than ${evo.options.rateMsgs} messages per second: message dropped`);
      }
      return;
    }
    this.queue.push({ data, isBinary, at: now });
    this.drain();
  }

  private drain(): void {
    while (!this.busy) {
      const item = this.queue.shift();
      if (!item) return;
      if (!this.open) {
        this.queue.length = 0;
        return;
      }
      const { clock } = this.evo;
      const pending = this.start(item);
      if (!pending) {
        this.evo.stats.done(clock.monotonic() - item.at);
        continue;
      }
      this.busy = true;
      pending
        .catch((error: unknown) => this.failed(item, error))
        .finally(() => {
          this.busy = false;
          this.evo.stats.done(clock.monotonic() - item.at);
          this.drain();
        });
    }
  }

  /** runs the handler of `item`; a pending promise when it is async (an auth token check) */
  private start(item: Inbound): Promise<void> | undefined {
    try {
      const result = this.handle(this, item.data, item.isBinary);
      return result instanceof Promise ? result : undefined;
    } catch (error) {
      this.failed(item, error);
      return undefined;
    }
  }

  /** A handler threw: a bug of ours. Logged; the client gets EVOLUTION_FAILED (E9) and no detail. */
  private failed(item: Inbound, error: unknown): void {
    this.evo.logError({ connection: this.id, messageType: messageTypeOf(item.data, item.isBinary), error });
    this.error('EVOLUTION_FAILED', 'internal error while handling the message');
  }

  send(type: string, body: Body = {}): void {
    this.sendText(this.evo.envelope.encode(type, body));
  }

  sendText(text: string): void {
    if (!this.open) return;
    this.ws.send(text);
    this.evo.metrics.messagesOut++;
  }

  /** broadcast path: the same serialized Buffer for every subscriber; slow clients are skipped */
  sendShared(message: Buffer): boolean {
    if (!this.open) return false;
    if (this.ws.bufferedAmount > this.evo.slowClientBytes) {
      this.evo.metrics.framesDropped++;
      return false;
    }
    this.ws.send(message, TEXT);
    this.evo.metrics.messagesOut++;
    return true;
  }

  error(code: ErrorCode, message: string, details?: Body): void {
    this.evo.stats.error();
    this.send('error', errorBody(this.evo.has, code, message, details));
  }

  close(code: number, reason: string): void {
    if (this.open) this.ws.close(code, reason);
  }

  /** E2: an unauthenticated connection is closed with 1008 after the auth timeout (SHOULD) */
  armAuthTimeout(ms: number): void {
    if (this.evo.has('evo-no-auth-timeout')) return;
    this.authTimer = this.evo.clock.setTimeout(() => {
      if (this.user === undefined) this.close(1008, 'authentication timeout');
    }, ms);
  }

  /** E2: close 1008 once `exp` + leeway has passed (SHOULD, by 35 s after exp) */
  setExpiry(exp: number | undefined): void {
    const { clock } = this.evo;
    clock.clearTimeout(this.authTimer);
    clock.clearTimeout(this.expiryTimer);
    if (exp === undefined || this.evo.has('evo-no-expiry-close')) return;
    const deadline = (exp + this.evo.options.jwtLeewaySec) * 1000;
    const arm = () => {
      const wait = deadline - clock.now();
      if (wait > 0) {
        this.expiryTimer = clock.setTimeout(arm, Math.min(wait, MAX_TIMER_MS));
        return;
      }
      this.error('AUTH_FAILED', 'token expired');
      this.close(1008, 'token expired');
    };
    arm();
  }

  dispose(): void {
    this.evo.clock.clearTimeout(this.authTimer);
    this.evo.clock.clearTimeout(this.expiryTimer);
    this.queue.length = 0;
    this.evo.hub.remove(this);
  }
}
