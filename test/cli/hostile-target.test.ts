// A target that misbehaves at the transport level gets verdicts, never a hang or a harness crash:
// one that accepts TCP and never answers, one that answers 101 and then streams garbage bytes, and
// one that answers every upgrade with HTTP 500. The real cases run through the real `run` path.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseRunArgs } from '../../cli/args.js';
import { executeRun } from '../../cli/run.js';
import { defaultDeps } from '../../cli/run-setup.js';
import type { Verdict } from '../../src/engine/types.js';

type Behaviour = (socket: net.Socket) => void;

const BEHAVIOURS: Record<string, Behaviour> = {
  'never answers': () => {},
  'answers 101, then streams garbage': (s) => {
    s.once('data', () => {
      s.write('HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n');
      s.write('Sec-WebSocket-Accept: bogus\r\n\r\n');
      const t = setInterval(() => s.write(Buffer.alloc(4096, 0xff)), 5);
      s.on('close', () => clearInterval(t));
    });
  },
  'answers every upgrade with 500': (s) => {
    s.once('data', () => s.end('HTTP/1.1 500 Oops\r\nContent-Length: 0\r\n\r\n'));
  },
};

const silent = { stdout: { write: () => true }, stderr: { write: () => true } };
const out = mkdtempSync(join(tmpdir(), 'wsconform-hostile-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

async function listen(behaviour: Behaviour): Promise<{ port: number; stop(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((s) => {
    sockets.add(s);
    s.on('error', () => {});
    s.on('close', () => sockets.delete(s));
    behaviour(s);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    // server.close waits for open sockets, and these targets never end theirs
    stop: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

describe('a misbehaving target gets a verdict for every case', () => {
  for (const [name, behaviour] of Object.entries(BEHAVIOURS)) {
    it(name, { timeout: 60_000 }, async () => {
      const { port, stop } = await listen(behaviour);
      const dir = mkdtempSync(join(out, 'run-'));
      try {
        const argv = ['--target', `ws://127.0.0.1:${port}/ws`, '--suite', 'handshake,framing,heartbeat'];
        const code = await executeRun(parseRunArgs([...argv, '--quiet', '--out', dir]), defaultDeps, silent);
        const report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as {
          cases: { id: string; rule: string; verdict: Verdict; reason?: string }[];
        };
        expect(code).toBe(1);
        const byId = new Map(report.cases.map((c) => [c.id, c]));
        // Every one of these targets breaks the upgrade itself: that is the handshake case's
        // finding (C1). The cases that need an upgrade to test something else could not be judged
        // (error, naming the handshake case), never a cascade of failures of other rules.
        expect(byId.get('ATH-HANDSHAKE-100')?.verdict).toBe('fail');
        expect(byId.get('ATH-HANDSHAKE-100')?.reason).toBeTruthy();
        for (const id of ['ATH-HANDSHAKE-001', 'ATH-HEARTBEAT-100']) {
          expect(byId.get(id)?.verdict, id).toBe('error');
          expect(byId.get(id)?.reason, id).toMatch(/^precondition not met: .*, see ATH-HANDSHAKE-100$/);
        }
        // no upgrade at all: the calibration canary found it, and the cases that need one end at
        // once instead of each waiting out its own upgrade timeout (hundreds of wire rows)
        if (name !== 'answers 101, then streams garbage')
          expect(byId.get('ATH-FRAMING-100')?.reason).toMatch(
            /^precondition not met: the target completes no WebSocket upgrade \(.*\), see ATH-HANDSHAKE-100$/,
          );
        // garbage after a 101 is also a framing defect (C3), which the raw framing cases see
        for (const c of report.cases) {
          if (c.verdict !== 'pass') expect(c.reason ?? '', c.id).not.toBe('');
          if (c.verdict === 'fail') expect(['C1', 'C3'], `${c.id}: ${c.reason}`).toContain(c.rule);
        }
      } finally {
        await stop();
      }
    });
  }
});
