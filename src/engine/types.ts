// The engine's vocabulary. The engine knows no protocol: everything protocol-specific reaches it
// through a ProtocolAdapter (src/protocols/) and through the cases themselves (suites/, declared
// with defineCase of ./define-case.ts).
import type { FaultName } from '../schema/faults.js';

export type Protocol = 'atheria' | 'evolution' | 'generic';

export const SUITES = [
  'handshake',
  'auth',
  'heartbeat',
  'subscriptions',
  'errors',
  'binary',
  'rate-limits',
  'framing',
  'security',
  'schema',
] as const;
export type SuiteName = (typeof SUITES)[number];

export const VERDICTS = ['pass', 'fail', 'non-strict', 'informational', 'unimplemented', 'error'] as const;
/**
 * `error`: the case could not be judged (a precondition it needs was not met, the target went
 * down, or the harness failed); it fails the run but is no finding against a rule.
 */
export type Verdict = (typeof VERDICTS)[number];

/** RFC 2119 level of the rule a check enforces: must → fail, should → non-strict, may → informational. */
export type Level = 'must' | 'should' | 'may';

/** One thing a case found about the target: the rule, its level, what was seen, and where. */
export interface Finding {
  /** the profile rule the finding is about, e.g. 'A3' */
  rule: string;
  level: Level;
  message: string;
  /** index of the last transcript entry when the finding was made (its evidence) */
  transcriptIndex?: number;
  /** that transcript entry in one line (written into the reports, reports/findings.ts) */
  evidence?: string;
}

export interface Target {
  url: string;
  protocol: Protocol;
}

/** Settings of the target that the harness cannot discover and takes from the profile or flags. */
export interface TargetLimits {
  /** E10: client messages per sliding 1 s window per connection. */
  msgsPerSecond: number;
  /** E10: concurrent connections per user (JWT sub). */
  connsPerUser: number;
  /** E10: inbound payload bytes per connection per 60 s. */
  bytesPerMinute: number;
  /** C3: the largest message the server accepts (1 MiB by default). */
  maxMessageBytes: number;
  /** E2: how long an unauthenticated connection may stay open (default 10 s). */
  authTimeoutMs: number;
}

export interface RunConfig {
  /** E2: shared HS256 secret of the target; without it auth-dependent cases are unimplemented. */
  jwtSecret?: string;
  /** C2: an origin on the target's allow-list; without it origin cases are unimplemented. */
  originAllowed?: string;
  limits: TargetLimits;
  /** A6: the binary formats the target offers (--binary-formats); absent means both */
  binaryFormats?: ('msgpack' | 'cbor')[];
  /**
   * --echo: the target echoes every message (an echo endpoint, `--protocol generic --echo`); the
   * echo-based wire cases need it and are unimplemented without it (issue 12 §1).
   */
  echo?: boolean;
  /**
   * --timeout-scale (default 1): multiplies the waits a case makes for what it needs (an upgrade,
   * a precondition), never the budgets a rule fixes (E3's 1 s pong, C4's 2 s canary)
   */
  timeoutScale?: number;
  /** fast-check seed and runs per property. */
  seed: number;
  runs: number;
}

export interface TranscriptEntry {
  /** ms since the case started */
  t: number;
  dir: 'out' | 'in';
  kind: 'http' | 'text' | 'binary' | 'ping' | 'pong' | 'close';
  data: string;
  /** which connection of the case (1-based), when a case opens more than one */
  conn?: number;
}

/** A free-form note of a case (ctx.note, connection errors), reported beside its transcript. */
export interface CaseNote {
  /** ms since the case started */
  t: number;
  text: string;
  conn?: number;
}

/** One message received on a connection. */
export interface Received {
  /** ms since the case started */
  t: number;
  kind: 'text' | 'binary';
  /** the raw text of a text message */
  text?: string;
  /** the bytes of a binary message */
  data?: Buffer;
  /** parsed JSON of a text message, undefined if it was not JSON */
  json?: unknown;
  /** `json.type` when it is a string */
  type?: string;
}

