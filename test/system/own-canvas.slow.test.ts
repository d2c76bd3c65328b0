/**
 * A project with a `canvas` package of its own uses the library API: npm nests this
 * package's canvas under it, and Vega's modules, loaded as they are, would take the
 * project's. The project's here is a stand-in whose every canvas fails to be made, as a
 * node-canvas whose native binding does not load does.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { decodeGif } from '../helpers/gif-decode.js';
import { installInto, ROOT } from '../helpers/installed-package.js';

const tmp = mkdtempSync(path.join(tmpdir(), 'vf-own-canvas-'));
// Each holds a project's node_modules (hard links): removed after the tests.
after(() => rmSync(tmp, { recursive: true, force: true }));

const FAKE_CANVAS = {
  'package.json': JSON.stringify({ name: 'canvas', version: '2.11.2', main: 'index.js' }),
  'index.js': `class Canvas {
  constructor() { throw new Error('canvas.node was compiled against a different Node.js version'); }
}
exports.Canvas = Canvas;
exports.createCanvas = (w, h) => new Canvas(w, h);
exports.Image = class Image {};
`,
};

const SPEC = {
  data: {
    values: Array.from({ length: 60 }, (_, i) => ({ t: i % 6, x: i, y: (i % 7) - 3, g: i % 3 })),
  },
  title: 'Frame {frame}',
  width: 200,
  height: 150,
  mark: { type: 'point', filled: true, size: 80 },
  encoding: {
    x: { field: 'x', type: 'quantitative' },
    y: { field: 'y', type: 'quantitative' },
    color: { field: 'g', type: 'nominal' },
    frame: { field: 't', type: 'ordinal' },
  },
};

/** A script that renders SPEC through `entry` to `out` as a GIF, with a render worker. */
const renderScript = (entry: string, out: string) => `
import { writeFileSync } from 'node:fs';
import { render } from ${JSON.stringify(entry)};
const gif = await render(${JSON.stringify(SPEC)}, { format: 'gif', workers: 2 });
writeFileSync(${JSON.stringify(out)}, gif);
`;

test("the API renders in a project whose own `canvas` Vega's modules would take", () => {
  const fake = path.join(tmp, 'fake-canvas');
  mkdirSync(fake);
  for (const [name, text] of Object.entries(FAKE_CANVAS))
    writeFileSync(path.join(fake, name), text);
  const project = path.join(tmp, 'project');
  installInto(project, fake);
  writeFileSync(path.join(project, 'package.json'), '{"type": "module", "private": true}');

  // The layout holds what the failure needs: Vega's canvas lookup finds the project's.
  writeFileSync(
    path.join(project, 'vega-canvas.mjs'),
    "import { canvas } from 'vega-canvas'; console.log(canvas(1, 1) === null);",
  );
  const vegaSees = execFileSync(process.execPath, ['vega-canvas.mjs'], {
    cwd: project,
    encoding: 'utf8',
  });
  assert.equal(vegaSees.trim(), 'true');

  const out = path.join(tmp, 'own.gif');
  writeFileSync(path.join(project, 'render.mjs'), renderScript('vega-frames', out));
  execFileSync(process.execPath, ['render.mjs'], { cwd: project, stdio: 'pipe' });
  const gif = decodeGif(out);
  assert.equal(gif.frameCount, 6);

  // The same bytes as this checkout's own build renders, where `canvas` is the package's.
  const reference = path.join(tmp, 'reference.gif');
  const script = path.join(tmp, 'reference.mjs');
  writeFileSync(script, renderScript(path.join(ROOT, 'dist/index.js'), reference));
  execFileSync(process.execPath, [script], { cwd: ROOT, stdio: 'pipe' });
  assert.ok(readFileSync(out).equals(readFileSync(reference)));
});

test('the entry exports what library.ts lists, from the bundle when the build has one', async () => {
  const script = `
const entry = await import(${JSON.stringify(path.join(ROOT, 'dist/index.js'))});
const library = await import(${JSON.stringify(path.join(ROOT, 'dist/library.js'))});
console.log(JSON.stringify({
  entry: Object.keys(entry).sort(),
  library: Object.keys(library).sort(),
  bundled: entry.UserError !== library.UserError,
}));`;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    encoding: 'utf8',
  });
  const { entry, library, bundled } = JSON.parse(out) as Record<string, unknown>;
  assert.deepEqual(entry, library);
  assert.equal(bundled, true);
  // From the sources (no bundle beside src/index.ts), the modules themselves.
  const fromSources = await import('../../src/index.js');
  const libraryModule = await import('../../src/library.js');
  assert.equal(fromSources.UserError, libraryModule.UserError);
  assert.deepEqual(Object.keys(fromSources).sort(), Object.keys(libraryModule).sort());
});
