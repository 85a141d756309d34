// A wss:// target: the reference server behind a TLS-terminating TCP proxy with a self-signed
// certificate, trusted through NODE_EXTRA_CA_CERTS as the README says. The handshake, heartbeat and
// framing cases use both the recorded connection and raw sockets, so both must speak TLS.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningServer, startReferenceServer } from '../../reference-server/index.js';
import { packageRoot } from '../../src/util/package-root.js';
import { skipWithout } from '../_environment.js';

const dir = mkdtempSync(join(tmpdir(), 'wsconform-wss-'));
const cert = join(dir, 'cert.pem');
const key = join(dir, 'key.pem');

const skip = skipWithout(
  'openssl (to make a test certificate)',
  spawnSync('openssl', ['version'], { stdio: 'pipe' }).status === 0 ? null : 'openssl is not installed',
);

function runCli(args: string[], env: NodeJS.ProcessEnv): Promise<{ status: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 50_000);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stderr });
    });
  });
}

describe.skipIf(skip)('a wss:// target (TLS)', () => {
  let server: RunningServer;
  let proxy: tls.Server;
  const sockets = new Set<net.Socket>();

  beforeAll(async () => {
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=localhost'].concat([
        '-addext',
        'subjectAltName=DNS:localhost,IP:127.0.0.1',
        '-keyout',
        key,
        '-out',
        cert,
      ]),
      { stdio: 'pipe' },
    );
    server = await startReferenceServer();
    // TLS in front, plain TCP to the reference server behind
    proxy = tls.createServer({ cert: readFileSync(cert), key: readFileSync(key) }, (front) => {
      const back = net.connect(server.port, '127.0.0.1');
      for (const s of [front, back]) {
        sockets.add(s);
        s.on('error', () => {
          front.destroy();
          back.destroy();
        });
        s.on('close', () => sockets.delete(s));
      }
      front.pipe(back).pipe(front);
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  });

  afterAll(async () => {
    for (const s of sockets) s.destroy();
    await new Promise((resolve) => proxy?.close(resolve));
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs the handshake, heartbeat and framing cases over TLS, all passing', {
    timeout: 60_000,
  }, async () => {
    const { port } = proxy.address() as net.AddressInfo;
    const out = join(dir, 'report');
    // async: the proxy and the server live in this process and must keep serving meanwhile
    const run = await runCli(
      [
        join(packageRoot(), 'bin/wsconform.js'),
        'run',
        '--target',
        `wss://localhost:${port}/ws`,
        '--suite',
        'handshake,heartbeat,framing',
        '--quiet',
        '--out',
        out,
      ],
      { ...process.env, NODE_EXTRA_CA_CERTS: cert },
    );
    expect(run.stderr).toBe('');
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as {
      cases: { id: string; verdict: string; reason?: string }[];
    };
    // origin cases need --origin-allowed: unimplemented; everything else passes over TLS
    const bad = report.cases.filter(
      (c) => c.verdict !== 'pass' && !(c.verdict === 'unimplemented' && /origin/i.test(c.reason ?? '')),
    );
    expect(bad.map((c) => `${c.id} ${c.verdict}: ${c.reason}`)).toEqual([]);
    expect(report.cases.some((c) => c.id === 'ATH-FRAMING-101' && c.verdict === 'pass')).toBe(true);
    expect(run.status).toBe(0);
  });
});
