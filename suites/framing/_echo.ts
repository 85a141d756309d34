// Whether the target echoes (issue 12 §1, `--echo`): checked once per run and target with one small
// text message on a connection of its own, so that against a server that does not echo every echo
// row says so once in its reason ("the target does not echo"), unimplemented, instead of failing.
import type { CaseContext, RunConfig } from '../../src/engine/types.js';
import { openRaw } from '../../src/wire/raw.js';
import { OPCODE } from '../../src/wire/frames.js';
import { originHeaders } from '../_shared/http.js';

export type EchoCheck = { echo: true } | { echo: false; why: string } | { error: string };

/** The text the echo check sends (and expects back). */
export const PROBE = 'wsconform echo check';
const PROBE_MS = 2000;

/** One check per run (its RunConfig object) and target URL. */
const checks = new WeakMap<RunConfig, Map<string, Promise<EchoCheck>>>();

async function probe(ctx: CaseContext): Promise<EchoCheck> {
  const u = new URL(ctx.target.url);
  let raw: Awaited<ReturnType<typeof openRaw>>;
  try {
    raw = await openRaw({
      host: u.hostname.replace(/^\[|\]$/g, ''),
      port: Number(u.port || (u.protocol === 'wss:' ? 443 : 80)),
      path: `${u.pathname}${u.search}`,
      tls: u.protocol === 'wss:',
      maxPayload: ctx.config.limits.maxMessageBytes,
    });
  } catch (err) {
    return { error: `the echo check could not connect (${(err as Error).message})` };
  }
  try {
    const head = await raw.handshake({ headers: originHeaders(ctx), timeoutMs: PROBE_MS });
    if (head?.status !== 101)
      return {
        error: `the echo check's upgrade got ${head ? `HTTP ${head.status}` : 'no answer'} instead of 101`,
      };
    raw.sendFrame({ opcode: OPCODE.text, payload: PROBE });
    const deadline = Date.now() + PROBE_MS;
    for (;;) {
      const left = deadline - Date.now();
      const f = left > 0 ? await raw.readFrame(left) : null;
      if (f === null) return { echo: false, why: `a text message got no echo within ${PROBE_MS} ms` };
      if (f.opcode === OPCODE.close)
        return { echo: false, why: 'a text message was answered by a close frame' };
      if (f.opcode === OPCODE.text && f.fin && f.payload.toString('utf8') === PROBE) return { echo: true };
      if (f.opcode === OPCODE.text || f.opcode === OPCODE.binary)
        return { echo: false, why: 'a text message was answered by another message' };
    }
  } finally {
    raw.sendFrame({ opcode: OPCODE.close, payload: Buffer.from([0x03, 0xe8]) });
    raw.destroy();
  }
}

/** The run's echo check of this case's target (started by the first case that asks). */
export function echoCheck(ctx: CaseContext): Promise<EchoCheck> {
  let byUrl = checks.get(ctx.config);
  if (!byUrl) {
    byUrl = new Map();
    checks.set(ctx.config, byUrl);
  }
  let check = byUrl.get(ctx.target.url);
  if (!check) {
    check = probe(ctx);
    byUrl.set(ctx.target.url, check);
  }
  return check;
}

/** The reason echo rows are unimplemented without --echo. */
export const NO_ECHO_FLAG =
  'an echo row needs a target that echoes every message: pass --echo (with --protocol generic) when it does';

/** Ends the case unless the run says the target echoes (--echo) and the check confirms it. */
export async function requireEcho(ctx: CaseContext): Promise<void> {
  if (!ctx.config.echo) ctx.unimplemented(NO_ECHO_FLAG);
  const check = await echoCheck(ctx);
  if ('error' in check) ctx.precondition(false, check.error);
  if (!check.echo) ctx.unimplemented(`the target does not echo (${check.why}), although the run says --echo`);
}

/** Whether the row may also check echoes: --echo given and confirmed; never ends the case. */
export async function echoes(ctx: CaseContext): Promise<boolean> {
  if (!ctx.config.echo) return false;
  const check = await echoCheck(ctx);
  return 'echo' in check && check.echo;
}
