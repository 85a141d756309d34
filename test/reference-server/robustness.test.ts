// C4: hostile input neither crashes the server nor stalls other connections; after each, a fresh
// canary connection is served (handshake + heartbeat within 2 s).
import { describe, expect, it } from 'vitest';
import { Client, type Msg, useSchemaCheck } from './helpers/client.js';
import { expectCanary } from './helpers/canary.js';
import { RawSocket, upgradeRequest } from './helpers/raw.js';
import { token } from './helpers/tokens.js';
import { EVO, useServer } from './helpers/server.js';

useSchemaCheck();
const srv = useServer();
/** half-open handshakes are dropped after this long here (5 s by default) */
const HEADERS_TIMEOUT_MS = 1000;
const shortHeaders = useServer({ headersTimeoutMs: HEADERS_TIMEOUT_MS });

function flood(count: number, name: (i: number) => string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (let i = 0; i < count; i++) headers[name(i)] = 'x';
  return headers;
}

describe.concurrent('C4 robustness', () => {
  for (const [label, names] of [
    ['long', (i: number) => `X-Flood-Header-${i}`],
    ['tiny', (i: number) => `h${i}`],
  ] as const) {
    it(`a 2,000-header (${label}) upgrade gets 431 or 400 and the server keeps serving`, async () => {
      const raw = await RawSocket.connect(srv().port);
      raw.write(upgradeRequest(EVO, flood(2000, names)));
      const head = await raw.head();
      expect([400, 431]).toContain(head?.status);
      raw.destroy();
      await expectCanary(srv());
    });
  }

  it('101 headers get 431; 50 are fine', async () => {
    for (const [count, status] of [
      [101, 431],
      [50, 101],
    ] as const) {
      const raw = await RawSocket.connect(srv().port);
      raw.write(
        upgradeRequest(
          EVO,
          flood(count, (i) => `x-h-${i}`),
        ),
      );
      expect((await raw.head())?.status).toBe(status);
      raw.destroy();
    }
  });

  it('half-open handshakes do not block other upgrades, and are dropped by the server', async () => {
    const halfOpen: RawSocket[] = [];
    for (let i = 0; i < 20; i++) {
      const raw = await RawSocket.connect(shortHeaders().port);
      raw.write(`GET ${EVO} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n`);
      halfOpen.push(raw);
    }
    const started = Date.now();
    await expectCanary(shortHeaders());
    // the canary was served while they were still pending
    expect(halfOpen.every((raw) => !raw.socket.destroyed)).toBe(true);
    // headersTimeout: the server ends them (with 408) instead of holding them forever; Node checks
    // every 500 ms (connectionsCheckingInterval)
    expect(await halfOpen[0]?.closedByServer(HEADERS_TIMEOUT_MS + 3000)).toBe(true);
    expect(Date.now() - started).toBeGreaterThan(HEADERS_TIMEOUT_MS / 2);
    for (const raw of halfOpen) raw.destroy();
  }, 15_000);

  // [label, text, what the server answers before the pong of a following ping]
  const hostile: [string, string, string][] = [
    ['bad JSON', '{"type": "subscribe", ', 'error:INVALID_COMMAND'],
    ['empty text', '', 'error:INVALID_COMMAND'],
    ['a JSON string', '"ping"', 'error:INVALID_COMMAND'],
    ['a JSON array', '[1,2,3]', 'error:INVALID_COMMAND'],
    ['null', 'null', 'error:INVALID_COMMAND'],
    ['__proto__ as type', '{"type":"__proto__"}', 'error:INVALID_COMMAND'],
    ['constructor as type', '{"type":"constructor"}', 'error:INVALID_COMMAND'],
    ['toString as type', '{"type":"toString"}', 'error:INVALID_COMMAND'],
    // the __proto__ key is just an unknown field (C6): only "logs" is subscribed
    [
      '__proto__ as key',
      '{"type":"subscribe","__proto__":{"channels":["metrics"]},"channels":["logs"]}',
      'subscribed:logs',
    ],
    [
      'constructor as key',
      '{"type":"get_agent","constructor":{"prototype":{"x":1}},"agent_id":"agent-1"}',
      'agent_update',
    ],
    [
      '__proto__ as channel',
      '{"type":"subscribe","channels":["__proto__","constructor","hasOwnProperty"]}',
      'subscribed:,error:INVALID_COMMAND',
    ],
    [
      '__proto__ in filters',
      '{"type":"subscribe","channel":"alerts","filters":{"__proto__":{"generation_min":1}}}',
      'subscribed:alerts',
    ],
    ['__proto__ as agent id', '{"type":"get_agent","agent_id":"__proto__"}', 'error:AGENT_NOT_FOUND'],
    ['wrongly typed channels', '{"type":"subscribe","channels":"evolution"}', 'error:INVALID_COMMAND'],
    [
      'wrongly typed filters',
      '{"type":"subscribe","channel":"evolution","filters":[1]}',
      'error:INVALID_COMMAND',
    ],
    ['wrongly typed control', '{"type":"control","action":7,"parameters":"fast"}', 'error:INVALID_COMMAND'],
    ['wrongly typed command', '{"type":"command","cmd":{"x":1},"args":null}', 'error:INVALID_COMMAND'],
    ['type is a number', '{"type":42}', 'error:INVALID_COMMAND'],
    ['deep nesting', `${'['.repeat(5000)}${']'.repeat(5000)}`, 'error:INVALID_COMMAND'],
  ];
  const summary = (m: Msg) =>
    m.type === 'error'
      ? `error:${(m['error'] as { code: string }).code}`
      : m.type === 'subscribed'
        ? `subscribed:${((m['data'] as { channels: string[] }).channels ?? []).join('+')}`
        : m.type;
  for (const [label, text, expected] of hostile) {
    it(`${label}: ${expected}, connection open, canary served`, async () => {
      const c = await Client.open(srv().url(EVO));
      c.send({ type: 'auth', token: await token('hostile') });
      await c.next('auth_ok');
      c.sendText(text);
      const ts = Date.now();
      c.send({ type: 'ping', timestamp: ts });
      expect((await c.next('pong'))['timestamp']).toBe(ts);
      // per-connection order (E2): every answer to the hostile message came before the pong
      const from = c.messages.findIndex((m) => m.type === 'auth_ok') + 1;
      const answers = c.messages.slice(
        from,
        c.messages.findIndex((m) => m.type === 'pong'),
      );
      expect(
        answers
          .filter((m) => ['error', 'subscribed', 'agent_update'].includes(m.type))
          .map(summary)
          .join(','),
      ).toBe(expected);
      expect(c.isOpen).toBe(true);
      c.close();
      await expectCanary(srv());
    });
  }

  it('hostile input before authentication is refused without closing', async () => {
    const c = await Client.open(srv().url(EVO));
    c.sendText('{"type":"__proto__","token":"x"}');
    expect(((await c.next('error'))['error'] as { code: string }).code).toBe('UNAUTHORIZED');
    c.sendText('not json');
    expect(((await c.next('error'))['error'] as { code: string }).code).toBe('INVALID_COMMAND');
    expect(c.isOpen).toBe(true);
    c.close();
  });

  it('a message flood on one connection does not stall another', async () => {
    const flooder = await Client.open(srv().url(EVO));
    for (let i = 0; i < 5000; i++) flooder.send({ type: 'ping', timestamp: i });
    await expectCanary(srv());
    flooder.close();
  });

  it('prototype of plain objects is untouched after the hostile messages', () => {
    expect(({} as Record<string, unknown>)['channels']).toBeUndefined();
    expect(({} as Record<string, unknown>)['generation_min']).toBeUndefined();
  });
});
