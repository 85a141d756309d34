import type { CloseInfo, Conn, Received, Violation } from '../../src/engine/types.js';

// A Conn whose "server" is a function: every sent text is handed to `reply`, which returns the
// messages the server answers with (delivered asynchronously, in order). Enough to test helpers
// without a network.

export type Reply = (sent: unknown, conn: FakeConn) => unknown[];

export class FakeConn implements Conn {
  readonly id = 1;
  readonly protocol = '';
  readonly received: Received[] = [];
  readonly violations: Violation[] = [];
  readonly sent: unknown[] = [];
  open = true;
  private readonly t0 = performance.now();

  constructor(private readonly reply: Reply = () => []) {}

  claim(): void {}

  get isOpen(): boolean {
    return this.open;
  }

  /** deliver a server message now */
  push(message: unknown): void {
    const t = performance.now() - this.t0;
    if (message instanceof Uint8Array) {
      this.received.push({ t, kind: 'binary', data: Buffer.from(message) });
      return;
    }
    const text = typeof message === 'string' ? message : JSON.stringify(message);
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    const type =
      typeof json === 'object' && json !== null && 'type' in json && typeof json.type === 'string'
        ? json.type
        : undefined;
    this.received.push({
      t,
      kind: 'text',
      text,
      ...(json !== undefined ? { json } : {}),
      ...(type ? { type } : {}),
    });
  }

  sendJson(value: unknown): void {
    this.sent.push(value);
    const answers = this.reply(value, this);
    setTimeout(() => {
      for (const a of answers) this.push(a);
    }, 1);
  }
  sendText(text: string): void {
    let v: unknown = text;
    try {
      v = JSON.parse(text);
    } catch {}
    this.sendJson(v);
  }
  sendBinary(data: Uint8Array): void {
    this.sendJson(data);
  }
  ping(): void {}
  close(): void {
    this.open = false;
  }
  terminate(): void {
    this.open = false;
  }
  async next(): Promise<Received | null> {
    return null;
  }
  async collect(): Promise<Received[]> {
    return [];
  }
  async nextPong(): Promise<Buffer | null> {
    return null;
  }
  async closed(): Promise<CloseInfo | null> {
    return null;
  }
}

/** A server that answers load_experiment of unknown names with an error naming it (echo mode). */
export function echoingServer(extra: Reply = () => []): Reply {
  return (sent, conn) => {
    const m = sent as { type?: string; payload?: { experiment_name?: string } };
    if (m?.type === 'inference.load_experiment' && m.payload?.experiment_name?.startsWith('__wsconform')) {
      return [
        {
          type: 'notification',
          payload: { status: 'error', message: `unknown experiment "${m.payload.experiment_name}"` },
        },
      ];
    }
    return extra(sent, conn);
  };
}
