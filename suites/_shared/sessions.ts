// The connections a C4 case sends hostile input on: one unauthenticated, and for Evolution with a
// JWT secret also one authenticated (E2), where most message types are acted on rather than
// refused as UNAUTHORIZED. They are vehicles, not what C4 judges: a refused upgrade ends the case
// `error` (ctx.connect), with PRECONDITION_MS to connect.
import type { CaseContext, Conn } from '../../src/engine/types.js';
import { currentFps, withSimulation } from '../../src/protocols/atheria-state.js';
import { preconditionMs, requireServerServes, requireServesBefore, shouldStillAnswer } from './health.js';
import { authHeaders } from './jwt.js';

export interface Session {
  /** for reasons: 'the connection', 'before auth', 'after auth' */
  label: string;
  authed: boolean;
  conn: Conn;
}

export async function hostileSessions(ctx: CaseContext): Promise<Session[]> {
  const evolution = ctx.target.protocol === 'evolution';
  const sessions: Session[] = [
    {
      label: evolution ? 'before auth' : 'the connection',
      authed: false,
      conn: await ctx.connect({ origin: ctx.config.originAllowed, timeoutMs: preconditionMs(ctx) }),
    },
  ];
  if (evolution && ctx.config.jwtSecret !== undefined) {
    const res = await ctx.open({
      origin: ctx.config.originAllowed,
      headers: await authHeaders(ctx),
      timeoutMs: preconditionMs(ctx),
    });
    // A refused bearer token is E2's business (the auth suite), not a C4 failure: go on without it.
    if (res.ok) sessions.push({ label: 'after auth', authed: true, conn: res.conn });
    else
      ctx.note(
        `an upgrade with a valid bearer token got HTTP ${res.status}; only the unauthenticated part runs`,
      );
  } else if (evolution) {
    ctx.note('no JWT secret: the hostile messages are sent before authentication only');
  }
  return sessions;
}

/**
 * Sends `build(protocol, authed)` on every session, then C4: a new client is served within 2 s
 * (MUST), and each sending connection still answers a ping (SHOULD: A4/E9 keep it open). A server
 * that does not serve a new client even before the input ends the case `error` (precondition).
 */
export async function sendHostile(
  ctx: CaseContext,
  what: string,
  build: (protocol: CaseContext['target']['protocol'], authed: boolean) => string[],
): Promise<void> {
  await requireServesBefore(ctx);
  if (ctx.target.protocol !== 'atheria') return sendOnSessions(ctx, what, build);
  // A0: a lenient server applies a wrongly typed set_fps or set_viz to the one shared simulation
  // (the public backend stores `viz_type: ["flow"]` as given). Such cases are writers of the
  // simulation (`exclusive: atheria-sim`) and put back the fps and viz they found.
  await withSimulation(ctx, {}, async (sim) => {
    const fps = await currentFps(sim);
    if (fps !== undefined) sim.restore.fps = fps;
    sim.restore.viz = DEFAULT_VIZ;
    await sendOnSessions(ctx, what, build);
  });
}

/** The viz the harness puts back: the seed's first viz type (what the viz cases restore too). */
const DEFAULT_VIZ = 'density';

async function sendOnSessions(
  ctx: CaseContext,
  what: string,
  build: (protocol: CaseContext['target']['protocol'], authed: boolean) => string[],
): Promise<void> {
  const sessions = await hostileSessions(ctx);
  try {
    for (const s of sessions) for (const text of build(ctx.target.protocol, s.authed)) s.conn.sendText(text);
    await requireServerServes(ctx, what);
    for (const s of sessions) await shouldStillAnswer(ctx, s.conn, `${what} (${s.label})`);
  } finally {
    for (const s of sessions) s.conn.close(1000);
  }
}
