#!/usr/bin/env node
// Removes compiled files under dist/ whose TypeScript source is gone (a renamed or deleted case,
// module or test helper). Run before the build on `prepack` (package.json): dist/ is what the npm
// package ships, and the case registry loads every .js file of dist/suites/, so a stale output
// would ship a case that no longer exists. Only stale files are removed — never the whole folder,
// which a running CLI or test in the same checkout may be reading.
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const OUTPUT = /\.(js|js\.map|d\.ts|d\.ts\.map)$/;

let removed = 0;
if (existsSync(dist)) {
  for (const entry of readdirSync(dist, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !OUTPUT.test(entry.name)) continue;
    const file = join(entry.parentPath ?? entry.path, entry.name);
    const source = join(root, relative(dist, file)).replace(OUTPUT, '.ts');
    if (!existsSync(source)) {
      rmSync(file);
      removed++;
    }
  }
}
if (removed) console.log(`prune-dist: removed ${removed} stale file(s) from dist/`);
