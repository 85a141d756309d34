// Test helper: looks at a reference server's shared state from outside the harness (plain `ws`),
// so that the target-state tests do not judge wsconform's snapshot with wsconform's own snapshot.
import WebSocket from 'ws';
import { evolutionTokens } from '../../src/protocols/evolution-tokens.js';

type Json = Record<string, unknown>;

interface Client {
  ws: WebSocket;
  messages: Json[];
  close(): void;
}

function connect(url: string): Promise<Client> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    const messages: Json[] = [];
    ws.on('message', (data: Buffer, isBinary) => {
      if (isBinary) messages.push({ type: '(binary)' });
      else messages.push(JSON.parse(data.toString()) as Json);
    });
    ws.once('open', () => resolve({ ws, messages, close: () => ws.close(1000) }));
    ws.once('error', reject);
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface AtheriaSeen {
  status: unknown;
  fps: unknown;
  /** viz_type of the frames a fresh connection got, undefined when none came */
  viz: unknown;
  frames: number;
}

/** initial_state and ~1 s of frames on a fresh connection. */
export async function observeAtheria(url: string, watchMs = 1200): Promise<AtheriaSeen> {
  const c = await connect(url);
  await sleep(watchMs);
  c.close();
  const initial = c.messages[0] ?? {};
  const payload = (initial['payload'] ?? {}) as Json;
  const frames = c.messages.filter((m) => m['type'] === 'simulation_frame').map((m) => m['payload'] as Json);
  const info = (frames.at(-1)?.['simulation_info'] ?? payload['simulation_info'] ?? {}) as Json;
  return {
    status: payload['inference_status'],
    fps: info['fps'],
    viz: frames.at(-1)?.['viz_type'],
    frames: frames.length,
  };
}

/** Sends Atheria commands ({type, payload}) on one connection and gives the server time to apply them. */
export async function commandAtheria(url: string, commands: [string, Json?][]): Promise<void> {
  const c = await connect(url);
  for (const [type, payload] of commands) c.ws.send(JSON.stringify({ type, payload: payload ?? {} }));
  await sleep(300);
  c.close();
}

/** An authenticated Evolution connection subscribed to `evolution`. */
async function evolutionClient(url: string, secret: string): Promise<Client> {
  const c = await connect(url);
  c.ws.send(JSON.stringify({ type: 'auth', token: await evolutionTokens(secret, 'test-observer').valid() }));
  c.ws.send(JSON.stringify({ type: 'subscribe', channels: ['evolution'] }));
  await sleep(200);
  return c;
}

/** Whether evolution_updates reach a subscriber within `watchMs`. */
export async function evolutionRunning(url: string, secret: string, watchMs = 2500): Promise<boolean> {
  const c = await evolutionClient(url, secret);
  const from = c.messages.length;
  await sleep(watchMs);
  c.close();
  return c.messages.slice(from).some((m) => m['type'] === 'evolution_update');
}

export async function controlEvolution(url: string, secret: string, action: string): Promise<void> {
  const c = await evolutionClient(url, secret);
  c.ws.send(JSON.stringify({ type: 'control', action }));
  await sleep(300);
  c.close();
}

/** Resolves when the next simulation_frame reaches a connection opened now (the simulation runs). */
export async function untilAtheriaRuns(url: string, timeoutMs: number): Promise<boolean> {
  const c = await connect(url);
  const deadline = Date.now() + timeoutMs;
  try {
    while (Date.now() < deadline) {
      if (c.messages.some((m) => m['type'] === 'simulation_frame')) return true;
      await sleep(10);
    }
    return false;
  } finally {
    c.close();
  }
}
