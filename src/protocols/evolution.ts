// The Evolution adapter: what the engine needs to know about the T-Developer evolution protocol
// (profile E1–E12): its path, how to check every received message (C5), and the C4 canary.
import { upgradeFailed } from '../engine/upgrade-failed.js';
import type {
  CanaryFailure,
  ConnectOptions,
  OpenResult,
  ProtocolAdapter,
  Received,
  RunConfig,
  Violation,
} from '../engine/types.js';
import { loadManifest } from '../schema/manifest.js';
import { validateReceived } from '../schema/index.js';
import { channelScope } from './evolution-channel-scope.js';
import { isType, pingTimestamp } from './evolution-client.js';

/** C4: the canary must complete within 2 s. */
const CANARY_BUDGET_MS = 2000;

/** C5/E1: every server message is JSON text of one of the protocol's types; binary never comes from the server. */
export function checkEvolutionMessage(m: Received): Violation[] {
  if (m.kind === 'binary')
    return [
      {
        messageType: '(binary)',
        instancePath: '',
        schemaPath: '',
        message: `a binary message of ${m.data?.length ?? 0} bytes; Evolution servers send only JSON text (E1)`,
      },
    ];
  if (m.json === undefined)
    return [
      {
        messageType: '(unknown)',
        instancePath: '',
        schemaPath: '',
        message: `text that is not JSON: ${JSON.stringify((m.text ?? '').slice(0, 80))} (E1)`,
      },
    ];
  const found = validateReceived('evolution', m.json);
  // The acknowledgements auth_ok, subscribed and unsubscribed are the profile's own (E1, E4): the
  // seed defines none, so a server's other shape for them is the profile's pick, a SHOULD.
  if (m.type !== undefined && OPTIONAL_TYPES.has(m.type)) for (const v of found) v.level = 'should';
  return found;
}

const OPTIONAL_TYPES = new Set(loadManifest('evolution').optionalServerMessages);

/**
 * E3: a ping whose `timestamp` is missing or not a number MAY be answered by a pong echoing that
 * value; such a pong is not judged by the numeric-timestamp rule. Pings are answered in order, so
 * the checker pairs each pong with the oldest unanswered ping of the connection.
 */
function pongPairing(): { sent(json: unknown): void; exempt(m: Received): boolean } {
  const pings: boolean[] = [];
  return {
    sent(json) {
      const msg = json as { type?: unknown; timestamp?: unknown } | undefined;
      if (msg && typeof msg === 'object' && msg.type === 'ping')
        pings.push(typeof msg.timestamp !== 'number');
    },
    exempt(m) {
      if (m.type !== 'pong') return false;
      return pings.shift() === true;
    },
  };
}

async function canary(
  open: (opts?: ConnectOptions) => Promise<OpenResult>,
  _config: RunConfig,
): Promise<CanaryFailure | null> {
  const deadline = Date.now() + CANARY_BUDGET_MS;
  const left = (): number => Math.max(1, deadline - Date.now());
  const r = await open({ timeoutMs: CANARY_BUDGET_MS });
  if (!r.ok) {
    return {
      reason: `the canary upgrade failed (HTTP ${r.status}${r.error ? `, ${r.error}` : ''}) (C4)`,
      see: r.status === 403 ? EVOLUTION_PRECONDITIONS.origin : EVOLUTION_PRECONDITIONS.handshake,
      upgradeFailed: upgradeFailed(r.status),
    };
  }
  const conn = r.conn;
  try {
    // RFC 6455 §5.5.2/§5.5.3: a ping gets a pong with the same payload.
    const payload = Buffer.from(`wsconform-canary-${pingTimestamp()}`);
    conn.ping(payload);
    const pong = await conn.nextPong(left());
    if (pong === null)
      return { reason: 'the canary got no WebSocket pong within 2 s (C4)', see: 'EVO-HEARTBEAT-100' };
    // E3: an application ping is answered without authentication.
    const timestamp = pingTimestamp();
    conn.sendJson({ type: 'ping', timestamp });
    const appPong = await conn.next(isType('pong'), left());
    if (appPong === null) {
      return { reason: 'the canary got no application pong within 2 s (C4, E3)', see: 'EVO-HEARTBEAT-001' };
    }
    return null;
  } finally {
    conn.close(1000);
  }
}

/** The cases that check what the other Evolution cases take for granted. */
export const EVOLUTION_PRECONDITIONS = {
  handshake: 'EVO-HANDSHAKE-100',
  auth: 'EVO-AUTH-001',
  origin: 'EVO-HANDSHAKE-110',
} as const;

export const evolutionAdapter: ProtocolAdapter = {
  protocol: 'evolution',
  path: loadManifest('evolution').path,
  inboundChecker() {
    const scope = channelScope();
    const pongs = pongPairing();
    return {
      inbound(m) {
        let out = checkEvolutionMessage(m);
        if (pongs.exempt(m)) out = out.filter((v) => v.instancePath !== '/timestamp');
        const outOfScope = scope.received(m.type, m.t);
        if (outOfScope) out.push(outOfScope);
        return out;
      },
      outbound(json, t, kind) {
        scope.sent(json, t, kind);
        pongs.sent(json);
      },
    };
  },
  invariants: [
    {
      name: 'channel-scope',
      rule: 'E4',
      title:
        'on every connection, channel events arrive only for the channels it subscribed to (none before its first subscribe)',
      needs: 'evolution_update',
    },
  ],
  extraTypesRule: 'E1',
  preconditionCases: EVOLUTION_PRECONDITIONS,
  canary,
};
