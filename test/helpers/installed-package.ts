/**
 * This package as npm ships it: the files `npm pack` lists (from the current build), and a
 * project folder with them installed where npm would put them.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, linkSync, mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';

export const ROOT = new URL('../..', import.meta.url).pathname;

/** The paths `npm pack` puts in the tarball, relative to the package root. */
export function packedFiles(): string[] {
  // A build running meanwhile replaces files under npm as it reads them: read again.
  for (let attempt = 1; ; attempt++) {
    try {
      const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
        cwd: ROOT,
        encoding: 'utf8',
        maxBuffer: 64 << 20,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const [pack] = JSON.parse(out) as { files: { path: string }[] }[];
      return pack.files.map((f) => f.path);
    } catch (e) {
      if (attempt === 3) throw e;
    }
  }
}

/**
 * `project`/node_modules as npm lays it out for a project that depends on this package:
 * the packed files in node_modules/vega-frames, the dependencies beside it (hard links to
 * this checkout's), and `canvas` nested under vega-frames (npm nests it there when the
 * project has a `canvas` of its own, which `ownCanvas` then provides at the top).
 */
export function installInto(project: string, ownCanvas?: string): string {
  const modules = path.join(project, 'node_modules');
  const installed = path.join(modules, 'vega-frames');
  mkdirSync(installed, { recursive: true });
  for (const file of packedFiles()) {
    mkdirSync(path.dirname(path.join(installed, file)), { recursive: true });
    linkSync(path.join(ROOT, file), path.join(installed, file));
  }
  const ours = path.join(ROOT, 'node_modules');
  // Hard-linked copies of the folders, not symlinks: Node resolves a symlink to its real
  // path, which would resolve `canvas` from this checkout again.
  const names = readdirSync(ours).filter((name) => !(name === 'canvas' && ownCanvas));
  execFileSync('cp', ['-al', ...names.map((name) => path.join(ours, name)), modules]);
  if (ownCanvas) {
    cpSync(ownCanvas, path.join(modules, 'canvas'), { recursive: true });
    mkdirSync(path.join(installed, 'node_modules'));
    execFileSync('cp', ['-al', path.join(ours, 'canvas'), path.join(installed, 'node_modules')]);
  }
  return installed;
}
