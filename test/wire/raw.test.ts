import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closePayload, OPCODE, parseClosePayload } from '../../src/wire/frames.js';
import { acceptKey, newKey } from '../../src/wire/http-head.js';
import { openRaw } from '../../src/wire/raw.js';
import { Transcript } from '../../src/wire/transcript.js';
import { closedPort, startEchoServer, type TestServer } from './_servers.js';

let server: TestServer;
beforeAll(async () => {
  server = await startEchoServer();
});
afterAll(() => server.close());

const raw = (transcript = new Transcript()) =>
  openRaw({ host: '127.0.0.1', port: server.port, path: '/x', transcript, connId: 1 });

describe('RawConn', () => {
  it('completes a handshake with a correct Sec-WebSocket-Accept (RFC 6455 §4.2.2)', async () => {
    const c = await raw();
    const key = newKey();
    const head = await c.handshake({ headers: { 'Sec-WebSocket-Key': key } });
    expect(head?.status).toBe(101);
    expect(head?.headers['sec-websocket-accept']).toBe(acceptKey(key));
    expect(head?.headers.upgrade?.toLowerCase()).toBe('websocket');
    c.destroy();
  });

  it('the RFC 6455 §1.3 sample key gives the sample accept value', () => {
    expect(acceptKey('dGhlIHNhbXBsZSBub25jZQ==')).toBe('s3pPLMBiTxaQ9kYGzzhZRbK+xOo=');
  });

  it('sends masked frames and reads the unmasked echo, ping → pong', async () => {
    const transcript = new Transcript();
    const c = await raw(transcript);
    await c.handshake();
    c.sendFrame({ opcode: OPCODE.text, payload: 'hello' });
    const echo = await c.readFrame(1000);
    expect(echo).toMatchObject({ opcode: OPCODE.text, fin: true, masked: false });
    expect(echo?.payload.toString()).toBe('hello');
    c.sendFrame({ opcode: OPCODE.ping, payload: 'p1' });
    const pong = await c.readFrame(1000);
    expect(pong?.opcode).toBe(OPCODE.pong);
    expect(pong?.payload.toString()).toBe('p1');
    c.sendFrame({ opcode: OPCODE.close, payload: closePayload(1000, 'done') });
    const close = await c.readFrame(1000);
    expect(close?.opcode).toBe(OPCODE.close);
    expect(parseClosePayload(close?.payload ?? Buffer.alloc(0)).code).toBe(1000);
    expect(await c.ended(1000)).toBe(true);
    const kinds = transcript.entries.map((e) => `${e.dir} ${e.kind}`);
    expect(kinds).toEqual([
      'out http',
      'in http',
      'out text',
      'in text',
      'out ping',
      'in pong',
      'out close',
      'in close',
    ]);
  });

  it('an unmasked client frame gets close 1002 (§5.1)', async () => {
    const c = await raw();
    await c.handshake();
    c.sendFrame({ opcode: OPCODE.text, payload: 'x', mask: false });
    const close = await c.readFrame(1000);
    expect(close?.opcode).toBe(OPCODE.close);
    expect(parseClosePayload(close?.payload ?? Buffer.alloc(0)).code).toBe(1002);
    expect(await c.ended(1000)).toBe(true);
  });

  it('sends a hand-written request without the key and reads the 400', async () => {
    const c = await raw();
    const head = await c.handshake({ headers: { 'Sec-WebSocket-Key': undefined } });
    expect(head?.status).toBe(400);
    c.destroy();
  });

  it('write() and readHttpResponse() work for a request written by hand', async () => {
    const c = await raw();
    c.write(
      'GET /nowhere HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
    );
    const head = await c.readHttpResponse(1000);
    expect(head?.status).toBe(404);
    c.destroy();
  });

  it('readFrame and ended time out with null / false on a quiet connection', async () => {
    const c = await raw();
    await c.handshake();
    expect(await c.readFrame(50)).toBeNull();
    expect(await c.ended(50)).toBe(false);
    c.destroy();
    expect(await c.ended(50)).toBe(true);
    expect(await c.readFrame(5000)).toBeNull(); // answers at once once ended
  });

  it('rejects when nothing listens', async () => {
    const port = await closedPort();
    await expect(openRaw({ host: '127.0.0.1', port, path: '/' })).rejects.toThrow(/ECONNREFUSED/);
  });
});
