/**
 * Bundles the built modules with Vega and Vega-Lite into one CommonJS file and stores its V8
 * code cache, so that the `vega-frames` command (dist/cli/bin.js) starts in ~60 ms instead
 * of ~300 ms (see src/cli/bin.ts).
 *
 *   tsx scripts/build-bundle.ts   → dist/vega-frames.cjs and dist/vega-frames.v8cache
 *
 * Each module's `import.meta.url` becomes its own file's URL under dist/, so the paths it
 * resolves (schemas, fonts, package.json) are the same as unbundled.
 */
import { chmod, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';
import { cacheFileOf, runCommonJs } from '../src/support/cached-script.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const OUT = path.join(ROOT, 'dist/vega-frames.cjs');

const ownImportMetaUrl: Plugin = {
  name: 'own-import-meta-url',
  setup(b) {
    b.onLoad({ filter: /[/\\]dist[/\\].*\.js$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      const fromRoot = path.relative(ROOT, args.path).split(path.sep).join('/');
      return {
        contents: source.replaceAll(
          'import.meta.url',
          `__vfModuleUrl(${JSON.stringify(fromRoot)})`,
        ),
        loader: 'js',
        resolveDir: path.dirname(args.path),
      };
    });
  },
};

// --cache-only: the code cache alone, for a process with other V8 flags
// (scripts/build-command-caches.ts).
if (!process.argv.includes('--cache-only')) {
  await build({
    entryPoints: [path.join(ROOT, 'dist/cli/bundle.js')],
    outfile: `${OUT}.tmp`,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    // Native code, and readers only Arrow/Parquet input needs (loaded on first use).
    external: ['canvas', '@napi-rs/canvas', 'apache-arrow', 'hyparquet', 'hyparquet-compressors'],
    alias: { 'vega-canvas': path.join(ROOT, 'scripts/bundle/vega-canvas-node.js') },
    plugins: [ownImportMetaUrl],
    banner: {
      js: [
        `const __vfPackageRoot = require('node:url').pathToFileURL(require('node:path').join(__dirname, '..') + '/');`,
        `const __vfModuleUrl = (file) => new URL(file, __vfPackageRoot).href;`,
      ].join('\n'),
    },
    // start-worker.ts's import.meta.resolve is for tsx (tests) only, never reached here.
    logOverride: { 'empty-import-meta': 'silent' },
    logLevel: 'warning',
    legalComments: 'none',
  });
  await rename(`${OUT}.tmp`, OUT);
  // The `vega-frames` command runs by its #! line (the bench does too), as does main.js
  // through bin links made when it was the command.
  for (const bin of ['bin.js', 'main.js']) await chmod(path.join(ROOT, 'dist/cli', bin), 0o755);
}

// The code cache, made after rendering a few frames of two bundled examples (points; cells
// and text) in one thread, so it holds the functions a render compiles, not only the
// bundle's top level: W2 1.78 → 1.58 s (medians of 4) against a cache of the top level.
const { exports, script } = runCommonJs(OUT);
const { main } = exports as { main: (argv: string[]) => Promise<number> };
const scratch = await mkdtemp(path.join(tmpdir(), 'vf-bundle-'));
try {
  for (const spec of ['umap-epochs', 'weights-heatmap']) {
    const argv = ['render', path.join(ROOT, `specs/${spec}.yaml`), '-q', '--workers', '1'];
    const code = await main([...argv, '--frames', '0:3', '-o', path.join(scratch, `${spec}.gif`)]);
    if (code !== 0) throw new Error(`the bundle could not render specs/${spec}.yaml`);
  }
} finally {
  await rm(scratch, { recursive: true, force: true });
}
await writeFile(`${cacheFileOf(OUT)}.tmp`, script.createCachedData());
await rename(`${cacheFileOf(OUT)}.tmp`, cacheFileOf(OUT));
