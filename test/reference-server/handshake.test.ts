// C1: the opening handshake (RFC 6455 §4.2) on both endpoint paths, and the plain HTTP routes.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { upgradeStatus, useSchemaCheck } from './helpers/client.js';
import { acceptFor, RawSocket, upgradeRequest } from './helpers/raw.js';
import { EVO, useServer } from './helpers/server.js';

useSchemaCheck();
const srv = useServer();

async function rawHandshake(path: string, headers: Record<string, string | undefined> = {}, method = 'GET') {
  const raw = await RawSocket.connect(srv().port);
  raw.write(upgradeRequest(path, headers, method));
  const head = await raw.head();
  raw.destroy();
  if (!head) throw new Error('no HTTP answer');
  return head;
}

describe('C1 handshake', () => {
  for (const path of [EVO, '/ws']) {
    it(`101 with the RFC 6455 §4.2.2 Sec-WebSocket-Accept on ${path}`, async () => {
      const key = randomBytes(16).toString('base64');
      const head = await rawHandshake(path, { 'Sec-WebSocket-Key': key });
      expect(head.status).toBe(101);
      expect(head.headers['sec-websocket-accept']).toBe(acceptFor(key));
      expect(head.headers['upgrade']?.toLowerCase()).toBe('websocket');
      expect(head.headers['sec-websocket-protocol']).toBeUndefined();
    });
  }

  it('matches the RFC 6455 §1.3 example key', () => {
    expect(acceptFor('dGhlIHNhbXBsZSBub25jZQ==')).toBe('s3pPLMBiTxaQ9kYGzzhZRbK+xOo=');
  });

  it('an unknown path gets 404, never 101', async () => {
    expect((await rawHandshake('/nope')).status).toBe(404);
    expect((await rawHandshake('/v1/evolution/extra')).status).toBe(404);
  });

  it('a query string does not change the path', async () => {
    expect((await rawHandshake(`${EVO}?x=1`)).status).toBe(101);
  });

  it('a non-GET upgrade gets 405', async () => {
    const head = await rawHandshake(EVO, {}, 'POST');
    expect(head.status).toBe(405);
    expect(head.headers['allow']).toBe('GET');
  });

  it('an unsupported version gets 426 with Sec-WebSocket-Version: 13', async () => {
    for (const version of ['8', '12', '14', 'x']) {
      const head = await rawHandshake(EVO, { 'Sec-WebSocket-Version': version });
      expect(head.status).toBe(426);
      expect(head.headers['sec-websocket-version']).toBe('13');
    }
  });

  it('a missing Sec-WebSocket-Version gets 426 as well', async () => {
    expect((await rawHandshake(EVO, { 'Sec-WebSocket-Version': undefined })).status).toBe(426);
  });

  it('a missing or malformed Sec-WebSocket-Key gets 400', async () => {
    const bad = [
      undefined,
      '',
      'short',
      randomBytes(15).toString('base64'),
      randomBytes(17).toString('base64'),
      '!!!!!!!!!!!!!!!!!!!!!!==',
    ];
    for (const key of bad) {
      expect((await rawHandshake(EVO, { 'Sec-WebSocket-Key': key })).status, String(key)).toBe(400);
    }
  });

  it('an Upgrade header other than websocket gets 400', async () => {
    expect((await rawHandshake(EVO, { Upgrade: 'h2c' })).status).toBe(400);
  });

  it('offered subprotocols the server does not know: 101 with none selected', async () => {
    const r = await upgradeStatus(srv().url(EVO), { protocols: ['chat', 'superchat'] });
    expect(r.status).toBe(101);
    expect(r.headers['sec-websocket-protocol']).toBeUndefined();
  });

  it('a GET without upgrade on a WebSocket path gets 426; elsewhere 404', async () => {
    const ws = await fetch(srv().httpUrl(EVO));
    expect(ws.status).toBe(426);
    expect(ws.headers.get('sec-websocket-version')).toBe('13');
    expect((await fetch(srv().httpUrl('/missing'))).status).toBe(404);
  });

  it('GET /healthz answers 200 JSON', async () => {
    const res = await fetch(srv().httpUrl('/healthz'));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok' });
  });

  it('GET /metrics answers Prometheus text with the server counters', async () => {
    await rawHandshake('/nope');
    const res = await fetch(srv().httpUrl('/metrics'));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    expect(text).toMatch(/^# HELP wsconform_connections_open /m);
    expect(Number(/^wsconform_upgrades_rejected_total (\d+)$/m.exec(text)?.[1])).toBeGreaterThan(0);
  });
});