export interface CloseInfo {
  code: number;
  reason: string;
}

/** A schema violation of a received message (C5). */
export interface Violation {
  /** message type, or '(unknown)' / '(binary)' */
  messageType: string;
  /** JSON pointer into the message */
  instancePath: string;
  /** JSON pointer into the schema */
  schemaPath: string;
  message: string;
  /** the rule broken: C5 (schema) unless a per-connection invariant of another rule (A5, E4) */
  rule?: string;
  /** the level of the rule broken, 'must' unless said otherwise */
  level?: 'must' | 'should';
  /** index of the message in its connection's `received` */
  index?: number;
  /** the message, truncated, as an example for the reports */
  example?: string;
}

/** A per-connection checker of received messages (C5 and run-wide invariants such as A5, E4). */
export interface InboundChecker {
  /** violations of one received message */
  inbound(m: Received): Violation[];
  /** a message this connection sent (text parsed as JSON, else undefined), with its time and kind */
  outbound?(json: unknown, t: number, kind: 'text' | 'binary'): void;
}

export interface ConnectOptions {
  /** path + query to use instead of the target's path */
  path?: string;
  headers?: Record<string, string>;
  /** subprotocols to offer */
  protocols?: string[];
  origin?: string;
  /** handshake timeout, default 2000 ms */
  timeoutMs?: number;
  /** do not validate inbound messages against the protocol's schemas (for raw probing) */
  skipValidation?: boolean;
}

/** Result of an upgrade attempt: a connection, or the HTTP answer that refused it. */
export type OpenResult =
  | { ok: true; conn: Conn; status: 101; headers: Record<string, string | string[] | undefined> }
  | {
      ok: false;
      /** HTTP status, 0 when the TCP connection failed or the handshake timed out */
      status: number;
      headers: Record<string, string | string[] | undefined>;
      body: string;
      error?: string;
    };

/** A recorded WebSocket connection (client side, masked frames, via `ws`). */
export interface Conn {
  readonly id: number;
  readonly isOpen: boolean;
  /** the subprotocol the server selected, '' if none */
  readonly protocol: string;
  /** every message received so far, in order */
  readonly received: readonly Received[];
  sendJson(value: unknown): void;
  sendText(text: string): void;
  sendBinary(data: Uint8Array): void;
  /** WebSocket ping control frame (RFC 6455 §5.5.2) */
  ping(payload?: Buffer): void;
  close(code?: number, reason?: string): void;
  /** drop the TCP connection without a closing handshake */
  terminate(): void;
  /**
   * The next message received after this call (or already received and not yet consumed by
   * `next`) that matches `pred`; null on timeout or when the connection closes first.
   */
  next(pred?: (m: Received) => boolean, timeoutMs?: number): Promise<Received | null>;
  /** every message matching `pred` that arrives during the next `ms` milliseconds */
  collect(ms: number, pred?: (m: Received) => boolean): Promise<Received[]>;
  /** the payload of the next pong, null on timeout */
  nextPong(timeoutMs?: number): Promise<Buffer | null>;
  /** close info once the connection is closed (by either side), null on timeout */
  closed(timeoutMs?: number): Promise<CloseInfo | null>;
  /** schema violations seen on this connection so far */
  readonly violations: readonly Violation[];
  /**
   * Marks received messages as checked by the case: their C5 violations are then findings of the
   * case, not only of the run-wide schema results. Reading a message (next, collect) does not
   * claim it: a case of another rule that merely reads a bad reply must not fail for it (one
   * defect, one failing rule); the schema cases declare the types they check (`validates`).
   */
  claim(...messages: readonly Received[]): void;
}

/** A raw TCP connection for what a WebSocket library will not send (src/wire/raw.ts). */
export interface RawFrame {
  fin: boolean;
  rsv: number;
  opcode: number;
  masked: boolean;
  payload: Buffer;
}

