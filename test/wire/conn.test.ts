import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Received, Violation } from '../../src/engine/types.js';
import type { WsConn } from '../../src/wire/conn.js';
import { openWs, RECEIVE_FLOOR_BYTES, receiveLimit } from '../../src/wire/open.js';
import { Transcript } from '../../src/wire/transcript.js';
import { closedPort, startEchoServer, startSilentServer, type TestServer } from './_servers.js';

let server: TestServer;
beforeAll(async () => {
  server = await startEchoServer();
});
afterAll(() => server.close());

const badChecker = (m: Received): Violation[] =>
  (m.json as { bad?: boolean } | undefined)?.bad
    ? [
        {
          messageType: m.type ?? '(unknown)',
          instancePath: '/bad',
          schemaPath: '#/properties/bad/const',
          message: 'must be false',
        },
      ]
    : [];

async function connect(check: ((m: Received) => Violation[]) | null = badChecker) {
  const transcript = new Transcript();
  const checker = check ? { inbound: check } : null;
  const r = await openWs(server.url(), {}, { transcript, connId: 1, checker, maxMessageBytes: 1024 });
  if (!r.ok) throw new Error(`upgrade failed: ${r.status} ${r.error}`);
  return { conn: r.conn as WsConn, transcript };
}

const send = (conn: WsConn, ...messages: unknown[]) => conn.sendJson({ cmd: 'send', messages });

describe('openWs', () => {
  it('opens, records the upgrade and messages in the transcript', async () => {
    const { conn, transcript } = await connect();
    conn.sendJson({ type: 'hello' });
    const m = await conn.next();
    expect(m?.type).toBe('hello');
    expect(m?.json).toEqual({ type: 'hello' });
    await conn.shutdown();
    const kinds = transcript.entries.map((e) => `${e.dir} ${e.kind}`);
    expect(kinds.slice(0, 4)).toEqual(['out http', 'in http', 'out text', 'in text']);
    expect(transcript.entries[1]?.data).toMatch(/^101/);
    expect(transcript.entries.every((e) => e.conn === 1 && e.t >= 0)).toBe(true);
  });

  it('keeps the status, headers and body of a refusal', async () => {
    const r = await openWs(
      server.url('/refuse'),
      {},
      { transcript: new Transcript(), connId: 1, checker: null, maxMessageBytes: 1024 },
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.status).toBe(403);
    expect(r.headers['x-test']).toBe('yes');
    expect(r.body).toBe('forbidden origin');
  });

  it('gives status 0 and the error for a port nothing listens on', async () => {
    const port = await closedPort();
    const r = await openWs(
      `ws://127.0.0.1:${port}/x`,
      {},
      { transcript: new Transcript(), connId: 1, checker: null, maxMessageBytes: 1024 },
    );
    expect(r).toMatchObject({ ok: false, status: 0 });
    expect(!r.ok && r.error).toMatch(/ECONNREFUSED/);
  });

  it('gives status 0 when the server never answers the upgrade', async () => {
    const silent = await startSilentServer();
    try {
      const r = await openWs(
        `ws://127.0.0.1:${silent.port}/x`,
        { timeoutMs: 300 },
        { transcript: new Transcript(), connId: 1, checker: null, maxMessageBytes: 1024 },
      );
      expect(r).toMatchObject({ ok: false, status: 0 });
      expect(!r.ok && r.error).toMatch(/timed out/);
    } finally {
      await silent.close();
    }
  });
});

