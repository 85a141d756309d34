import net from 'node:net';

// Before a run: is anything listening at the target? A target that cannot be reached at all is a
// configuration problem (exit 2 with one line), not two hundred failed cases.

/** Resolves null when a TCP connection to the URL's host and port opens, else a one-line problem. */
export function probeTarget(url: string, timeoutMs = 3000): Promise<string | null> {
  const u = new URL(url);
  const host = u.hostname.replace(/^\[|\]$/g, '');
  const port = Number(u.port || (u.protocol === 'wss:' || u.protocol === 'https:' ? 443 : 80));
  return new Promise((resolve) => {
    const sock = net.connect({ host, port });
    const done = (problem: string | null) => {
      clearTimeout(timer);
      sock.destroy();
      resolve(problem);
    };
    const timer = setTimeout(
      () =>
        done(
          `cannot reach ${url}: no answer within ${timeoutMs} ms — check the host, the port and any firewall`,
        ),
      timeoutMs,
    );
    sock.once('connect', () => done(null));
    sock.once('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'ECONNREFUSED')
        done(`cannot reach ${url}: connection refused — is the server running?`);
      else if (err.code === 'ENOTFOUND' || err.code === 'EAI_AGAIN')
        done(`cannot reach ${url}: unknown host ${host} — check the URL`);
      else
        done(
          `cannot reach ${url}: ${err.code ?? err.message} — check the URL and that the server is running`,
        );
    });
  });
}
