import { UsageError } from '../src/util/usage.js';

const USAGE = `wsconform — WebSocket protocol conformance harness

  wsconform run       test targets (default: the embedded reference server) and write reports
  wsconform serve     start the reference server of both protocols
  wsconform validate  validate captured messages against a protocol's schemas
  wsconform bench     measure frame throughput and latency (bench merge FILE... to combine shards)
  wsconform replay    re-run one case of a report against its target
  wsconform rules     the profile's rules (spec/PROFILE.md); 'rules A3' prints one with its cases

'wsconform <verb> --help' shows a verb's flags.`;

type Verb = (argv: string[]) => Promise<number>;

// Verbs are loaded lazily so that `validate` does not pay for the reference server and the bench.
const VERBS: Record<string, () => Promise<Verb>> = {
  run: async () => (await import('./run.js')).runVerb,
  serve: async () => (await import('./serve.js')).serveVerb,
  validate: async () => (await import('./validate.js')).validateVerb,
  bench: async () => (await import('./bench.js')).benchVerb,
  replay: async () => (await import('./replay.js')).replayVerb,
  rules: async () => (await import('./rules.js')).rulesVerb,
};

/** Runs the CLI and returns the exit code (0 ok, 1 conformance failure, 2 usage/configuration). */
export async function main(argv: string[]): Promise<number> {
  const [verb, ...rest] = argv;
  if (verb === undefined || verb === '--help' || verb === '-h' || verb === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return verb === undefined ? 2 : 0;
  }
  if (verb === '--version' || verb === '-V') {
    // the installed package's own version (package.json), not a copy that a release would forget
    process.stdout.write(`${(await import('./run.js')).packageVersion()}\n`);
    return 0;
  }
  const load = VERBS[verb];
  if (!load) {
    process.stderr.write(
      `wsconform: unknown verb '${verb}' — use one of: ${Object.keys(VERBS).join(', ')}\n`,
    );
    return 2;
  }
  try {
    return await (await load())(rest);
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`wsconform ${verb}: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
}
