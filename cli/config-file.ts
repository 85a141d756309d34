import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import { createAjv } from '../src/schema/registry.js';
import { specPath } from '../src/util/package-root.js';
import { UsageError } from '../src/util/usage.js';

// `wsconform.config.json` (CLI-CONTRACT.md, issue 9 §7): the settings of `run` in a file, keyed by
// the long flag names, validated against spec/config.schema.json. The file's values become flag
// values (strings, string arrays, booleans) that the command line then overrides, so a value
// from the file goes through exactly the checks of the same flag.

export const CONFIG_FILE_NAME = 'wsconform.config.json';

/** A path in the file is relative to the file's folder (as tsconfig and eslint do). */
const PATH_KEYS = new Set(['out']);
/** Repeatable flags: their value is always an array, as parseArgs gives it. */
const MULTIPLE_KEYS = new Set(['target', 'suite']);

/** Flag values as node:util parseArgs gives them, the shape the command line's values have too. */
export type FlagValues = Record<string, string | boolean | string[] | undefined>;

/** Where the expected failures come from: a file to read, or the object written in the config. */
export type ExpectedFailuresSource =
  | { kind: 'file'; path: string }
  | { kind: 'inline'; entries: Record<string, string>; from: string };

export interface ConfigFile {
  /** the file as named (for messages) */
  path: string;
  values: FlagValues;
  expectedFailures?: ExpectedFailuresSource;
  /** `jwt-secret-env`: the environment variable holding the secret */
  jwtSecretEnv?: string;
}

const SCHEMA_ID = 'https://wsconform.dev/spec/config.schema.json';

let loaded: { ajv: ReturnType<typeof createAjv>; keys: string[] } | undefined;

function schema() {
  if (!loaded) {
    const json = JSON.parse(readFileSync(specPath('config.schema.json'), 'utf8')) as {
      properties: Record<string, unknown>;
    };
    const ajv = createAjv();
    ajv.addSchema(json);
    loaded = { ajv, keys: Object.keys(json.properties) };
  }
  return loaded;
}

/** spec/config.schema.json compiled; `ref` picks a sub-schema such as '#/$defs/expectedFailures'. */
export function configValidator(ref = ''): ValidateFunction {
  const fn = schema().ajv.getSchema(`${SCHEMA_ID}${ref}`);
  if (!fn) throw new Error(`wsconform: no schema at ${SCHEMA_ID}${ref}`);
  return fn;
}

/** The keys a config file may have. */
export function configKeys(): readonly string[] {
  return schema().keys;
}

/** Close to a known key: `rate_msgs`, `RateMsgs`, `--rate-msgs` → `rate-msgs`. */
function suggestion(key: string, known: readonly string[]): string | undefined {
  const norm = (k: string) =>
    k
      .replace(/^-+/, '')
      .replace(/[_\s]/g, '-')
      .replace(/([a-z])([A-Z])/g, '$1-$2')
      .toLowerCase();
  return known.find((k) => k === norm(key) && k !== key);
}

/** One line for the first schema error, naming the key. */
export function describeSchemaError(
  file: string,
  errors: readonly ErrorObject[],
  known: readonly string[],
): string {
  const unknown = errors.find((e) => e.keyword === 'additionalProperties' && e.instancePath === '');
  if (unknown) {
    const key = String((unknown.params as { additionalProperty: string }).additionalProperty);
    const hint = suggestion(key, known);
    return `${file}: unknown key '${key}'${hint ? ` (did you mean '${hint}'?)` : ''} — keys are the long names of 'wsconform run' flags (see wsconform run --help)`;
  }
  // with union types the type error is the clearest one; else the first error
  const e = errors.find((x) => x.keyword === 'type') ?? errors[0];
  if (!e) return `${file}: does not match spec/config.schema.json`;
  const [, key, ...rest] = e.instancePath.split('/');
  const where =
    key === undefined
      ? 'the file'
      : `key '${key.replace(/~1/g, '/').replace(/~0/g, '~')}'${rest.length ? ` at /${rest.join('/')}` : ''}`;
  const allowed = (e.params as { allowedValues?: unknown[] }).allowedValues;
  return `${file}: ${where} ${e.message ?? 'is invalid'}${allowed ? ` (${allowed.join(', ')})` : ''}`;
}

function readJson(path: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new UsageError(
      `cannot read ${what} ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
    );
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new UsageError(`${path} is not valid JSON: ${(err as Error).message.split('\n')[0]}`);
  }
}

function resolveFrom(dir: string, value: string): string {
  return isAbsolute(value) ? value : join(dir, value);
}

/**
 * Reads the config: `explicit` (--config FILE, which must exist), else ./wsconform.config.json
 * in `cwd` when there is one; undefined when there is no file.
 */
export function loadConfigFile(explicit: string | undefined, cwd: string): ConfigFile | undefined {
  const path = explicit ?? CONFIG_FILE_NAME;
  const full = resolveFrom(cwd, path);
  if (explicit === undefined && !existsSync(full)) return undefined;
  return parseConfig(readJson(full, 'config file'), path, cwd);
}

/**
 * Checks a parsed config object and turns it into flag values; `path` names the file in messages
 * and its folder anchors relative paths.
 */
export function parseConfig(json: unknown, path: string, cwd = '.'): ConfigFile {
  if (json !== null && typeof json === 'object' && !Array.isArray(json) && 'jwt-secret' in json) {
    // Issue 9 §7: never the secret itself in a file (it ends up in repositories and CI logs).
    throw new UsageError(
      `${path}: 'jwt-secret' is not allowed in a config file — put the secret in an environment variable and name it with "jwt-secret-env"`,
    );
  }
  const validate = configValidator();
  if (!validate(json)) throw new UsageError(describeSchemaError(path, validate.errors ?? [], configKeys()));
  const dir = dirname(path);
  const config: ConfigFile = { path, values: {} };
  for (const [key, value] of Object.entries(json as Record<string, unknown>)) {
    if (key === '$schema') continue;
    if (key === 'jwt-secret-env') config.jwtSecretEnv = value as string;
    else if (key === 'expected-failures') {
      config.expectedFailures =
        typeof value === 'string'
          ? { kind: 'file', path: resolveFrom(resolveFrom(cwd, dir), value) }
          : { kind: 'inline', entries: value as Record<string, string>, from: path };
    } else if (typeof value === 'boolean') config.values[key] = value;
    else if (Array.isArray(value)) config.values[key] = value.map(String);
    else if (MULTIPLE_KEYS.has(key)) config.values[key] = [String(value)];
    else if (typeof value === 'string' && PATH_KEYS.has(key)) config.values[key] = resolveFrom(dir, value);
    else config.values[key] = String(value);
  }
  return config;
}

/** Reads an expected-failures file: `{ "<case id>": "<why>" }`. */
export function readExpectedFailuresFile(path: string): Record<string, string> {
  const json = readJson(path, 'expected-failures file');
  const validate = configValidator('#/$defs/expectedFailures');
  if (!validate(json)) {
    const e = validate.errors?.[0];
    const where = e?.instancePath ? `entry '${e.instancePath.slice(1)}'` : 'the file';
    throw new UsageError(
      `${path}: ${where} ${e?.message ?? 'is invalid'} — write { "<case id>": "<why it fails>" }`,
    );
  }
  return json as Record<string, string>;
}
