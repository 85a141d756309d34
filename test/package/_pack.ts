// `npm pack` as a release would run it, but on a copy of the package's sources: the pack runs the
// build (prepack, prepare), and building in the checkout itself would rewrite dist/ under the
// feet of the other test files, which run bin/wsconform.js from it at the same time.
import { cpSync, existsSync, mkdirSync, symlinkSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { packageRoot } from '../../src/util/package-root.js';

/** What the package is built from, and what the files list ships. */
const SOURCES = [
  'package.json',
  'tsconfig.json',
  'tsconfig.build.json',
  'README.md',
  'LICENSE',
  'bin',
  'spec',
  'cli',
  'src',
  'suites',
  'reference-server',
  'reports',
  'bench',
  'scripts',
  'examples',
];

export interface Packed {
  /** absolute path of the tarball */
  tgz: string;
  filename: string;
  size: number;
  unpackedSize: number;
  entryCount: number;
  files: { path: string }[];
}

/** Packs a copy of the package into `dir` (the copy is made in dir/src-copy); returns npm's report. */
export function packCopy(dir: string, env: NodeJS.ProcessEnv = process.env): Packed {
  const root = packageRoot();
  const copy = join(dir, 'src-copy');
  mkdirSync(copy, { recursive: true });
  for (const entry of SOURCES)
    if (existsSync(join(root, entry))) cpSync(join(root, entry), join(copy, entry), { recursive: true });
  symlinkSync(join(root, 'node_modules'), join(copy, 'node_modules'), 'dir');
  const out = execFileSync('npm', ['pack', '--pack-destination', dir, '--json'], {
    cwd: copy,
    encoding: 'utf8',
    env,
    timeout: 240_000,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // lifecycle scripts may print before the JSON document
  const json = out.slice(out.indexOf('\n[') + 1 || out.indexOf('['));
  const packed = (JSON.parse(json) as Omit<Packed, 'tgz'>[])[0] as Omit<Packed, 'tgz'>;
  return { ...packed, tgz: join(dir, packed.filename) };
}
