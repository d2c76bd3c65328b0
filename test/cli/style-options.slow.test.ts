/**
 * The command's look and paper options as a user types them: --width 3.5in --ppi 300 is a
 * 1050-pixel PNG recording 300 ppi, --theme and --config (merged under the spec's own
 * config), --font-dir, --fit-width, and the refusals.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { PNG } from 'pngjs';

const ROOT = new URL('../..', import.meta.url).pathname;
const CLI = path.join(ROOT, 'dist/cli/bin.js');
const tmp = mkdtempSync(path.join(tmpdir(), 'vf-style-options-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

const spec = (name: string, extra = '') => {
  const file = path.join(tmp, name);
  writeFileSync(
    file,
    `title: {text: Results, font: DejaVu Serif}
data: {values: [{a: 1, b: 2, t: 0}, {a: 2, b: 3, t: 1}, {a: 3, b: 1, t: 1}]}
mark: point
encoding:
  x: {field: a, type: quantitative}
  y: {field: b, type: quantitative}
  frame: {field: t}
${extra}`,
  );
  return file;
};

function run(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, 'render', ...args, '-q'], { encoding: 'utf8' });
  return { code: r.status, stderr: r.stderr };
}

function png(file: string) {
  const bytes = readFileSync(file);
  const at = bytes.indexOf('pHYs');
  const decoded = PNG.sync.read(bytes);
  return {
    width: decoded.width,
    height: decoded.height,
    ppi: Math.round(bytes.readUInt32BE(at + 4) * 0.0254),
    pixel: (x: number, y: number) => [
      ...decoded.data.subarray((y * decoded.width + x) * 4, (y * decoded.width + x) * 4 + 4),
    ],
  };
}

test('--width 3.5in --height 2in --ppi 300: 1050 × 600 pixels, 300 ppi recorded', () => {
  const out = path.join(tmp, 'column.png');
  const r = run(spec('a.yaml'), '--width', '3.5in', '--height', '2in', '--ppi', '300', '-o', out);
  assert.equal(r.code, 0, r.stderr);
  const p = png(out);
  assert.deepEqual([p.width, p.height, p.ppi], [1050, 600, 300]);
  // 8.9 cm wide, scaled from the figure as laid out.
  const fit = path.join(tmp, 'fit.png');
  assert.equal(run(spec('b.yaml'), '--fit-width', '8.9cm', '--ppi', '300', '-o', fit).code, 0);
  assert.equal(png(fit).width, Math.round((8.9 / 2.54) * 300));
});

test('--theme, then --config, then the spec’s own config', () => {
  const look = path.join(tmp, 'look.json');
  writeFileSync(look, JSON.stringify({ background: '#102030', view: { fill: '#405060' } }));
  const themed = path.join(tmp, 'themed.png');
  assert.equal(run(spec('c.yaml'), '--theme', 'dark', '-o', themed).code, 0);
  assert.deepEqual(png(themed).pixel(0, 0), [0x33, 0x33, 0x33, 255]);
  const configured = path.join(tmp, 'configured.png');
  assert.equal(run(spec('d.yaml'), '--theme', 'dark', '--config', look, '-o', configured).code, 0);
  assert.deepEqual(png(configured).pixel(0, 0), [0x10, 0x20, 0x30, 255]);
  const own = path.join(tmp, 'own.png');
  const mine = spec('e.yaml', "config: {background: '#008000'}\n");
  assert.equal(run(mine, '--theme', 'dark', '--config', look, '-o', own).code, 0);
  assert.deepEqual(png(own).pixel(0, 0), [0, 0x80, 0, 255]);
});

test('--font-dir registers its fonts; a family nothing registered warns; refusals', () => {
  const fonts = path.join(tmp, 'fonts');
  mkdirSync(fonts);
  copyFileSync(
    new URL('../fixtures/fonts/DejaVuSerif.ttf', import.meta.url),
    path.join(fonts, 'serif.ttf'),
  );
  const out = path.join(tmp, 'serif.png');
  const warned = run(spec('f.yaml'), '-o', out);
  assert.match(warned.stderr, /font family "DejaVu Serif" is not registered/);
  const quiet = run(spec('g.yaml'), '--font-dir', fonts, '-o', out);
  assert.equal(quiet.code, 0, quiet.stderr);
  assert.doesNotMatch(quiet.stderr, /not registered/);
  const theme = run(spec('h.yaml'), '--theme', 'drak', '-o', out);
  assert.equal(theme.code, 2);
  assert.match(theme.stderr, /did you mean "dark"/);
  assert.equal(run(spec('i.yaml'), '--width', 'wide', '-o', out).code, 2);
  const gif = run(spec('j.yaml'), '--fit-width', '3.5in', '-o', path.join(tmp, 'x.gif'));
  assert.equal(gif.code, 2);
  assert.match(gif.stderr, /--fit-width scales a still/);
});
