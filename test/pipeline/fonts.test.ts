/**
 * A font file next to the spec is drawn in: its text differs from DejaVu Sans, the same
 * bytes on every run and with render workers; a family nothing registered warns once,
 * naming it, and is drawn in DejaVu Sans rather than left as empty boxes.
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { GlobalFonts } from 'canvas';
import { PNG } from 'pngjs';
import { renderToFile } from '../../src/api.js';

const SERIF = fileURLToPath(new URL('../fixtures/fonts/DejaVuSerif.ttf', import.meta.url));
const DEJAVU_SANS = fileURLToPath(new URL('../../fonts/DejaVuSans.ttf', import.meta.url));
const DEJAVU_SANS_BOLD = fileURLToPath(new URL('../../fonts/DejaVuSans-Bold.ttf', import.meta.url));
const dir = mkdtempSync(path.join(tmpdir(), 'vf-spec-fonts-'));
after(() => rmSync(dir, { recursive: true, force: true }));
copyFileSync(SERIF, path.join(dir, 'paper-serif.ttf'));
// Fonts by the names a machine may have installed (Lato, DejaVu Serif): where it has none,
// these stand in, so that a family looked up by its name finds a font here too.
GlobalFonts.registerFromPath(SERIF, 'Lato');
GlobalFonts.registerFromPath(SERIF, 'DejaVu Serif');

/** A chart titled in `font`, with `fonts` listed; 12 frames. */
function spec(name: string, font: string, fonts?: string): string {
  const file = path.join(dir, `${name}.yaml`);
  const values = Array.from({ length: 24 }, (_, i) => `{a: ${i % 5}, b: ${i % 7}, t: ${i % 12}}`);
  writeFileSync(
    file,
    `title: {text: "Growth by epoch 0123", font: "${font}", fontSize: 18}
data: {values: [${values.join(', ')}]}
mark: point
width: 300
height: 80
encoding:
  x: {field: a, type: quantitative}
  y: {field: b, type: quantitative}
  frame: {field: t}
${fonts ? `fonts: ${fonts}\n` : ''}`,
  );
  return file;
}

async function png(file: string, out: string) {
  const result = await renderToFile(file, path.join(dir, out), { workers: 1 });
  return { result, png: PNG.sync.read(readFileSync(path.join(dir, out))) };
}

/** Pixels of the title band that differ between two renders of one size. */
function titleDiff(a: PNG, b: PNG): number {
  assert.equal(a.width, b.width);
  let n = 0;
  for (let i = 0; i < a.width * 20 * 4; i++) if (a.data[i] !== b.data[i]) n++;
  return n;
}

test("a font file beside the spec draws the title in it, under the spec's family name", async () => {
  const sans = await png(spec('sans', 'DejaVu Sans'), 'sans.png');
  // Unregistered, the family is drawn in DejaVu Sans (first: a registered family stays for
  // the rest of the process).
  const unregistered = await png(spec('unregistered', 'Paper Serif'), 'unregistered.png');
  assert.equal(titleDiff(sans.png, unregistered.png), 0);
  assert.match(unregistered.result.warnings.join(), /"Paper Serif" is not registered/);
  const serif = await png(
    spec('serif', 'Paper Serif', '[{path: paper-serif.ttf, family: Paper Serif}]'),
    'serif.png',
  );
  assert.deepEqual(serif.result.warnings, []);
  assert.ok(titleDiff(sans.png, serif.png) > 200, 'the serif title differs from DejaVu Sans');
});

test('the same bytes on two runs, and with one or two render threads', async () => {
  const file = spec('threads', 'DejaVu Serif', '[paper-serif.ttf]');
  const one = path.join(dir, 'one.gif');
  const again = path.join(dir, 'again.gif');
  const two = path.join(dir, 'two.gif');
  await renderToFile(file, one, { workers: 1 });
  await renderToFile(file, again, { workers: 1 });
  await renderToFile(file, two, { workers: 2 });
  assert.deepEqual(readFileSync(again), readFileSync(one));
  assert.deepEqual(readFileSync(two), readFileSync(one));
  const sans = path.join(dir, 'sans.gif');
  await renderToFile(spec('sans-gif', 'DejaVu Sans'), sans, { workers: 1 });
  assert.notDeepEqual(readFileSync(sans), readFileSync(one));
});

test('a family nothing registered warns once, naming it', async () => {
  const file = path.join(dir, 'missing.yaml');
  writeFileSync(
    file,
    `title: {text: Results, font: "Lato, sans-serif"}
data: {values: [{a: 1, b: 2}]}
mark: {type: text, text: hi, font: Lato}
encoding:
  x: {field: a, type: quantitative, axis: {labelFont: Lato, titleFont: "Benton Gothic"}}
  y: {field: b, type: quantitative}
`,
  );
  const { result, png: image } = await png(file, 'missing.png');
  const fontWarnings = result.warnings.filter((w) => /font family/.test(w));
  assert.equal(fontWarnings.length, 2, fontWarnings.join('\n'));
  assert.match(fontWarnings[0], /"Lato" is not registered.*fonts:/);
  assert.match(fontWarnings[1], /"Benton Gothic"/);
  // Drawn in DejaVu Sans: dark glyph pixels in the title, not the emoji font's empty boxes.
  const sansTitle = await png(
    (() => {
      const f = path.join(dir, 'sans-title.yaml');
      writeFileSync(f, readFileSync(file, 'utf8').replace(/Lato|Benton Gothic/g, 'DejaVu Sans'));
      return f;
    })(),
    'sans-title.png',
  );
  assert.equal(titleDiff(image, sansTitle.png), 0);
  assert.deepEqual(
    sansTitle.result.warnings.filter((w) => /font family/.test(w)),
    [],
  );
});

