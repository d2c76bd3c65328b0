/**
 * Themes and config reach the pixels of every output: the background a theme, Altair's
 * usermeta theme or a spec's `config.background` gives is painted in PNG, GIF and SVG, and
 * a theme's view fill fills the plot.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PNG } from 'pngjs';
import { info, render } from '../../src/api.js';
import { configChecked } from '../../src/pipeline/style.js';
import { OptionError } from '../../src/spec/errors.js';
import type { RenderOptions } from '../../src/pipeline/options.js';
import type { VegaFramesSpec } from '../../src/spec/types.js';
import { decodeGif } from '../helpers/gif-decode.js';

const chart = (extra: object = {}): VegaFramesSpec =>
  ({
    data: {
      values: [
        { a: 1, b: 2, t: 0 },
        { a: 2, b: 1, t: 1 },
      ],
    },
    mark: 'point',
    width: 100,
    height: 80,
    encoding: {
      x: { field: 'a', type: 'quantitative' },
      y: { field: 'b', type: 'quantitative' },
      frame: { field: 't' },
    },
    ...extra,
  }) as VegaFramesSpec;

const quiet = { workers: 1 } satisfies RenderOptions;

async function pngPixel(spec: VegaFramesSpec, options: RenderOptions, x: number, y: number) {
  const png = PNG.sync.read(
    Buffer.from(await render(spec, { ...quiet, ...options, format: 'png' })),
  );
  const i = (y * png.width + x) * 4;
  return [...png.data.subarray(i, i + 4)];
}

async function gifCorner(spec: VegaFramesSpec, options: RenderOptions = {}) {
  const gif = decodeGif(await render(spec, { ...quiet, ...options, format: 'gif' }));
  return [...gif.frame(0).subarray(0, 4)];
}

const DARK = [0x33, 0x33, 0x33, 255];

test("Altair's dark theme (usermeta.embedOptions.theme) paints a dark PNG, GIF and SVG", async () => {
  const altair = chart({ usermeta: { embedOptions: { theme: 'dark' } } });
  assert.deepEqual(await pngPixel(altair, {}, 0, 0), DARK);
  assert.deepEqual(await gifCorner(altair), DARK);
  const svg = Buffer.from(await render(altair, { ...quiet, format: 'svg' })).toString();
  assert.match(svg, /^<svg[^>]*><rect width="\d+" height="\d+" fill="#333"\/>/);
});

test("a spec's config.background (Altair's config) paints a dark PNG, GIF and SVG", async () => {
  const spec = chart({ config: { background: '#333' } });
  assert.deepEqual(await pngPixel(spec, {}, 0, 0), DARK);
  assert.deepEqual(await gifCorner(spec), DARK);
  const svg = Buffer.from(await render(spec, { ...quiet, format: 'svg' })).toString();
  assert.match(svg, /fill="#333"/);
});

test('the theme option, and the config option over it, as the spec does not say', async () => {
  assert.deepEqual(await pngPixel(chart(), { theme: 'dark' }, 0, 0), DARK);
  assert.deepEqual(await pngPixel(chart(), {}, 0, 0), [255, 255, 255, 255]);
  const navy = { theme: 'dark', config: { background: '#000080' } };
  assert.deepEqual(await pngPixel(chart(), navy, 0, 0), [0, 0, 0x80, 255]);
  assert.deepEqual(await gifCorner(chart(), navy), [0, 0, 0x80, 255]);
  // The spec's own config wins over both.
  const own = chart({ config: { background: '#008000' } });
  assert.deepEqual(await pngPixel(own, navy, 0, 0), [0, 0x80, 0, 255]);
  // --background (animation.background) is above them all.
  assert.deepEqual(
    await pngPixel(own, { ...navy, background: '#800000' }, 0, 0),
    [0x80, 0, 0, 255],
  );
});

test('the config option is checked against the schema: a typo is an OptionError at its path', async () => {
  const svg = { ...quiet, format: 'svg' } satisfies RenderOptions;
  await assert.rejects(render(chart(), { ...svg, config: { axis: { labelAngel: 30 } } }), (e) => {
    assert.ok(e instanceof OptionError);
    assert.equal(
      e.message,
      'the config option is not a Vega-Lite config: config.axis.labelAngel: unknown property "labelAngel" (did you mean "labelAngle"?)',
    );
    return true;
  });
  await assert.rejects(
    info(chart(), { config: { view: { stroke: 3 } } }),
    /config\.view\.stroke: got the number 3; expected a string or null or an object/,
  );
  // A valid one renders; the same object with a typo added since is checked again.
  const config: Record<string, unknown> = { axis: { labelAngle: 30 } };
  await render(chart(), { ...svg, config });
  (config.axis as Record<string, unknown>).labelAngel = 30;
  await assert.rejects(render(chart(), { ...svg, config }), /config\.axis\.labelAngel/);
  // One the command checked at its line:col in the file is not checked again.
  configChecked(config);
  await render(chart(), { ...svg, config });
});

test("a theme's guide colours: the dark theme's white axis on its dark background", async () => {
  const png = PNG.sync.read(
    Buffer.from(await render(chart(), { ...quiet, theme: 'dark', format: 'png' })),
  );
  let white = 0;
  let dark = 0;
  for (let i = 0; i < png.data.length; i += 4) {
    const [r, g, b] = png.data.subarray(i, i + 3);
    if (r === 255 && g === 255 && b === 255) white++;
    if (r === 0x33 && g === 0x33 && b === 0x33) dark++;
  }
  // Ticks, the domain line and the label glyphs are #fff; most of the figure is #333.
  assert.ok(white > 100, `${white} white pixels`);
  assert.ok(dark > (png.data.length / 4) * 0.5, `${dark} dark pixels`);
  assert.deepEqual(await pngPixel(chart(), { theme: 'quartz' }, 0, 0), [0xf9, 0xf9, 0xf9, 255]);
});
