import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

/** The package root (holding package.json and spec/), whether running from src/ or from dist/. */
export function packageRoot(): string {
  if (cached) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) || !existsSync(join(dir, 'spec'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('wsconform: cannot find the package root (package.json + spec/)');
    dir = parent;
  }
  cached = dir;
  return dir;
}

export function specPath(...parts: string[]): string {
  return join(packageRoot(), 'spec', ...parts);
}
