/**
 * What `npm pack` ships: the build, schemas, fonts, docs and licence; no source map that
 * names a file left out; every link of the README and the docs resolves inside the package.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { packedFiles, ROOT } from '../helpers/installed-package.js';

const files = new Set(packedFiles());

test('the package ships the licence, the README, the docs, the schema and the command', () => {
  for (const file of [
    'LICENSE',
    'README.md',
    'package.json',
    'docs/python.md',
    'docs/cli.md',
    'docs/editor.md',
    'schemas/vega-frames.schema.json',
    'dist/cli/bin.js',
    'dist/index.js',
    'dist/index.d.ts',
    'dist/vega-frames.cjs',
  ]) {
    assert.ok(files.has(file), `${file} is not in the package`);
  }
  assert.ok(![...files].some((f) => f.startsWith('src/') || f.startsWith('test/')));
});

test('no source map ships, and no shipped file points at one', () => {
  const maps = [...files].filter((f) => f.endsWith('.map'));
  assert.deepEqual(maps, []);
  for (const file of [...files].filter((f) => /\.(c?js|d\.ts)$/.test(f))) {
    const text = readFileSync(path.join(ROOT, file), 'utf8');
    assert.doesNotMatch(text, /^\/\/# sourceMappingURL=/m, file);
  }
});

test('every relative link and image in the README and the docs is a shipped file', () => {
  const docs = [...files].filter((f) => f === 'README.md' || /^docs\/.*\.md$/.test(f));
  assert.ok(docs.length > 5);
  let links = 0;
  for (const doc of docs) {
    const text = readFileSync(path.join(ROOT, doc), 'utf8');
    const targets = [
      ...[...text.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]),
      ...[...text.matchAll(/<img src="([^"]+)"/g)].map((m) => m[1]),
    ];
    for (const target of targets) {
      if (/^[a-z]+:/i.test(target) || target.startsWith('#')) continue;
      const file = path.posix.normalize(
        path.posix.join(path.posix.dirname(doc), target.split('#')[0]),
      );
      assert.ok(files.has(file), `${doc} links to ${target}, which the package does not ship`);
      links++;
    }
  }
  assert.ok(links > 20, `only ${links} links found`);
});

test('the build runs on pack (prepack), not on every install (prepare); npm start builds', () => {
  const { scripts } = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
    scripts: Record<string, string>;
  };
  assert.equal(scripts.prepare, undefined);
  assert.equal(scripts.prepack, 'npm run build');
  assert.match(scripts.start, /^npm run build && /);
  assert.match(scripts.test, /^npm run build && /);
});
