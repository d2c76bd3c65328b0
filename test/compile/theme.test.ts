/** Themes and config: a vega-themes theme, then the config option, then the spec's config. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as vegaThemes from 'vega-themes';
import { CompileError, createMessages } from '../../src/compile/messages.js';
import { THEME_NAMES, compileSpec } from '../../src/compile/index.js';
import { OptionError } from '../../src/spec/errors.js';
import type { Json } from '../../src/support/json.js';

const chart = (extra: Json = {}): Json => ({
  data: { values: [{ a: 1, b: 2, t: 0 }] },
  mark: 'point',
  encoding: {
    x: { field: 'a', type: 'quantitative' },
    y: { field: 'b', type: 'quantitative' },
    frame: { field: 't' },
  },
  ...extra,
});

const axisConfig = (vega: Json) => (vega.config as Json | undefined)?.axis as Json | undefined;

test('every vega-themes theme is offered, carbon ones included', () => {
  for (const name of [
    'dark',
    'excel',
    'fivethirtyeight',
    'ggplot2',
    'googlecharts',
    'latimes',
    'quartz',
    'urbaninstitute',
    'vox',
    'powerbi',
    'carbonwhite',
    'carbong10',
    'carbong90',
    'carbong100',
  ])
    assert.ok(THEME_NAMES.includes(name), name);
  assert.ok(!THEME_NAMES.includes('version'));
});

test('a theme sets the background and the config vega-themes gives it', () => {
  const { vega } = compileSpec(chart(), createMessages(), { theme: 'dark' });
  assert.equal(vega.background, vegaThemes.dark.background);
  assert.equal(axisConfig(vega)?.gridColor, '#888');
  const quartz = compileSpec(chart(), createMessages(), { theme: 'quartz' }).vega;
  assert.equal(quartz.background, '#f9f9f9');
});

test("Altair's usermeta.embedOptions.theme is honoured; the theme option overrides it", () => {
  const altair = chart({ usermeta: { embedOptions: { theme: 'dark' } } });
  assert.equal(compileSpec(altair).vega.background, '#333');
  assert.equal(
    compileSpec(altair, createMessages(), { theme: 'quartz' }).vega.background,
    '#f9f9f9',
  );
});

test('merge order: theme, then the config option, then the spec (the spec wins)', () => {
  const own = chart({ config: { background: '#010203' } });
  const style = {
    theme: 'dark',
    config: { background: '#0a0b0c', axis: { gridColor: '#123456' } },
  };
  const fromSpec = compileSpec(own, createMessages(), style).vega;
  assert.equal(fromSpec.background, '#010203');
  // The config option over the theme, key by key (the theme's other axis keys stay).
  const fromOption = compileSpec(chart(), createMessages(), style).vega;
  assert.equal(fromOption.background, '#0a0b0c');
  assert.equal(axisConfig(fromOption)?.gridColor, '#123456');
  assert.equal(axisConfig(fromOption)?.tickColor, '#fff');
  // Without a theme the config option alone.
  assert.equal(
    compileSpec(chart(), createMessages(), { config: { background: 'navy' } }).vega.background,
    'navy',
  );
});

test("a theme's font stays; without one, the shipped font is the default", () => {
  const powerbi = compileSpec(chart(), createMessages(), { theme: 'powerbi' }).vega;
  assert.equal((powerbi.config as Json).font, undefined); // Vega-Lite moves it into styles
  assert.match(JSON.stringify(powerbi.config), /Segoe UI/);
  assert.doesNotMatch(JSON.stringify(powerbi.config), /DejaVu Sans/);
  assert.match(JSON.stringify(compileSpec(chart()).vega.config), /DejaVu Sans/);
});

test('an unknown theme is refused, naming the themes; in the spec, at its JSON path', () => {
  assert.throws(
    () => compileSpec(chart(), createMessages(), { theme: 'drak' }),
    (e: unknown) =>
      e instanceof OptionError && /"drak".*did you mean "dark".*ggplot2/.test(e.message),
  );
  assert.throws(
    () => compileSpec(chart({ usermeta: { embedOptions: { theme: 'nope' } } })),
    (e: unknown) => e instanceof CompileError && e.path === '$.usermeta.embedOptions.theme',
  );
});

test("a spec's config may set Vega's mark configs (symbol, group, path, shape), passed to Vega", async () => {
  const { validateSpec } = await import('../../src/spec/validate.js');
  const config = { symbol: { strokeWidth: 3 }, group: { fill: '#eee' }, path: {}, shape: {} };
  const spec = chart({ config });
  assert.deepEqual(validateSpec(spec as never), []);
  const vega = compileSpec(spec).vega;
  assert.deepEqual((vega.config as Json).symbol, { strokeWidth: 3 });
  assert.deepEqual((vega.config as Json).group, { fill: '#eee' });
  const typo = validateSpec(chart({ config: { symbol: { strokWidth: 3 } } }) as never);
  assert.equal(typo[0]?.path, '$.config.symbol.strokWidth');
});
