// Tiny servers for the wire and engine tests. Each binds 127.0.0.1 on port 0 and is closed by
// the test that starts it.
import { createServer, type Server } from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

export interface TestServer {
  port: number;
  url(path?: string): string;
  /** server-side sockets currently open */
  sockets: Set<WebSocket>;
  close(): Promise<void>;
}

/**
 * A scriptable WebSocket server on /x: a text message `{"cmd":"send","messages":[...]}` makes it
 * send each message (strings as is, objects as JSON), `{"cmd":"close","code":N,"reason":"..."}`
 * closes, anything else is echoed. /refuse gets 403 with a body, other paths 404.
 */
export async function startEchoServer(): Promise<TestServer> {
  const http: Server = createServer((_req, res) => res.writeHead(426).end());
  const wss = new WebSocketServer({ noServer: true });
  const sockets = new Set<WebSocket>();
  http.on('upgrade', (req, socket, head) => {
    if (req.url === '/refuse') {
      socket.end(
        'HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\nX-Test: yes\r\nContent-Length: 16\r\n\r\nforbidden origin',
      );
      return;
    }
    if (!req.url?.startsWith('/x')) {
      socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws);
      ws.on('error', () => {});
      ws.on('close', () => sockets.delete(ws));
      ws.on('message', (data, isBinary) => {
        if (isBinary) return void ws.send(data, { binary: true });
        const text = data.toString();
        let cmd: { cmd?: string; messages?: unknown[]; code?: number; reason?: string; bytes?: number } = {};
        try {
          cmd = JSON.parse(text);
        } catch {
          // echo non-JSON
        }
        if (cmd.cmd === 'send')
          for (const m of cmd.messages ?? []) ws.send(typeof m === 'string' ? m : JSON.stringify(m));
        else if (cmd.cmd === 'close') ws.close(cmd.code, cmd.reason);
        else if (cmd.cmd === 'big') ws.send(Buffer.alloc(cmd.bytes ?? 0, 0x61), { binary: true });
        else ws.send(text);
      });
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const port = (http.address() as AddressInfo).port;
  return {
    port,
    sockets,
    url: (path = '/x') => `ws://127.0.0.1:${port}${path}`,
    close: async () => {
      for (const ws of sockets) ws.terminate();
      wss.close();
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}

/** A TCP server that accepts connections and never answers (a stalled server). */
export async function startSilentServer(): Promise<{ port: number; close(): Promise<void> }> {
  const conns = new Set<net.Socket>();
  const server = net.createServer((s) => {
    conns.add(s);
    s.on('error', () => {});
    s.on('close', () => conns.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: async () => {
      for (const s of conns) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A port nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * A TCP server that reads a request head and answers with `reply(key)`'s byte chunks, one TCP
 * write each (a hostile or hand-scripted WebSocket server); the socket stays open until closed.
 */
export async function startScriptedServer(
  reply: (key: string) => Buffer[],
): Promise<{ port: number; close(): Promise<void> }> {
  const conns = new Set<net.Socket>();
  const server = net.createServer((s) => {
    conns.add(s);
    s.on('error', () => {});
    s.on('close', () => conns.delete(s));
    let head = '';
    const onData = (d: Buffer) => {
      head += d.toString('latin1');
      if (!head.includes('\r\n\r\n')) return;
      s.off('data', onData);
      const key = /sec-websocket-key:\s*(\S+)/i.exec(head)?.[1] ?? '';
      for (const chunk of reply(key)) s.write(chunk);
    };
    s.on('data', onData);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: async () => {
      for (const s of conns) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
