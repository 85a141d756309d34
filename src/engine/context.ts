import type { WsConn } from '../wire/conn.js';
import { openWs, type WsOpenResult } from '../wire/open.js';
import { openRaw } from '../wire/raw.js';
import { Transcript } from '../wire/transcript.js';
import type {
  CaseContext,
  ConnectOptions,
  OpenResult,
  ProtocolAdapter,
  RawConn,
  RunConfig,
  Target,
} from './types.js';
import { CaseEnd, Outcome } from './verdict.js';

// One running case: its context (what the case sees), its transcript, and every connection it
// opened, so that the runner can close them all when the case ends, however it ends.

export class CaseRun {
  readonly transcript = new Transcript();
  readonly outcome: Outcome;
  readonly conns: WsConn[] = [];
  readonly raws: RawConn[] = [];
  readonly controller = new AbortController();
  counterexample: { value: unknown } | undefined;
  private nextConnId = 1;

  constructor(
    readonly caseId: string,
    readonly target: Target,
    readonly config: RunConfig,
    private readonly adapter: ProtocolAdapter,
    /** the rules the case cites, comma-separated; findings cite the first unless they name one */
    rules = '',
  ) {
    const first = rules.split(',')[0]?.trim() || 'C5';
    this.outcome = new Outcome(first, () => this.transcript.entries.length - 1);
  }

  get ended(): boolean {
    return this.controller.signal.aborted;
  }

  private assertRunning(): void {
    if (this.ended) throw new CaseEnd('error', `the case ended (${String(this.controller.signal.reason)})`);
  }

  /** An upgrade recorded in this case's transcript; `validate` false skips the C5 checker. */
  async open(opts: ConnectOptions = {}): Promise<OpenResult> {
    this.assertRunning();
    const r = await this.openWith(opts, !opts.skipValidation);
    // A connection opened after the case ended (a case still running past its timeout) is
    // closed at once.
    if (r.ok && this.ended) void r.conn.shutdown(0);
    return r;
  }

  /** The C4 canary's upgrades: after the case's end, recorded in its transcript, not schema-checked. */
  canaryOpen = (opts: ConnectOptions = {}): Promise<OpenResult> => this.openWith(opts, false);

  private async openWith(opts: ConnectOptions, validate: boolean): Promise<WsOpenResult> {
    const r = await openWs(this.target.url, opts, {
      transcript: this.transcript,
      connId: this.nextConnId++,
      checker: validate ? this.adapter.inboundChecker() : null,
      maxMessageBytes: this.config.limits.maxMessageBytes,
    });
    if (r.ok) this.conns.push(r.conn);
    return r;
  }

  /** Closes every connection of the case (close handshake, then a hard drop after `ms`). */
  async closeAll(ms = 1000): Promise<void> {
    for (const raw of this.raws) raw.destroy();
    await Promise.all(this.conns.map((c) => c.shutdown(ms)));
  }

  /** The connections whose messages were schema-checked (C5). */
  checkedConns(): WsConn[] {
    return this.conns.filter((c) => c.checked);
  }

  context(): CaseContext {
    const { caseId, target, config, outcome, transcript } = this;
    const signal = this.controller.signal;
    const run = this;
    const handshakeCase = this.adapter.preconditionCases.handshake;
    const originCase = this.adapter.preconditionCases.origin;
    return {
      caseId,
      target,
      config,
      signal,
      open: (opts) => run.open(opts),
      async connect(opts) {
        const r = await run.open(opts);
        // A case that needs a connection tests something else: a refused upgrade is the
        // handshake cases' finding, not this case's.
        if (!r.ok) {
          const why = r.status === 0 ? r.error : `HTTP ${r.status}${r.error ? ` (${r.error})` : ''}`;
          // 403 is the answer of an origin check (C2): the origin cases say whether it is right
          const see = r.status === 403 ? (originCase ?? handshakeCase) : handshakeCase;
          throw new CaseEnd(
            'error',
            `precondition not met: the upgrade to ${target.url} was refused: ${why}, see ${see}`,
          );
        }
        return r.conn;
      },
      async raw() {
        run.assertRunning();
        const u = new URL(target.url);
        const raw = await openRaw({
          host: u.hostname.replace(/^\[|\]$/g, ''),
          port: Number(u.port || (u.protocol === 'wss:' ? 443 : 80)),
          path: `${u.pathname}${u.search}`,
          tls: u.protocol === 'wss:',
          transcript,
          connId: run.nextConnId++,
          maxPayload: config.limits.maxMessageBytes,
        });
        run.raws.push(raw);
        if (run.ended) raw.destroy();
        return raw;
      },
      require(cond: unknown, reason: string, rule?: string): asserts cond {
        if (!cond) throw new CaseEnd('fail', reason, rule);
      },
      should(cond, reason, rule) {
        if (!cond) outcome.find('should', reason, rule);
        return Boolean(cond);
      },
      inform(observation, rule) {
        outcome.find('may', observation, rule);
      },
      fail(reason, rule): never {
        throw new CaseEnd('fail', reason, rule);
      },
      unimplemented(reason): never {
        throw new CaseEnd('unimplemented', reason);
      },
      precondition(cond: unknown, what: string, see?: string): asserts cond {
        if (!cond) throw new CaseEnd('error', `precondition not met: ${what}${see ? `, see ${see}` : ''}`);
      },
      needs(...inputs) {
        const missing = inputs.filter((i) => !config[i]);
        if (missing.length) {
          const flags = missing.map((i) => (i === 'jwtSecret' ? '--jwt-secret' : '--origin-allowed'));
          throw new CaseEnd(
            'unimplemented',
            `the run has no ${missing.join(' or ')} (pass ${flags.join(' and ')})`,
          );
        }
      },
      counterexample(value) {
        run.counterexample = { value };
      },
      note(text) {
        transcript.note(text);
      },
      sleep(ms) {
        return new Promise<void>((resolve, reject) => {
          if (signal.aborted) return reject(new CaseEnd('error', 'the case ended'));
          const onAbort = () => {
            clearTimeout(timer);
            reject(new CaseEnd('error', 'the case ended'));
          };
          const timer = setTimeout(() => {
            signal.removeEventListener('abort', onAbort);
            resolve();
          }, ms);
          signal.addEventListener('abort', onAbort, { once: true });
        });
      },
    };
  }
}