describe('WsConn', () => {
  it('next() returns unconsumed earlier messages that match, in order', async () => {
    const { conn } = await connect();
    send(conn, { type: 'a' }, { type: 'b' }, { type: 'c' });
    expect((await conn.next((m) => m.type === 'c'))?.type).toBe('c');
    expect((await conn.next())?.type).toBe('a');
    expect((await conn.next())?.type).toBe('b');
    expect(await conn.next(undefined, 50)).toBeNull();
    expect(conn.received.map((m) => m.type)).toEqual(['a', 'b', 'c']);
    await conn.shutdown();
  });

  it('two concurrent next() waits never get the same message', async () => {
    const { conn } = await connect();
    const both = Promise.all([conn.next(undefined, 1000), conn.next(undefined, 1000)]);
    send(conn, { type: 'one' }, { type: 'two' });
    const [x, y] = await both;
    expect(new Set([x?.type, y?.type])).toEqual(new Set(['one', 'two']));
    await conn.shutdown();
  });

  it('times out with null and leaves no pending wait behind', async () => {
    const { conn } = await connect();
    expect(await conn.next((m) => m.type === 'never', 50)).toBeNull();
    expect(await conn.nextPong(50)).toBeNull();
    expect(await conn.closed(50)).toBeNull();
    expect(await conn.collect(50)).toEqual([]);
    expect(conn.pendingWaits).toBe(0);
    await conn.shutdown();
    expect(conn.pendingWaits).toBe(0);
  });

  it('collect() gathers matching messages of a window without consuming them', async () => {
    const { conn } = await connect();
    const window = conn.collect(300, (m) => m.type === 'x');
    send(conn, { type: 'x' }, { type: 'y' }, { type: 'x' });
    expect((await window).map((m) => m.type)).toEqual(['x', 'x']);
    expect((await conn.next())?.type).toBe('x');
    await conn.shutdown();
  });

  it('nextPong() returns the pong payload', async () => {
    const { conn } = await connect();
    conn.ping(Buffer.from('abc'));
    expect((await conn.nextPong(1000))?.toString()).toBe('abc');
    await conn.shutdown();
  });

  it('a close by the server resolves closed() and ends every pending wait at once', async () => {
    const { conn, transcript } = await connect();
    const waiting = conn.next((m) => m.type === 'never', 10_000);
    const pong = conn.nextPong(10_000);
    conn.sendJson({ cmd: 'close', code: 4001, reason: 'bye' });
    expect(await conn.closed(2000)).toEqual({ code: 4001, reason: 'bye' });
    expect(await waiting).toBeNull();
    expect(await pong).toBeNull();
    expect(conn.isOpen).toBe(false);
    expect(conn.pendingWaits).toBe(0);
    expect(transcript.entries.at(-1)).toMatchObject({ dir: 'in', kind: 'close', data: '4001 bye' });
    // after the close, waits answer immediately
    expect(await conn.next(undefined, 10_000)).toBeNull();
  });

  it('runs the inbound checker on every message and keeps violations', async () => {
    const { conn } = await connect();
    send(conn, { type: 'ok' }, { type: 'broken', bad: true });
    await conn.next((m) => m.type === 'broken');
    expect(conn.violations).toEqual([
      expect.objectContaining({ messageType: 'broken', schemaPath: '#/properties/bad/const' }),
    ]);
    await conn.shutdown();
  });

  it('turns a throwing checker into a violation instead of crashing', async () => {
    const { conn } = await connect(() => {
      throw new Error('checker bug');
    });
    send(conn, { type: 't' });
    await conn.next();
    expect(conn.violations[0]?.message).toMatch(/checker bug/);
    await conn.shutdown();
  });

  it('records binary messages as a base64 prefix and non-JSON text without json', async () => {
    const { conn, transcript } = await connect();
    conn.sendBinary(Buffer.alloc(100, 7));
    const bin = await conn.next((m) => m.kind === 'binary');
    expect(bin?.data?.length).toBe(100);
    conn.sendText('not json');
    const text = await conn.next((m) => m.kind === 'text');
    expect(text?.json).toBeUndefined();
    expect(text?.text).toBe('not json');
    await conn.shutdown();
    expect(transcript.entries.find((e) => e.kind === 'binary' && e.dir === 'in')?.data).toMatch(
      /^base64:\S+… \(100 bytes\)$/,
    );
  });
});

describe('the receive limit (issue 12 §2: memory bounded whatever the server sends)', () => {
  it('is --max-message-size, but never below the floor a server may legitimately send', () => {
    expect(receiveLimit(1024)).toBe(RECEIVE_FLOOR_BYTES);
    expect(receiveLimit(64 * 1024 * 1024)).toBe(64 * 1024 * 1024);
  });

  it('a message over it is not kept: ws closes 1009 and the transcript says why', async () => {
    const { conn, transcript } = await connect(null);
    conn.sendJson({ cmd: 'big', bytes: RECEIVE_FLOOR_BYTES + 1 });
    const closed = await conn.closed(5000);
    expect(closed?.code).toBe(1006);
    expect(conn.received.filter((m) => m.kind === 'binary')).toEqual([]);
    expect(transcript.notes.map((n) => n.text).join()).toContain("over the harness's receive limit");
  }, 20_000);
});