test('the HTML player embeds the spec’s fonts under their families', async () => {
  const file = spec('player', 'Paper Serif', '[{path: paper-serif.ttf, family: Paper Serif}]');
  const out = path.join(dir, 'player.html');
  await renderToFile(file, out, { workers: 1 });
  const html = readFileSync(out, 'utf8');
  const json = /<script (?:id|class)="vf-payload" type="application\/json">(.*?)<\/script>/s.exec(
    html,
  )![1];
  const fonts = (JSON.parse(json) as { fonts: { family: string; weight: string }[] }).fonts;
  assert.deepEqual(
    fonts.map((f) => [f.family, f.weight]),
    [
      ['DejaVu Sans', 'normal'],
      ['DejaVu Sans', 'bold'],
      ['Paper Serif', '400'],
    ],
  );
});

test("a theme's fonts: unregistered they warn; given as files they are drawn in", async () => {
  // urbaninstitute sets its titles and labels in Lato.
  const themed = spec('themed', 'Lato');
  const before = await renderToFile(themed, path.join(dir, 'lato-missing.png'), {
    workers: 1,
    theme: 'urbaninstitute',
  });
  assert.match(before.warnings.join('\n'), /"Lato" is not registered/);
  const missing = PNG.sync.read(readFileSync(path.join(dir, 'lato-missing.png')));
  const given = spec('given', 'Lato', '[{path: paper-serif.ttf, family: Lato}]');
  const withFile = await renderToFile(given, path.join(dir, 'lato-given.png'), {
    workers: 1,
    theme: 'urbaninstitute',
  });
  assert.doesNotMatch(withFile.warnings.join('\n'), /not registered/);
  const drawn = PNG.sync.read(readFileSync(path.join(dir, 'lato-given.png')));
  assert.ok(titleDiff(missing, drawn) > 200);
});

test('a font file under the name of a font the machine may have is drawn from the file', async () => {
  // Lato and DejaVu Serif are installed on some machines: by their names the canvas would
  // draw those, not the files the spec registers under them.
  copyFileSync(DEJAVU_SANS, path.join(dir, 'plain-sans.ttf'));
  copyFileSync(DEJAVU_SANS_BOLD, path.join(dir, 'plain-sans-bold.ttf'));
  const paper = await png(
    spec('paper', 'Paper Serif', '[{path: paper-serif.ttf, family: Paper Serif}]'),
    'paper.png',
  );
  const lato = await png(
    spec('lato-file', 'Lato', '[{path: paper-serif.ttf, family: Lato}]'),
    'lato-file.png',
  );
  assert.deepEqual(lato.result.warnings, []);
  assert.equal(titleDiff(lato.png, paper.png), 0, 'Lato is not drawn from its file');
  const sans = await png(spec('sans-again', 'DejaVu Sans'), 'sans-again.png');
  const serifName = await png(
    spec(
      'serif-name',
      'DejaVu Serif',
      '[{path: plain-sans.ttf, family: DejaVu Serif}, {path: plain-sans-bold.ttf, family: DejaVu Serif}]',
    ),
    'serif-name.png',
  );
  assert.deepEqual(serifName.result.warnings, []);
  assert.equal(titleDiff(serifName.png, sans.png), 0, 'DejaVu Serif is not drawn from its file');
  assert.ok(titleDiff(serifName.png, paper.png) > 200, 'the sans file draws like the serif');
});

test('a font an expression gives: a registered family from its file, any other in DejaVu Sans', async () => {
  const chart = (name: string, font: string) => {
    const file = path.join(dir, `${name}.yaml`);
    writeFileSync(
      file,
      `fonts: [{path: paper-serif.ttf, family: Paper Serif}]
data: {values: [{f: "Paper Serif", y: 0}, {f: "Lato", y: 1}]}
mark: {type: text, text: "Growth by epoch 0123", fontSize: 18, font: ${font}}
width: 300
height: 80
encoding:
  y: {field: y, type: ordinal, axis: null}
`,
    );
    return file;
  };
  const byExpr = await png(chart('font-expr', '{expr: "datum.f"}'), 'font-expr.png');
  assert.deepEqual(byExpr.result.warnings, []);
  const serif = await png(chart('font-serif', 'Paper Serif'), 'font-serif.png');
  const sans = await png(chart('font-sans', 'DejaVu Sans'), 'font-sans.png');
  // Row 0 (Paper Serif) in the top half, row 1 (Lato, unregistered) in the bottom half.
  const half = (img: PNG, bottom: boolean) => {
    const rows = img.height / 2;
    const start = bottom ? Math.ceil(rows) * img.width * 4 : 0;
    return img.data.subarray(start, start + Math.floor(rows) * img.width * 4);
  };
  assert.deepEqual(half(byExpr.png, false), half(serif.png, false));
  assert.deepEqual(half(byExpr.png, true), half(sans.png, true));
  assert.notDeepEqual(half(serif.png, false), half(sans.png, false));
  assert.notDeepEqual(half(serif.png, true), half(sans.png, true));
});

test('SVG names the families its text is drawn in, never an internal name', async () => {
  const file = spec('svg', 'Paper Serif', '[{path: paper-serif.ttf, family: Paper Serif}]');
  await renderToFile(file, path.join(dir, 'fonts.svg'), { workers: 1 });
  const families = new Set(
    [...readFileSync(path.join(dir, 'fonts.svg'), 'utf8').matchAll(/font-family="([^"]*)"/g)].map(
      (m) => m[1],
    ),
  );
  assert.deepEqual([...families].sort(), [
    'DejaVu Sans, vega-frames Noto Emoji',
    'Paper Serif, DejaVu Sans, vega-frames Noto Emoji',
  ]);
});
