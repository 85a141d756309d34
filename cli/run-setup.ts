import { EMBEDDED } from '../reference-server/embedded.js';
import type {
  CaseDefinition,
  Protocol,
  ProtocolAdapter,
  RunConfig,
  Target,
  TargetLimits,
} from '../src/engine/types.js';
import { RegistryError } from '../src/engine/registry.js';
import { UsageError } from '../src/util/usage.js';

// What `run` and `replay` share: where the targets are (given, the embedded reference server, or a
// container), and the inputs the cases get. The modules with protocol knowledge, the reference
// server and testcontainers are loaded only when needed, through RunDeps, which tests replace.

export interface StartedServer {
  url(path: string): string;
  close(): Promise<void>;
}

export interface EmbeddedOptions {
  jwtSecret: string;
  originAllowed: string;
  rateMsgs?: number;
  rateConns?: number;
  rateBytes?: number;
  authTimeoutMs?: number;
  maxMessageBytes?: number;
}

/** The reference server's options for the embedded default (and, with faults, the fault tests). */
export function embeddedServerOptions(o: EmbeddedOptions) {
  return {
    origins: [o.originAllowed],
    jwtSecret: o.jwtSecret,
    authTimeoutMs: o.authTimeoutMs ?? EMBEDDED.authTimeoutMs,
    jwtLeewaySec: EMBEDDED.jwtLeewaySec,
    rateMsgs: o.rateMsgs,
    rateConns: o.rateConns,
    rateBytes: o.rateBytes,
    maxMessageBytes: o.maxMessageBytes,
  };
}

export interface RunDeps {
  adapters(): Promise<Partial<Record<Protocol, ProtocolAdapter>>>;
  protocolFromUrl(url: string): Promise<Protocol | undefined>;
  loadCases(): Promise<CaseDefinition[]>;
  serverMessageTypes(): Promise<(protocol: Protocol) => readonly string[]>;
  /** profile defaults of the target settings, from the manifests */
  defaultLimits(protocol: Protocol): Promise<TargetLimits>;
  startEmbedded(opts: EmbeddedOptions): Promise<StartedServer>;
  startContainer(image: string, port: number): Promise<{ host: string; port: number; stop(): Promise<void> }>;
}

export const defaultDeps: RunDeps = {
  adapters: async () => (await import('../src/protocols/index.js')).ADAPTERS,
  protocolFromUrl: async (url) => (await import('../src/protocols/index.js')).protocolFromUrl(url),
  loadCases: async () => (await import('../src/engine/registry.js')).loadCases(),
  async serverMessageTypes() {
    const { serverMessageTypes } = await import('../src/schema/index.js');
    // generic: no application protocol, no message types
    return (protocol) => (protocol === 'generic' ? [] : serverMessageTypes(protocol));
  },
  async defaultLimits(protocol) {
    const { loadManifest } = await import('../src/schema/index.js');
    const evo = loadManifest('evolution');
    return {
      msgsPerSecond: evo.limits.messagesPerSecond,
      connsPerUser: evo.limits.connectionsPerUser,
      bytesPerMinute: evo.limits.bytesPerMinute,
      // generic: the profile's default limit, the same as the reference server's (1 MiB)
      maxMessageBytes: loadManifest(protocol === 'generic' ? 'evolution' : protocol).limits.maxMessageBytes,
      authTimeoutMs: evo.auth.authTimeoutMs,
    };
  },
  async startEmbedded(o) {
    const { startReferenceServer } = await import('../reference-server/index.js');
    return startReferenceServer(embeddedServerOptions(o));
  },
  async startContainer(image, port) {
    // wsconform removes its container itself (try/finally around the run). testcontainers' reaper
    // (Ryuk) is an image pulled from a registry, which offline CI machines cannot reach: off unless
    // the user asks for it.
    process.env.TESTCONTAINERS_RYUK_DISABLED ??= 'true';
    const { GenericContainer, Wait } = await import('testcontainers');
    const started = await new GenericContainer(image)
      .withExposedPorts(port)
      // Any HTTP answer on the port means the server listens. Checked from the host: the default
      // listening-ports strategy also execs a shell inside the container, which minimal images lack.
      .withWaitStrategy(Wait.forHttp('/', port).forStatusCodeMatching(() => true))
      .withStartupTimeout(120_000)
      .start();
    return {
      host: started.getHost(),
      port: started.getMappedPort(port),
      stop: async () => {
        await started.stop({ remove: true });
      },
    };
  },
};

/** Flags that shape the targets and the inputs (shared by run and replay). */
export interface TargetInputs {
  targets: string[];
  protocol?: Protocol;
  jwtSecret?: string;
  originAllowed?: string;
  rateMsgs?: number;
  rateConns?: number;
  rateBytes?: number;
  authTimeoutMs?: number;
  /** C3: --max-message-size */
  maxMessageBytes?: number;
  /** A6: --binary-formats (default both) */
  binaryFormats?: ('msgpack' | 'cbor')[];
  image?: string;
  containerPort?: number;
  /** --echo: the target echoes every message (the echo-based framing cases) */
  echo?: boolean;
}

export interface Setup {
  targets: Target[];
  embedded: boolean;
  jwtSecret?: string;
  originAllowed?: string;
  /** stops what the setup started (embedded server, container); safe to call once */
  close(): Promise<void>;
}

async function protocolOf(url: string, given: Protocol | undefined, deps: RunDeps): Promise<Protocol> {
  if (given) return given;
  const p = await deps.protocolFromUrl(url);
  if (!p)
    throw new UsageError(
      `cannot tell the protocol of ${url} from its path — pass --protocol atheria, evolution or generic`,
    );
  return p;
}