export interface RawConn {
  write(data: Buffer | string): void;
  /** send a complete upgrade request for the target path; returns the parsed HTTP response head */
  handshake(opts?: {
    path?: string;
    method?: string;
    headers?: Record<string, string | undefined>;
    timeoutMs?: number;
  }): Promise<{ status: number; headers: Record<string, string>; raw: string; acceptOk?: boolean } | null>;
  /** read the HTTP response head of a request written by hand */
  readHttpResponse(
    timeoutMs?: number,
  ): Promise<{ status: number; headers: Record<string, string>; raw: string } | null>;
  /** build and send a frame; masked with a random key unless `mask: false` */
  sendFrame(frame: {
    opcode: number;
    payload?: Buffer | string;
    fin?: boolean;
    rsv?: number;
    mask?: boolean;
    /** lie about the payload length in the header (the real payload is still written) */
    lengthOverride?: number | bigint;
  }): void;
  /** the next complete frame from the server, null on timeout or close */
  readFrame(timeoutMs?: number): Promise<RawFrame | null>;
  /** resolves true when the server has closed the TCP connection within the timeout */
  ended(timeoutMs?: number): Promise<boolean>;
  destroy(): void;
}

export interface CaseContext {
  /** the id of the running case, e.g. to derive a per-case user (E10 limits count per user) */
  readonly caseId: string;
  readonly target: Target;
  readonly config: RunConfig;
  /** aborted when the case times out */
  readonly signal: AbortSignal;
  /** upgrade to the target; never throws for an HTTP refusal */
  open(opts?: ConnectOptions): Promise<OpenResult>;
  /** upgrade to the target; a refusal fails the case (MUST) */
  connect(opts?: ConnectOptions): Promise<Conn>;
  /** a raw TCP socket to the target's host and port */
  raw(): Promise<RawConn>;
  /**
   * MUST: a `must` finding that ends the case (throws) unless `cond`. `rule` defaults to the
   * first rule the case cites.
   */
  require(cond: unknown, reason: string, rule?: string): asserts cond;
  /** SHOULD: records a `should` finding (non-strict) unless `cond`, and goes on; returns `cond` */
  should(cond: unknown, reason: string, rule?: string): boolean;
  /** MAY: records an observation, reported as informational unless something worse is recorded */
  inform(observation: string, rule?: string): void;
  /** ends the case with a `must` finding */
  fail(reason: string, rule?: string): never;
  /** ends the case as unimplemented: the target lacks an optional feature or the run lacks an input */
  unimplemented(reason: string): never;
  /**
   * Ends the case as `error` unless `cond`: something the case needs in order to test its rule
   * (a handshake, authentication, a subscription, ...) did not happen. That is no finding of
   * this case; `see` names the case that checks the precondition itself.
   * Reason: "precondition not met: <what>, see <see>".
   */
  precondition(cond: unknown, what: string, see?: string): asserts cond;
  /** ends the case as unimplemented unless the run has these inputs */
  needs(...inputs: ('jwtSecret' | 'originAllowed')[]): void;
  /** attaches a fast-check counterexample (and the seed that found it) to the result */
  counterexample(value: unknown): void;
  /** free-form note added to the transcript */
  note(text: string): void;
  sleep(ms: number): Promise<void>;
}

/**
 * Where a wire case comes from, for the reports to group by: the RFC 6455 section whose text fixes
 * the expected behaviour, and the Autobahn testsuite case it corresponds to, when there is one.
 */
export interface CaseRefs {
  /** e.g. '5.2', '7.4.1' */
  rfc: string;
  /** e.g. '6.4.3' */
  autobahn?: string;
}

