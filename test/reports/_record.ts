// A fake finished run with every verdict, for the reporter tests: realistic findings (two cases
// share one, a failing case also has a SHOULD finding), a case that could not be judged (error),
// and a case listed in --expected-failures.
import type { RunRecord } from '../../src/engine/events.js';
import { summarize } from '../../src/engine/events.js';
import type { CaseResult } from '../../src/engine/types.js';

export function fakeRecord(): RunRecord {
  const base = { protocol: 'evolution' as const, target: 'ws://127.0.0.1:8000/v1/evolution', durationMs: 12 };
  const results: CaseResult[] = [
    {
      ...base,
      id: 'EVO-AUTH-001',
      suite: 'auth',
      rule: 'E2',
      title: 'a valid bearer token is accepted',
      verdict: 'pass',
      findings: [],
      transcript: [
        { t: 0, dir: 'out', kind: 'http', data: 'GET /v1/evolution HTTP/1.1', conn: 1 },
        { t: 3, dir: 'in', kind: 'http', data: '101 Switching Protocols', conn: 1 },
      ],
    },
    {
      ...base,
      id: 'EVO-AUTH-003',
      suite: 'auth',
      rule: 'E2',
      title: 'alg=none token is rejected with AUTH_FAILED & close 1008',
      verdict: 'fail',
      findings: [
        {
          rule: 'E2',
          level: 'must',
          message: 'no error AUTH_FAILED within 1000 ms <script>alert(1)</script>',
          transcriptIndex: 1,
        },
        {
          rule: 'E2',
          level: 'should',
          message: 'the connection was not closed within 1 s',
          transcriptIndex: 2,
        },
      ],
      reason: 'no error AUTH_FAILED within 1000 ms <script>alert(1)</script>',
      transcript: [
        { t: 0, dir: 'out', kind: 'text', data: '{"type":"auth","token":"x"}' },
        { t: 2, dir: 'in', kind: 'text', data: '</script><script>alert("xss")</script> & \u0001 control' },
        { t: 5, dir: 'in', kind: 'close', data: '1006' },
      ],
      notes: [{ t: 4, text: 'connection error: socket hang up', conn: 1 }],
    },
    {
      ...base,
      id: 'EVO-HEARTBEAT-002',
      suite: 'heartbeat',
      rule: 'E3',
      title: 'pong echoes the timestamp',
      verdict: 'non-strict',
      findings: [
        { rule: 'E3', level: 'should', message: 'pong carries the server time', transcriptIndex: 1 },
      ],
      reason: 'pong carries the server time',
      transcript: [
        { t: 0, dir: 'out', kind: 'text', data: '{"type":"ping","timestamp":1704067200000}' },
        { t: 4, dir: 'in', kind: 'text', data: '{"type":"pong","timestamp":1735689600123}' },
      ],
    },
    {
      ...base,
      id: 'EVO-AUTH-009',
      suite: 'auth',
      rule: 'E2',
      title: 'auth_ok is optional',
      verdict: 'informational',
      findings: [{ rule: 'E2', level: 'may', message: 'the server sends auth_ok' }],
      reason: 'the server sends auth_ok',
      transcript: [],
    },
    {
      ...base,
      id: 'EVO-RATE-LIMITS-001',
      suite: 'rate-limits',
      rule: 'E10',
      title: 'flood',
      verdict: 'unimplemented',
      findings: [],
      reason: 'the run has no jwtSecret (pass --jwt-secret)',
      transcript: [],
    },
    {
      ...base,
      id: 'EVO-ERRORS-004',
      suite: 'errors',
      rule: 'E9,C6',
      title: 'invalid messages get INVALID_COMMAND',
      verdict: 'fail',
      findings: [
        {
          rule: 'E9',
          level: 'must',
          message: 'property failed: an invalid subscribe got no error within 1000 ms',
          transcriptIndex: 0,
        },
      ],
      reason: 'property failed: an invalid subscribe got no error within 1000 ms',
      transcript: [{ t: 1, dir: 'in', kind: 'binary', data: 'base64:AAEC (3 bytes)' }],
      seed: 42,
      counterexample: {
        type: 'subscribe',
        bytes: Buffer.from([1, 2, 3]),
        big: 10n,
        nested: { undef: undefined, nan: Number.NaN },
      },
    },
    {
      ...base,
      id: 'EVO-AUTH-004',
      suite: 'auth',
      rule: 'E2',
      title: 'a token signed with another secret is rejected with AUTH_FAILED',
      verdict: 'fail',
      findings: [
        {
          rule: 'E2',
          level: 'must',
          message: 'no error AUTH_FAILED within 1000 ms <script>alert(1)</script>',
          transcriptIndex: 0,
        },
      ],
      reason: 'no error AUTH_FAILED within 1000 ms <script>alert(1)</script>',
      expectedFailure: 'tracked in SRV-123: the server ignores bad tokens until the next release',
      transcript: [{ t: 0, dir: 'out', kind: 'text', data: '{"type":"auth","token":"eyJ..."}' }],
    },
    {
      ...base,
      id: 'EVO-SUBSCRIPTIONS-003',
      suite: 'subscriptions',
      rule: 'E4',
      title: 'an unsubscribed channel delivers nothing',
      verdict: 'error',
      findings: [],
      reason: 'precondition not met: authentication, see EVO-AUTH-001',
      transcript: [],
    },
    {
      ...base,
      id: 'EVO-SUBSCRIPTIONS-004',
      suite: 'subscriptions',
      rule: 'E4',
      title: 'subscribing twice is idempotent',
      verdict: 'error',
      findings: [],
      reason: 'precondition not met: authentication, see EVO-AUTH-001',
      transcript: [],
    },
    {
      ...base,
      id: 'EVO-SCHEMA-RECV-metrics',
      suite: 'schema',
      rule: 'C5',
      title: 'every metrics message matches its schema',
      verdict: 'unimplemented',
      findings: [],
      reason: 'no metrics message was received during the run',
      durationMs: 0,
      transcript: [],
    },
  ];
  return {
    startedAt: '2025-01-01T00:00:00.000Z',
    durationMs: 1234,
    seed: 42,
    runs: 100,
    targets: [{ url: base.target, protocol: 'evolution' }],
    summary: summarize(results),
    results,
    inputs: {
      jwtSecret: false,
      limits: {
        msgsPerSecond: 100,
        connsPerUser: 10,
        bytesPerMinute: 10_485_760,
        maxMessageBytes: 1_048_576,
        authTimeoutMs: 10_000,
      },
    },
  };
}
