import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The repository root, from bench/ under tsx as from dist/bench/ after the build: the first
 * directory upwards whose package.json is Pricehawk's.
 */
export function repoRoot(): string {
  let dir = import.meta.dirname;
  for (;;) {
    const pkg = path.join(dir, 'package.json');
    if (
      existsSync(pkg) &&
      (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'pricehawk'
    ) {
      return dir;
    }
    const up = path.dirname(dir);
    if (up === dir) throw new Error('cannot find the pricehawk repository root');
    dir = up;
  }
}

/** The shared page corpus sits beside the repository (see the brief: ../shared/fixtures/pages). */
export function fixturesDir(): string {
  return path.resolve(repoRoot(), '../shared/fixtures/pages');
}
