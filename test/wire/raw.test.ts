import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closePayload, encodeFrame, OPCODE, parseClosePayload } from '../../src/wire/frames.js';
import { acceptKey, newKey } from '../../src/wire/http-head.js';
import { openRaw } from '../../src/wire/raw.js';
import { Transcript } from '../../src/wire/transcript.js';
import { closedPort, startEchoServer, startScriptedServer, type TestServer } from './_servers.js';

let server: TestServer;
beforeAll(async () => {
  server = await startEchoServer();
});
afterAll(() => server.close());

const raw = (transcript = new Transcript()) =>
  openRaw({ host: '127.0.0.1', port: server.port, path: '/x', transcript, connId: 1, maxPayload: 1 << 20 });

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
    await expect(openRaw({ host: '127.0.0.1', port, path: '/', maxPayload: 1 << 20 })).rejects.toThrow(
      /ECONNREFUSED/,
    );
  });
});

describe('RawConn reads frames with the one bounded parser (frame-parser.ts)', () => {
  const head = (key: string) =>
    Buffer.from(
      `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${acceptKey(key)}\r\n\r\n`,
    );
  const text = (t: string) => encodeFrame({ opcode: OPCODE.text, payload: t, mask: false });
  const huge = (len: bigint) => {
    const h = Buffer.from([0x82, 0x7f, 0, 0, 0, 0, 0, 0, 0, 0]);
    h.writeBigUInt64BE(len, 2);
    return h;
  };

  async function withServer(
    reply: (key: string) => Buffer[],
    fn: (open: (transcript: Transcript) => ReturnType<typeof openRaw>) => Promise<void>,
  ) {
    const s = await startScriptedServer(reply);
    try {
      await fn((transcript) =>
        openRaw({ host: '127.0.0.1', port: s.port, path: '/', transcript, connId: 1, maxPayload: 1024 }),
      );
    } finally {
      await s.close();
    }
  }

  it('frames in the same TCP write as the 101 are read as frames', async () => {
    await withServer(
      (key) => [Buffer.concat([head(key), text('one'), text('two')])],
      async (open) => {
        const c = await open(new Transcript());
        expect((await c.handshake())?.status).toBe(101);
        expect((await c.readFrame(1000))?.payload.toString()).toBe('one');
        expect((await c.readFrame(1000))?.payload.toString()).toBe('two');
        c.destroy();
      },
    );
  });

  it('frames written one byte per TCP write read the same', async () => {
    const bytes = Buffer.concat([
      text('trickle'),
      encodeFrame({ opcode: OPCODE.ping, payload: 'p', mask: false }),
    ]);
    await withServer(
      (key) => [head(key), ...Array.from(bytes, (b) => Buffer.from([b]))],
      async (open) => {
        const c = await open(new Transcript());
        await c.handshake();
        expect((await c.readFrame(1000))?.payload.toString()).toBe('trickle');
        expect(await c.readFrame(1000)).toMatchObject({ opcode: OPCODE.ping, fin: true, masked: false });
        c.destroy();
      },
    );
  });

  it('a header announcing 2^63 (§5.2: the top bit MUST be 0) ends the reading at once, with a note', async () => {
    await withServer(
      (key) => [Buffer.concat([head(key), text('before'), huge(2n ** 63n), Buffer.alloc(2000, 0x41)])],
      async (open) => {
        const transcript = new Transcript();
        const c = await open(transcript);
        await c.handshake();
        expect((await c.readFrame(1000))?.payload.toString()).toBe('before');
        const started = Date.now();
        expect(await c.readFrame(5000)).toBeNull();
        expect(Date.now() - started).toBeLessThan(2000); // not the timeout: the stream is lost
        const notes = transcript.notes.map((n) => n.text);
        expect(notes).toHaveLength(1);
        expect(notes[0]).toContain('unreadable data');
        expect(notes[0]).toContain(String(2n ** 63n));
        expect(notes[0]).toContain('most significant bit');
        expect(await c.readFrame(50)).toBeNull();
        expect(transcript.notes).toHaveLength(1); // noted once
        c.destroy();
      },
    );
  });

  it('a frame over maxPayload is read without its payload, and the frames after it are read', async () => {
    const over = encodeFrame({ opcode: OPCODE.binary, payload: Buffer.alloc(1025, 0x41), mask: false });
    await withServer(
      (key) => [Buffer.concat([head(key), text('before'), over, text('after')])],
      async (open) => {
        const transcript = new Transcript();
        const c = await open(transcript);
        await c.handshake();
        expect((await c.readFrame(1000))?.payload.toString()).toBe('before');
        const skipped = await c.readFrame(1000);
        expect(skipped).toMatchObject({ opcode: OPCODE.binary, length: 1025, skipped: true });
        expect(skipped?.payload.length).toBe(0);
        expect((await c.readFrame(1000))?.payload.toString()).toBe('after');
        expect(transcript.entries.map((e) => e.data).join('\n')).toContain(
          'len=1025] (payload over the 1024-byte --max-message-size: not kept)',
        );
        c.destroy();
      },
    );
  });

  it('a header announcing 2^63 - 1 is skipped, not buffered: the reading waits, the case times out', async () => {
    await withServer(
      (key) => [Buffer.concat([head(key), huge(2n ** 63n - 1n), Buffer.alloc(64 * 1024, 0x41)])],
      async (open) => {
        const transcript = new Transcript();
        const c = await open(transcript);
        await c.handshake();
        expect(await c.readFrame(300)).toBeNull();
        expect(transcript.notes).toEqual([]);
        expect(await c.ended(10)).toBe(false);
        c.destroy();
      },
    );
  });

  it('an HTTP head that never ends is cut at 64 KiB, with a note, and the reading gives up', async () => {
    const endless = Buffer.from(`HTTP/1.1 101 Switching Protocols\r\n${'X-Flood: x\r\n'.repeat(20_000)}`);
    await withServer(
      () => [endless],
      async (open) => {
        const transcript = new Transcript();
        const c = await open(transcript);
        expect(await c.handshake()).toBeNull();
        expect(transcript.notes.map((n) => n.text).join()).toContain('without ending an HTTP head');
        c.destroy();
      },
    );
  });

  it('a flood of small frames pauses the socket instead of queueing without bound, and loses none', async () => {
    const count = 20_000;
    const flood = Buffer.concat(Array.from({ length: count }, (_, i) => text(String(i))));
    await withServer(
      (key) => [head(key), flood],
      async (open) => {
        const c = await open(new Transcript());
        await c.handshake();
        await c.readFrame(1000);
        await new Promise((r) => setTimeout(r, 300));
        // the unread frames held: at most the pause threshold plus what one TCP read completes
        const held = (c as unknown as { frames: unknown[] }).frames.length;
        expect(held).toBeLessThan(4096 + 70_000 / 3);
        expect(held).toBeLessThan(count - 1);
        for (let i = 1; i < count; i++) {
          const f = await c.readFrame(2000);
          if (f?.payload.toString() !== String(i)) expect(f?.payload.toString()).toBe(String(i));
        }
        c.destroy();
      },
    );
  }, 60_000);
});