/** A case as the engine runs it; cases are declared with defineCase (./define-case.ts), which derives the id. */
export interface CaseDefinition {
  /** e.g. EVO-AUTH-003, ATH-FRAMING-101: PREFIX-SUITE-NNN */
  id: string;
  protocol: Protocol;
  suite: SuiteName;
  /** profile rule ids, comma-separated: 'E2' or 'C3,C4' */
  rule: string;
  title: string;
  /**
   * The catalog's fault(s) (spec/faults.json) that break exactly the rule this case checks: the
   * fault self-test runs the case against a reference server with each and expects fail (or
   * non-strict when the case checks a SHOULD), with a finding that cites the fault's rule.
   */
  faults: readonly FaultName[];
  /** run the canary (C4) after this case: the case sends hostile input */
  hostile?: boolean;
  /**
   * Cases that share a group never run at the same time (e.g. 'atheria-sim' for cases that play,
   * pause or observe the shared simulation; 'evolution-run' for control/rollback).
   */
  exclusive?: string;
  /**
   * The case relies on the state of this group (e.g. 'evolution-run' running) but does not change
   * it: it runs beside other cases sharing the group, never beside an `exclusive` case of it.
   */
  shares?: string;
  /** per-case timeout, default 10 000 ms */
  timeoutMs?: number;
  /**
   * Server message types this case checks against their schemas (C5): a violation of one of them
   * on the case's connections is a finding of the case. Violations of other types (and of
   * messages the case did not `claim`) are reported once, in the run-wide `…-SCHEMA-RECV-…`
   * results, with the case in which they first arrived.
   */
  validates?: readonly string[];
  /** the RFC section and Autobahn case of a wire case (reported with its result) */
  refs?: CaseRefs;
  run(ctx: CaseContext): Promise<void>;
}

export interface CaseResult {
  id: string;
  protocol: Protocol;
  suite: SuiteName;
  rule: string;
  title: string;
  target: string;
  verdict: Verdict;
  durationMs: number;
  reason?: string;
  /** every finding of the case; the verdict is the worst of them (or unimplemented / error) */
  findings: Finding[];
  /** set when the case is listed in --expected-failures: why it is expected to fail */
  expectedFailure?: string;
  transcript: TranscriptEntry[];
  seed?: number;
  counterexample?: unknown;
  /** ctx.note texts and connection errors, in time order */
  notes?: CaseNote[];
  /** the case's RFC section and Autobahn case, when it declares them */
  refs?: CaseRefs;
}

/** Why a C4 canary failed, and the case that checks the step that failed (handshake, pong, ...). */
export interface CanaryFailure {
  reason: string;
  see: string;
  /** the canary could not even complete a WebSocket upgrade (no 101, a timeout, a wrong accept) */
  upgradeFailed?: boolean;
}

/** What the engine needs from a protocol; the rest of a protocol's helpers serve the cases. */
export interface ProtocolAdapter {
  protocol: Protocol;
  /** default path, e.g. '/ws' */
  path: string;
  /**
   * A per-connection checker of received messages against the protocol's server schemas (C5) and
   * the per-connection invariants (A5 step order, E4 channel scope). Message types the seed does
   * not list are no violation (A9, E1: MAY); the run reports them as informational.
   */
  inboundChecker(): InboundChecker;
  /** per-connection invariants the checker reports as violations with their own rule (A5, E4) */
  invariants: readonly { name: string; rule: string; title: string; needs: string }[];
  /**
   * the rule that lets a server send message types the seed does not list (A9, E1); '' for a
   * protocol without application messages (generic), which has no run-wide schema results
   */
  extraTypesRule: string;
  /**
   * Ids of the cases that check what other cases take for granted, named in `error` results:
   * `handshake` (an upgrade succeeds), `first` (the first message, e.g. initial_state), `auth`,
   * `origin` (an upgrade without Origin is allowed, C2).
   */
  preconditionCases: { handshake: string; first?: string; auth?: string; origin?: string };
  /**
   * C4 canary: a fresh connection that must complete the handshake and a heartbeat within 2 s.
   * Resolves null when healthy, else a one-sentence reason.
   */
  canary(
    open: (opts?: ConnectOptions) => Promise<OpenResult>,
    config: RunConfig,
  ): Promise<CanaryFailure | null>;
}
