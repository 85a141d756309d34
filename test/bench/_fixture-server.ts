// A deliberately small Atheria-like server for the bench's own tests: initial_state, the A3
// commands the bench sends, frames at `fps` with payload.timestamp in epoch seconds, and A6 msgpack
// header + binary pairs after simulation.set_binary. Independent of reference-server/ so that the
// bench's client side is tested against a second implementation.
import type { AddressInfo } from 'node:net';
import { encode } from '@msgpack/msgpack';
import { WebSocket, WebSocketServer } from 'ws';

export interface FixtureServer {
  url: string;
  close(): Promise<void>;
}

export async function startFixtureServer(opts: { grid?: number; fps?: number } = {}): Promise<FixtureServer> {
  const grid = opts.grid ?? 8;
  let fps = opts.fps ?? 50;
  let step = 0;
  // paused until a client sends inference.play, so the bench's play-on-paused path is exercised
  let running = false;
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, path: '/ws' });
  await new Promise<void>((r) => wss.once('listening', () => r()));
  const binary = new WeakSet<WebSocket>();
  wss.on('connection', (ws) => {
    ws.send(
      JSON.stringify({
        type: 'initial_state',
        payload: { experiments: [], inference_status: running ? 'running' : 'paused' },
      }),
    );
    ws.on('message', (raw, isBinary) => {
      if (isBinary) return;
      const msg = JSON.parse(raw.toString()) as { type?: string; payload?: Record<string, unknown> };
      if (msg.type === 'simulation.set_fps' && typeof msg.payload?.['fps'] === 'number')
        fps = msg.payload['fps'];
      if (msg.type === 'simulation.set_binary') binary.add(ws);
      if (msg.type === 'inference.play') running = true;
      ws.send(
        JSON.stringify({ type: 'notification', payload: { status: 'success', message: `${msg.type} ok` } }),
      );
    });
  });
  let timer: NodeJS.Timeout | undefined;
  const tick = () => {
    timer = setTimeout(tick, 1000 / fps);
    if (!running) return;
    step++;
    const payload = {
      step,
      timestamp: (performance.timeOrigin + performance.now()) / 1000,
      simulation_info: { step, is_paused: false, fps, live_feed_enabled: true },
      map_data: Array.from({ length: grid }, (_, y) =>
        Array.from({ length: grid }, (_, x) => Math.sin(x + y + step)),
      ),
    };
    const json = Buffer.from(JSON.stringify({ type: 'simulation_frame', payload }));
    const body = Buffer.from(encode(payload));
    const header = Buffer.from(
      JSON.stringify({ type: 'simulation_frame_binary', format: 'msgpack', size: body.length }),
    );
    for (const ws of wss.clients) {
      if (ws.readyState !== WebSocket.OPEN) continue;
      if (binary.has(ws)) {
        ws.send(header, { binary: false });
        ws.send(body, { binary: true });
      } else ws.send(json, { binary: false });
    }
  };
  timer = setTimeout(tick, 1000 / fps);
  const { port } = wss.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}/ws`,
    close: async () => {
      clearTimeout(timer);
      for (const ws of wss.clients) ws.terminate();
      await new Promise<void>((r) => wss.close(() => r()));
    },
  };
}
