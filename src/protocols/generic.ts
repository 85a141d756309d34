import { upgradeFailed } from '../engine/upgrade-failed.js';
import type {
  CanaryFailure,
  ConnectOptions,
  OpenResult,
  ProtocolAdapter,
  RunConfig,
} from '../engine/types.js';

// The generic adapter (issue 12 §1, `--protocol generic`): any WebSocket endpoint, with no
// application protocol. Nothing it sends is an application message, so nothing received is
// schema-checked (C5 has nothing to check) and there are no run-wide schema results; the C4 canary
// asks only what RFC 6455 fixes for every endpoint: the upgrade succeeds and a ping gets its pong.

/** C4: the canary must complete the handshake and the ping within this budget. */
const CANARY_MS = 2000;

/** The cases that check what the generic cases take for granted: an upgrade, a pong to a ping. */
export const GENERIC_PRECONDITIONS = {
  // RFC 6455 §5.5.2: a ping with no payload is answered (Autobahn 2.1); it needs a working upgrade
  handshake: 'GEN-FRAMING-2.1',
} as const;

async function canary(
  open: (opts?: ConnectOptions) => Promise<OpenResult>,
  _config: RunConfig,
): Promise<CanaryFailure | null> {
  const t0 = performance.now();
  const res = await open({ timeoutMs: CANARY_MS, skipValidation: true });
  if (!res.ok) {
    return {
      reason: `canary: the upgrade failed (HTTP ${res.status}${res.error ? `, ${res.error}` : ''}) (C4)`,
      see: GENERIC_PRECONDITIONS.handshake,
      upgradeFailed: upgradeFailed(res.status),
    };
  }
  const conn = res.conn;
  try {
    // RFC 6455 §5.5.2/§5.5.3: a ping gets a pong with the same payload
    conn.ping(Buffer.from('wsconform-canary'));
    const pong = await conn.nextPong(Math.max(1, CANARY_MS - (performance.now() - t0)));
    if (pong === null)
      return {
        reason: `canary: no pong to a ping within ${CANARY_MS} ms (C4)`,
        see: GENERIC_PRECONDITIONS.handshake,
      };
    return null;
  } finally {
    conn.close(1000, 'canary done');
  }
}

export const genericAdapter: ProtocolAdapter = {
  protocol: 'generic',
  // any path: a generic target is always given with --target (its path is the target's own)
  path: '/',
  inboundChecker() {
    return { inbound: () => [] };
  },
  invariants: [],
  // no application messages: no run-wide schema results (src/engine/schema-recv.ts)
  extraTypesRule: '',
  preconditionCases: GENERIC_PRECONDITIONS,
  canary,
};
