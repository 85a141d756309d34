// `wsconform serve`: the reference server of both protocols (the command-line contract). Prints
// `LISTENING <port>` once it accepts connections; SIGTERM/SIGINT close clients with 1001, exit 0.
import {
  DEFAULT_OPTIONS,
  faultNames,
  type StartOptions,
  startReferenceServer,
} from '../reference-server/index.js';
import { intFlag, parseFlags, UsageError } from '../src/util/usage.js';

const HELP = `wsconform serve — the reference server: Atheria on /ws, Evolution on /v1/evolution

  --host H              address to bind (default 127.0.0.1)
  --port N              port (default 8000; 0 picks a free one, printed as LISTENING <port>)
  --jwt-secret S        HS256 secret of the evolution endpoint (default: $WSCONFORM_JWT_SECRET;
                        without one every token is refused)
  --origins LIST        comma-separated origin allow-list (default: no origin check)
  --rate-msgs N         evolution messages per connection per second (default ${DEFAULT_OPTIONS.rateMsgs})
  --rate-conns N        concurrent evolution connections per user (default ${DEFAULT_OPTIONS.rateConns})
  --rate-bytes N        inbound bytes per connection per 60 s (default ${DEFAULT_OPTIONS.rateBytes})
  --auth-timeout-ms N   close unauthenticated evolution connections after N ms (default ${DEFAULT_OPTIONS.authTimeoutMs})
  --jwt-leeway S        exp/nbf leeway in seconds, 0..30 (default ${DEFAULT_OPTIONS.jwtLeewaySec})
  --grid N              Atheria grid size (default ${DEFAULT_OPTIONS.grid})
  --fps N               Atheria initial frames per second, (0, 120] (default ${DEFAULT_OPTIONS.fps})
  --generation-ms N     ms between evolution generations (default ${DEFAULT_OPTIONS.generationMs})
  --fault NAME          break one profile rule on purpose; repeatable or comma-separated
                        (see reference-server/FAULTS.md; the rules: spec/PROFILE.md, or
                        'wsconform rules <ID>')
  -h, --help            this text

Faults: ${faultNames().join(', ')}
`;

function numberFlag(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n))
    throw new UsageError(`--${name} takes a number, got '${value}'`);
  return n;
}

function optionsFrom(argv: string[]): StartOptions | 'help' {
  const { values } = parseFlags('serve', argv, {
    host: { type: 'string' },
    port: { type: 'string' },
    'jwt-secret': { type: 'string' },
    origins: { type: 'string' },
    'rate-msgs': { type: 'string' },
    'rate-conns': { type: 'string' },
    'rate-bytes': { type: 'string' },
    'auth-timeout-ms': { type: 'string' },
    'jwt-leeway': { type: 'string' },
    grid: { type: 'string' },
    fps: { type: 'string' },
    'generation-ms': { type: 'string' },
    fault: { type: 'string', multiple: true },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) return 'help';
  const faults = (values.fault ?? [])
    .flatMap((f) => f.split(','))
    .map((f) => f.trim())
    .filter((f) => f !== '');
  const known = new Set(faultNames());
  const unknown = faults.find((f) => !known.has(f));
  if (unknown !== undefined) {
    throw new UsageError(`unknown fault '${unknown}' — 'wsconform serve --help' lists the valid fault names`);
  }
  return {
    host: values.host,
    port: intFlag('port', values.port, 8000),
    jwtSecret: values['jwt-secret'] ?? (process.env['WSCONFORM_JWT_SECRET'] || undefined),
    origins: values.origins
      ?.split(',')
      .map((o) => o.trim())
      .filter((o) => o !== ''),
    rateMsgs: values['rate-msgs'] === undefined ? undefined : intFlag('rate-msgs', values['rate-msgs'], 0, 1),
    rateConns:
      values['rate-conns'] === undefined ? undefined : intFlag('rate-conns', values['rate-conns'], 0, 1),
    rateBytes:
      values['rate-bytes'] === undefined ? undefined : intFlag('rate-bytes', values['rate-bytes'], 0, 1),
    authTimeoutMs:
      values['auth-timeout-ms'] === undefined
        ? undefined
        : intFlag('auth-timeout-ms', values['auth-timeout-ms'], 0, 1),
    jwtLeewaySec: numberFlag('jwt-leeway', values['jwt-leeway']),
    grid: values.grid === undefined ? undefined : intFlag('grid', values.grid, 0, 1),
    fps: numberFlag('fps', values.fps),
    generationMs:
      values['generation-ms'] === undefined
        ? undefined
        : intFlag('generation-ms', values['generation-ms'], 0, 5),
    faults,
  };
}

/** Resolves when SIGTERM or SIGINT arrives, or when `signal` aborts (tests). */
function stopRequested(signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off('SIGTERM', stop);
      process.off('SIGINT', stop);
      signal?.removeEventListener('abort', stop);
      resolve();
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
    if (signal?.aborted) stop();
    else signal?.addEventListener('abort', stop);
  });
}

export async function serveVerb(argv: string[], opts: { signal?: AbortSignal } = {}): Promise<number> {
  const options = optionsFrom(argv);
  if (options === 'help') {
    process.stdout.write(HELP);
    return 0;
  }
  let server: Awaited<ReturnType<typeof startReferenceServer>>;
  try {
    server = await startReferenceServer(options);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'EADDRINUSE') {
      throw new UsageError(
        `port ${options.port} is in use — choose another with --port (0 picks a free one)`,
      );
    }
    if (e.code === 'EADDRNOTAVAIL')
      throw new UsageError(`cannot bind ${options.host} — pass an address of this machine with --host`);
    throw new UsageError(`${e.message} — see 'wsconform serve --help'`);
  }
  const stop = stopRequested(opts.signal);
  process.stdout.write(`LISTENING ${server.port}\n`);
  await stop;
  await server.close();
  return 0;
}
