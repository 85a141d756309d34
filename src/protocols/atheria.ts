import { upgradeFailed } from '../engine/upgrade-failed.js';
import type {
  CanaryFailure,
  ConnectOptions,
  OpenResult,
  ProtocolAdapter,
  RunConfig,
} from '../engine/types.js';
import { BINARY } from '../engine/schema-recv.js';
import { createAtheriaChecker } from './atheria-checker.js';
import { stepOrder } from './atheria-step-order.js';
import { describe, waitFor } from './atheria-wait.js';

// The Atheria adapter (spec/PROFILE.md A0–A9): what the engine needs to know about /ws.
// Case helpers live in src/protocols/atheria-*.ts.

/** C4: the canary must complete the handshake and its heartbeat within this budget. */
export const CANARY_MS = 2000;

/**
 * C4 canary for Atheria: a fresh connection gets `initial_state` as its first message (A1) and
 * answers a WebSocket ping with a pong (RFC 6455 §5.5.2), all within 2 s of starting the upgrade.
 */
async function canary(
  open: (opts?: ConnectOptions) => Promise<OpenResult>,
  _config: RunConfig,
): Promise<CanaryFailure | null> {
  const t0 = performance.now();
  const left = () => Math.max(0, CANARY_MS - (performance.now() - t0));
  const res = await open({ timeoutMs: CANARY_MS, skipValidation: true });
  if (!res.ok) {
    return {
      reason: `canary: the upgrade failed (HTTP ${res.status}${res.error ? `, ${res.error}` : ''})`,
      see: res.status === 403 ? ATHERIA_PRECONDITIONS.origin : ATHERIA_PRECONDITIONS.handshake,
      upgradeFailed: upgradeFailed(res.status),
    };
  }
  const conn = res.conn;
  try {
    const payload = Buffer.from('wsconform-canary');
    conn.ping(payload);
    const [first, pong] = await Promise.all([waitFor(conn, 0, () => true, left()), conn.nextPong(left())]);
    if (!first)
      return { reason: `canary: no initial_state within ${CANARY_MS} ms`, see: ATHERIA_PRECONDITIONS.first };
    if (first.message.type !== 'initial_state') {
      return {
        reason: `canary: the first message was ${describe(first.message)}, not initial_state`,
        see: ATHERIA_PRECONDITIONS.first,
      };
    }
    if (!pong)
      return { reason: `canary: no pong to a ping within ${CANARY_MS} ms`, see: 'ATH-HEARTBEAT-100' };
    return null;
  } finally {
    conn.close(1000, 'canary done');
  }
}

/** The cases that check what the other Atheria cases take for granted. */
export const ATHERIA_PRECONDITIONS = {
  handshake: 'ATH-HANDSHAKE-100',
  first: 'ATH-HANDSHAKE-001',
  origin: 'ATH-HANDSHAKE-110',
} as const;

export const atheriaAdapter: ProtocolAdapter = {
  protocol: 'atheria',
  path: '/ws',
  inboundChecker() {
    const checker = createAtheriaChecker();
    const steps = stepOrder();
    return {
      inbound(m) {
        const out = checker.check(m);
        const step = checker.frameStep;
        const broken = step === undefined ? null : steps.see(step);
        if (broken) out.push(broken);
        return out;
      },
    };
  },
  invariants: [
    {
      name: 'step-order',
      rule: 'A5',
      title:
        'on every connection, simulation_frame steps strictly increase (a restart after load_experiment allowed)',
      needs: 'simulation_frame',
    },
    {
      name: 'binary-framing',
      rule: 'A6',
      title:
        'on every connection, each binary frame header is followed by exactly one binary payload of the announced size that decodes',
      needs: BINARY,
    },
  ],
  extraTypesRule: 'A9',
  preconditionCases: ATHERIA_PRECONDITIONS,
  canary,
};
