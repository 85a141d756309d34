// The bench's worker threads run compiled JS (dist/bench/worker.js). Builds dist once when it is
// missing or older than the bench sources; a lock directory keeps two test files from running tsc
// into the same dist/ at once.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..');
const SOURCES = [join(ROOT, 'bench'), join(ROOT, 'cli')];

function newestSource(): number {
  let newest = 0;
  for (const dir of SOURCES) {
    for (const f of readdirSync(dir))
      if (f.endsWith('.ts')) newest = Math.max(newest, statSync(join(dir, f)).mtimeMs);
  }
  return newest;
}

function fresh(): boolean {
  const worker = join(ROOT, 'dist', 'bench', 'worker.js');
  const cli = join(ROOT, 'dist', 'cli', 'bench.js');
  return existsSync(worker) && existsSync(cli) && statSync(cli).mtimeMs >= newestSource();
}

export async function ensureBuilt(): Promise<void> {
  const lock = join(ROOT, '.tmp', 'bench-build.lock');
  mkdirSync(join(ROOT, '.tmp'), { recursive: true });
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (Date.now() > deadline || Date.now() - statSync(lock).mtimeMs > 60_000)
        rmSync(lock, { recursive: true, force: true });
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  try {
    if (fresh()) return;
    try {
      // tsc still emits when a file elsewhere has a type error; the outputs are checked below
      execFileSync(
        process.execPath,
        [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'],
        {
          cwd: ROOT,
          stdio: 'ignore',
          timeout: 60_000,
        },
      );
    } catch {}
    if (!existsSync(join(ROOT, 'dist', 'bench', 'worker.js')))
      throw new Error('npm run build did not produce dist/bench/worker.js');
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

export const PACKAGE_ROOT = ROOT;
