// The two baselines a target is compared with, both replaying the captured frame byte for byte at
// the requested rate to the same number of clients, in this (main) thread:
//  - ws-broadcast: the textbook `ws` broadcast loop (for each client: send), no backpressure logic;
//  - tcp-pump: a bare net server that answers the RFC 6455 §4.2.2 handshake itself and then writes
//    pre-framed bytes (framed once, §5.2) to every socket: the transport's ceiling, no ws library.
// The same ws-based workers read both, so client-side cost is identical to the target phase.
import { createHash } from 'node:crypto';
import { createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';
import type { CapturedMessage } from './types.js';

export interface BaselineServer {
  url: string;
  /** starts replaying; called once every client is connected, like a stream that begins then */
  start(): void;
  close(): Promise<void>;
}

/**
 * Calls `tick` `fps` times a second on a fixed schedule (deadline += period, so timer lateness
 * does not accumulate); after an overrun of more than a period it resynchronises instead of bursting.
 */
export function startTicker(fps: number, tick: () => void): () => void {
  const period = 1000 / fps;
  let next = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const loop = () => {
    tick();
    schedule();
  };
  const schedule = () => {
    const now = performance.now();
    next += period;
    if (next < now - period) next = now + period;
    timer = setTimeout(loop, Math.max(0, next - now));
  };
  schedule();
  return () => clearTimeout(timer);
}

export async function startWsBroadcast(frame: CapturedMessage[], fps: number): Promise<BaselineServer> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false });
  await new Promise<void>((resolve, reject) => {
    wss.once('listening', resolve);
    wss.once('error', reject);
  });
  wss.on('connection', (ws) => ws.on('error', () => {}));
  const messages = frame.map((m) => ({ data: Buffer.from(m.data), opts: { binary: m.binary } }));
  let stop = () => {};
  const tick = () => {
    for (const ws of wss.clients) {
      if (ws.readyState !== WebSocket.OPEN) continue;
      for (const m of messages) ws.send(m.data, m.opts);
    }
  };
  const { port } = wss.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}/ws`,
    start: () => {
      stop = startTicker(fps, tick);
    },
    close: async () => {
      stop();
      for (const ws of wss.clients) ws.terminate();
      await new Promise<void>((r) => wss.close(() => r()));
    },
  };
}

/** RFC 6455 §5.2: FIN + opcode, then the unmasked length in 7, 7+16 or 7+64 bits. */
export function frameBytes(m: CapturedMessage): Buffer {
  const len = m.data.length;
  const opcode = m.binary ? 0x2 : 0x1;
  let head: Buffer;
  if (len < 126) head = Buffer.from([0x80 | opcode, len]);
  else if (len < 65536) {
    head = Buffer.alloc(4);
    head[0] = 0x80 | opcode;
    head[1] = 126;
    head.writeUInt16BE(len, 2);
  } else {
    head = Buffer.alloc(10);
    head[0] = 0x80 | opcode;
    head[1] = 127;
    head.writeBigUInt64BE(BigInt(len), 2);
  }
  return Buffer.concat([head, m.data]);
}

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

/** RFC 6455 §4.2.2 step 5: Sec-WebSocket-Accept = base64(SHA-1(key + GUID)). */
export function acceptKey(key: string): string {
  return createHash('sha1')
    .update(key + GUID)
    .digest('base64');
}

export async function startTcpPump(frame: CapturedMessage[], fps: number): Promise<BaselineServer> {
  const bytes = Buffer.concat(frame.map(frameBytes));
  const live = new Set<Socket>();
  const server = createServer((sock) => {
    sock.on('error', () => {});
    let head = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end === -1) {
        if (head.length > 16384) sock.destroy();
        return;
      }
      sock.off('data', onData);
      const key = /^sec-websocket-key:\s*(\S+)\s*$/im.exec(head.subarray(0, end).toString('latin1'))?.[1];
      if (!key) return void sock.end('HTTP/1.1 400 Bad Request\r\n\r\n');
      sock.write(
        `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${acceptKey(key)}\r\n\r\n`,
      );
      live.add(sock);
      sock.on('close', () => live.delete(sock));
      sock.resume(); // whatever the client sends (close frames) is read and ignored
    };
    sock.on('data', onData);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  let stop = () => {};
  const { port } = server.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}/ws`,
    start: () => {
      stop = startTicker(fps, () => {
        for (const sock of live) if (!sock.destroyed) sock.write(bytes);
      });
    },
    close: async () => {
      stop();
      for (const sock of live) sock.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
