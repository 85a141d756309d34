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
  readonly outcome = new Outcome();
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
  ) {}

  get ended(): boolean {
    return this.controller.signal.aborted;
  }

  private assertRunning(): void {
    if (this.ended) throw new CaseEnd('fail', `the case ended (${String(this.controller.signal.reason)})`);
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
    return {
      caseId,
      target,
      config,
      signal,
      open: (opts) => run.open(opts),
      async connect(opts) {
        const r = await run.open(opts);
        if (!r.ok) {
          throw new CaseEnd(
            'fail',
            `upgrade to ${target.url} refused: ${r.status === 0 ? r.error : `HTTP ${r.status}${r.error ? ` (${r.error})` : ''}`}`,
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
        });
        run.raws.push(raw);
        if (run.ended) raw.destroy();
        return raw;
      },
      require(cond: unknown, reason: string): asserts cond {
        if (!cond) throw new CaseEnd('fail', reason);
      },
      should(cond, reason) {
        if (!cond) outcome.record('non-strict', reason);
        return Boolean(cond);
      },
      inform(observation) {
        outcome.record('informational', observation);
      },
      fail(reason): never {
        throw new CaseEnd('fail', reason);
      },
      unimplemented(reason): never {
        throw new CaseEnd('unimplemented', reason);
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
          if (signal.aborted) return reject(new CaseEnd('fail', 'the case ended'));
          const onAbort = () => {
            clearTimeout(timer);
            reject(new CaseEnd('fail', 'the case ended'));
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