/** Targets of every protocol (or the chosen one) at `base` (ws://host:port), on their default paths. */
async function defaultTargets(
  base: (path: string) => string,
  only: Protocol | undefined,
  deps: RunDeps,
): Promise<Target[]> {
  const adapters = await deps.adapters();
  // generic against the reference server: its /ws endpoint as any WebSocket endpoint
  if (only === 'generic')
    return [{ url: base((adapters.atheria as ProtocolAdapter).path), protocol: 'generic' }];
  return (['atheria', 'evolution'] as const)
    .filter((p) => (!only || p === only) && adapters[p])
    .map((p) => ({ url: base((adapters[p] as ProtocolAdapter).path), protocol: p }));
}

/** Starts what the run needs and resolves the targets; the caller must call close(). */
/** Every registered case; a case file that does not load is bad usage (exit 2), naming the file. */
export async function loadCasesOrUsage(deps: Pick<RunDeps, 'loadCases'>): ReturnType<RunDeps['loadCases']> {
  try {
    return await deps.loadCases();
  } catch (err) {
    if (err instanceof RegistryError) throw new UsageError(err.message);
    throw err;
  }
}

export async function setupTargets(a: TargetInputs, deps: RunDeps): Promise<Setup> {
  if (a.image !== undefined && a.containerPort !== undefined) {
    // Ctrl-C or a CI timeout must not leave the container behind (Ryuk is off, see startContainer),
    // also while it is still starting: stop it, then exit as interrupted (128 + signal number).
    let c: Awaited<ReturnType<RunDeps['startContainer']>> | undefined;
    let interrupted: NodeJS.Signals | undefined;
    const exitInterrupted = (signal: NodeJS.Signals) => process.exit(signal === 'SIGINT' ? 130 : 143);
    const onSignal = (signal: NodeJS.Signals) => {
      if (interrupted) return;
      interrupted = signal;
      if (c) void c.stop().finally(() => exitInterrupted(signal));
    };
    // `on`, not `once`: testcontainers' lock files use signal-exit, which re-raises a signal that
    // no other listener is left to handle, killing the process before the container is stopped.
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    const stop = async () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      await c?.stop();
    };
    try {
      c = await deps.startContainer(a.image, a.containerPort);
    } catch (err) {
      await stop();
      if (interrupted) exitInterrupted(interrupted);
      throw new UsageError(
        `cannot start image ${a.image}: ${oneLine(err)} — is Docker running and the image name right?`,
      );
    }
    if (interrupted) {
      await stop();
      exitInterrupted(interrupted);
    }
    const { host, port } = c;
    const base = (path: string) => `ws://${host}:${port}${path}`;
    try {
      const targets = a.targets.length
        ? await Promise.all(
            a.targets.map(async (t) => ({
              url: rehost(t, host, port),
              protocol: await protocolOf(t, a.protocol, deps),
            })),
          )
        : await defaultTargets(base, a.protocol, deps);
      return {
        targets,
        embedded: false,
        jwtSecret: a.jwtSecret,
        originAllowed: a.originAllowed,
        close: stop,
      };
    } catch (err) {
      await stop();
      throw err;
    }
  }
  if (a.targets.length) {
    const targets = await Promise.all(
      a.targets.map(async (url) => ({ url, protocol: await protocolOf(url, a.protocol, deps) })),
    );
    return {
      targets,
      embedded: false,
      jwtSecret: a.jwtSecret,
      originAllowed: a.originAllowed,
      close: async () => {},
    };
  }
  // CLI-CONTRACT: without --target, the bundled reference server in-process, with the inputs of
  // cli/embedded.ts so that every case that needs one can run.
  const jwtSecret = a.jwtSecret ?? EMBEDDED.jwtSecret;
  const originAllowed = a.originAllowed ?? EMBEDDED.originAllowed;
  const server = await deps.startEmbedded({
    jwtSecret,
    originAllowed,
    rateMsgs: a.rateMsgs,
    rateConns: a.rateConns,
    rateBytes: a.rateBytes,
    authTimeoutMs: a.authTimeoutMs,
    maxMessageBytes: a.maxMessageBytes,
  });
  try {
    const targets = await defaultTargets((p) => server.url(p), a.protocol, deps);
    return { targets, embedded: true, jwtSecret, originAllowed, close: () => server.close() };
  } catch (err) {
    await server.close();
    throw err;
  }
}

/** The inputs of one target: profile limits from the manifests, overridden by flags. */
export async function configFor(
  target: Target,
  a: TargetInputs,
  setup: Setup,
  run: { seed: number; runs: number },
  deps: RunDeps,
): Promise<RunConfig> {
  const d = await deps.defaultLimits(target.protocol);
  const config: RunConfig = {
    limits: {
      msgsPerSecond: a.rateMsgs ?? d.msgsPerSecond,
      connsPerUser: a.rateConns ?? d.connsPerUser,
      bytesPerMinute: a.rateBytes ?? d.bytesPerMinute,
      maxMessageBytes: a.maxMessageBytes ?? d.maxMessageBytes,
      authTimeoutMs: a.authTimeoutMs ?? (setup.embedded ? EMBEDDED.authTimeoutMs : d.authTimeoutMs),
    },
    binaryFormats: [...(a.binaryFormats ?? ['msgpack', 'cbor'])],
    seed: run.seed,
    runs: run.runs,
  };
  if (a.echo) config.echo = true;
  if (setup.jwtSecret !== undefined) config.jwtSecret = setup.jwtSecret;
  if (setup.originAllowed !== undefined) config.originAllowed = setup.originAllowed;
  return config;
}

function rehost(url: string, host: string, port: number): string {
  const u = new URL(url);
  u.hostname = host;
  u.port = String(port);
  return u.href;
}

export function oneLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0] ?? '';
}
