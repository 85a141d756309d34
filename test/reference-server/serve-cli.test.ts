// `wsconform serve` (CLI-CONTRACT.md): LISTENING <port> once accepting, both protocols served,
// SIGTERM/SIGINT → clients closed with 1001 and exit 0; bad usage → exit 2 with one line.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../cli/main.js';
import { serveVerb } from '../../cli/serve.js';
import { Client } from './helpers/client.js';
import { token } from './helpers/tokens.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

function captureStdout() {
  const lines: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  });
  return { lines, spy };
}

async function listeningPort(lines: string[]): Promise<number> {
  for (let i = 0; i < 200; i++) {
    const m = /^LISTENING (\d+)\n$/.exec(lines.join(''));
    if (m) return Number(m[1]);
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`no LISTENING line: ${JSON.stringify(lines)}`);
}

afterEach(() => vi.restoreAllMocks());

describe('serve verb', () => {
  it('prints LISTENING <port>, serves both paths, and on abort closes clients with 1001 and returns 0', async () => {
    const out = captureStdout();
    const stop = new AbortController();
    const done = serveVerb(
      ['--port', '0', '--jwt-secret', 'cli-secret', '--rate-conns', '2', '--generation-ms', '50'],
      { signal: stop.signal },
    );
    const port = await listeningPort(out.lines);
    out.spy.mockRestore();
    const evo = await Client.open(`ws://127.0.0.1:${port}/v1/evolution`, { validate: false });
    evo.send({ type: 'auth', token: await token('cli', { secret: 'cli-secret' }) });
    await evo.next('auth_ok');
    const ath = await Client.open(`ws://127.0.0.1:${port}/ws`, { validate: false });
    await ath.next('initial_state');
    stop.abort();
    expect(await done).toBe(0);
    expect((await evo.closed())?.code).toBe(1001);
    expect((await ath.closed())?.code).toBe(1001);
  });

  it('SIGTERM stops it with exit code 0', async () => {
    const out = captureStdout();
    const done = serveVerb([
      '--port',
      '0',
      '--fault',
      'evo-greeting,evo-pong-late',
      '--fault',
      'handshake-any-path',
    ]);
    await listeningPort(out.lines);
    process.emit('SIGTERM');
    expect(await done).toBe(0);
  });

  it('--help prints the flags and the fault names', async () => {
    const out = captureStdout();
    expect(await main(['serve', '--help'])).toBe(0);
    const text = out.lines.join('');
    for (const flag of [
      '--jwt-secret',
      '--origins',
      '--rate-msgs',
      '--rate-conns',
      '--rate-bytes',
      '--fault',
      'evo-greeting',
    ]) {
      expect(text).toContain(flag);
    }
  });

  it('bad usage exits 2 with one line on stderr saying what to do', async () => {
    for (const argv of [
      ['--bogus'],
      ['--fault', 'no-such-fault'],
      ['--port', 'eighty'],
      ['--jwt-leeway', '31'],
      ['--fps', '0'],
      ['--rate-msgs', '0'],
    ]) {
      const err: string[] = [];
      vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
        err.push(String(chunk));
        return true;
      });
      expect(await main(['serve', ...argv]), argv.join(' ')).toBe(2);
      vi.restoreAllMocks();
      const text = err.join('');
      expect(text.split('\n').filter(Boolean)).toHaveLength(1);
      expect(text).toMatch(/--|serve/);
    }
  });

  const bin = `${root}bin/wsconform.js`;
  it.skipIf(!existsSync(`${root}dist/cli/serve.js`))(
    'as a process: LISTENING, then SIGTERM → 1001 to clients and exit 0',
    async () => {
      const child = spawn(process.execPath, [bin, 'serve', '--port', '0'], {
        cwd: root,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      child.stdout.on('data', (d: Buffer) => {
        stdout += d.toString();
      });
      for (let i = 0; i < 300 && !/LISTENING \d+\n/.test(stdout); i++)
        await new Promise((r) => setTimeout(r, 20));
      const port = Number(/LISTENING (\d+)\n/.exec(stdout)?.[1]);
      const c = await Client.open(`ws://127.0.0.1:${port}/v1/evolution`, { validate: false });
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      expect((await c.closed(3000))?.code).toBe(1001);
      expect(await exited).toBe(0);
    },
    15_000,
  );

  it.skipIf(!existsSync(`${root}dist/cli/serve.js`))(
    'as a process: a port in use exits 2 at once with one line',
    async () => {
      const out = captureStdout();
      const stop = new AbortController();
      const first = serveVerb(['--port', '0'], { signal: stop.signal });
      const port = await listeningPort(out.lines);
      out.spy.mockRestore();
      const child = spawn(process.execPath, [bin, 'serve', '--port', String(port)], {
        cwd: root,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
      });
      // no timer of a half-built server may keep the process alive
      const code = await new Promise<number | null>((resolve) => {
        const t = setTimeout(() => {
          child.kill('SIGKILL');
          resolve(null);
        }, 5000);
        child.once('exit', (c) => {
          clearTimeout(t);
          resolve(c);
        });
      });
      stop.abort();
      await first;
      expect(code).toBe(2);
      expect(stderr.trim().split('\n')).toHaveLength(1);
      expect(stderr).toMatch(/in use.*--port/);
    },
    15_000,
  );
});
