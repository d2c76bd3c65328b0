/**
 * Fonts reach the canvas only by vega-frames' own names: a family the machine may have
 * (Lato, installed on some machines and not others) is never looked up by its name, in
 * drawing or in Vega's text measurement; a spec's file is registered under a name made
 * from its bytes; SVG names the families drawn, not the aliases.
 */
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { GlobalFonts, createCanvas } from 'canvas';
import * as vega from 'vega';
import {
  FALLBACK_FAMILY,
  SHIPPED_ALIAS,
  aliasingFonts,
  canvasFont,
  registerFontFiles,
  registerFonts,
  svgFontNames,
  withFontAliases,
} from '../../src/render/fonts.js';
import type { FontFile } from '../../src/data/fonts.js';

const SERIF = new Uint8Array(
  readFileSync(fileURLToPath(new URL('../fixtures/fonts/DejaVuSerif.ttf', import.meta.url))),
);
const SANS = new Uint8Array(
  readFileSync(fileURLToPath(new URL('../../fonts/DejaVuSans.ttf', import.meta.url))),
);
const file = (family: string, bytes: Uint8Array): FontFile => ({
  family,
  weight: 400,
  style: 'normal',
  source: `${family}.ttf`,
  bytes,
});
// A font by a name a machine may have installed: where it has no Lato, this stands in, so
// that a family looked up by its name finds a font here too.
GlobalFonts.registerFromPath(
  fileURLToPath(new URL('../fixtures/fonts/DejaVuSerif.ttf', import.meta.url)),
  'Lato',
);
const SHIPPED = `${SHIPPED_ALIAS}, ${FALLBACK_FAMILY}`;
const TEXT = 'Growth by epoch 0123';

test('every family on its way to the canvas is an alias; style, weight and size are kept', () => {
  assert.equal(canvasFont('11px sans-serif'), `11px ${SHIPPED}`);
  assert.equal(canvasFont('italic bold 18px Lato, "Benton Gothic"'), `italic bold 18px ${SHIPPED}`);
  assert.equal(canvasFont('600 10.5px Helvetica'), `600 10.5px ${SHIPPED}`);
  // An aliased list comes back as it is (the strings the rewritten spec gives Vega).
  const own = `bold 12px vega-frames f0123456789abcdef, ${SHIPPED}`;
  assert.equal(canvasFont(own), own);
  assert.equal(canvasFont(`12px ${SHIPPED}`), `12px ${SHIPPED}`);
});

test('a context draws a family the machine may have in DejaVu Sans, not by its name', () => {
  registerFonts();
  const ctx = aliasingFonts(createCanvas(10, 10).getContext('2d'));
  const width = (font: string) => {
    ctx.font = font;
    return ctx.measureText(TEXT).width;
  };
  const dejavu = width(`18px ${SHIPPED_ALIAS}`);
  assert.equal(width('18px Lato'), dejavu);
  assert.equal(width('18px serif'), dejavu);
  assert.notEqual(width(`bold 18px ${SHIPPED_ALIAS}`), dejavu, 'bold is kept');
});

test('Vega measures text in the fonts the canvas draws', () => {
  registerFonts();
  const metrics = (vega as unknown as { textMetrics: { width(item: object, t: string): number } })
    .textMetrics;
  const width = (font: string) => metrics.width({ font, fontSize: 18, text: TEXT }, TEXT);
  const dejavu = width(SHIPPED_ALIAS);
  // Where Lato is installed, a measurement by its name would be Lato's (narrower).
  assert.equal(width('Lato'), dejavu);
  const [alias] = registerFontFiles([file('Lato', SERIF)]).values();
  assert.ok(width(`${alias}, ${SHIPPED}`) > dejavu + 1, 'the serif file measures wider');
});

test('a family registered from a file is drawn from it, under a name of its family and bytes', () => {
  registerFonts();
  const serif = registerFontFiles([file('Lato', SERIF)]);
  const sans = registerFontFiles([file('lato', SANS)]);
  const again = registerFontFiles([file('LATO', SERIF)]);
  assert.match(serif.get('lato')!, /^vega-frames f[0-9a-f]{16}$/);
  assert.equal(again.get('lato'), serif.get('lato'), 'the same bytes: the same alias');
  assert.notEqual(sans.get('lato'), serif.get('lato'), 'other bytes: another alias');
  const paper = registerFontFiles([file('Paper Serif', SERIF)]).get('paper serif');
  assert.notEqual(paper, serif.get('lato'), 'another family: another alias');
  const ctx = createCanvas(10, 10).getContext('2d');
  const width = (font: string) => {
    ctx.font = font;
    return ctx.measureText(TEXT).width;
  };
  assert.equal(width(`18px ${sans.get('lato')}`), width(`18px ${SHIPPED_ALIAS}`));
  assert.notEqual(width(`18px ${serif.get('lato')}`), width(`18px ${SHIPPED_ALIAS}`));
});

test('the spec is rewritten to aliases: literal fonts, and font expressions as they compute', async () => {
  registerFonts();
  const aliases = registerFontFiles([file('Paper Serif', SERIF)]);
  const paper = aliases.get('paper serif')!;
  const spec = withFontAliases(
    {
      config: { axis: { labelFont: 'Lato, sans-serif' }, title: { font: 'Paper Serif' } },
      data: [
        {
          name: 't',
          values: [
            { font: 'Lato', f: 'Paper Serif' },
            { font: 'x', f: 'Lato' },
          ],
        },
      ],
      signals: [{ name: 'font', value: 'Lato' }],
      marks: [
        {
          type: 'text',
          from: { data: 't' },
          encode: { update: { text: { field: 'f' }, font: { signal: 'datum.f' } } },
        },
      ],
    },
    aliases,
  ) as Record<string, never>;
  assert.deepEqual(spec.config, {
    axis: { labelFont: SHIPPED },
    title: { font: `${paper}, ${SHIPPED}` },
  });
  assert.deepEqual((spec.data as { values: unknown[] }[])[0].values[0], {
    font: 'Lato',
    f: 'Paper Serif',
  });
  assert.deepEqual(spec.signals, [{ name: 'font', value: 'Lato' }]);
  const view = new vega.View(vega.parse(spec as never), { renderer: 'none' });
  await view.runAsync();
  const fonts = (
    view.scenegraph() as unknown as {
      root: { items: { items: { items: { font: string }[] }[] }[] };
    }
  ).root.items[0].items[0].items.map((i) => i.font);
  view.finalize();
  assert.deepEqual(fonts, [`${paper}, ${SHIPPED}`, SHIPPED]);
});

test('SVG names the families drawn, not the aliases', () => {
  registerFonts();
  const paper = registerFontFiles([file('Paper Serif', SERIF)]).get('paper serif')!;
  const odd = registerFontFiles([file('Odd "Face" 2', SANS)]).get('odd "face" 2')!;
  const svg =
    `<text font-family="${paper}, ${SHIPPED}">a</text>` +
    `<text font-family="${SHIPPED}">b</text>` +
    `<text font-family="${odd}, ${SHIPPED}">c</text>` +
    '<text font-family="Georgia">d</text>';
  assert.equal(
    svgFontNames(svg),
    `<text font-family="Paper Serif, DejaVu Sans, ${FALLBACK_FAMILY}">a</text>` +
      `<text font-family="DejaVu Sans, ${FALLBACK_FAMILY}">b</text>` +
      `<text font-family="&quot;Odd \\&quot;Face\\&quot; 2&quot;, DejaVu Sans, ${FALLBACK_FAMILY}">c</text>` +
      '<text font-family="Georgia">d</text>',
  );
});
