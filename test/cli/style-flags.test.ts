/** The command's paper-size and look options, as RenderOptions. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseLength, styleFlags } from '../../src/cli/style-flags.js';
import { UsageError } from '../../src/cli/args.js';
import * as themes from 'vega-themes';

const dir = mkdtempSync(path.join(tmpdir(), 'vf-style-flags-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('lengths in in, cm, mm, pt and px are chart pixels, 72 to the inch', () => {
  assert.equal(parseLength('3.5in', 'width').pixels, 252);
  assert.ok(Math.abs(parseLength('2.54cm', 'width').pixels - 72) < 1e-9);
  assert.ok(Math.abs(parseLength('25.4mm', 'width').pixels - 72) < 1e-9);
  assert.equal(parseLength('252pt', 'width').pixels, 252);
  assert.equal(parseLength('400px', 'width').pixels, 400);
  assert.equal(parseLength('400', 'width').pixels, 400);
  for (const bad of ['3.5 inches', '-2in', '0', 'wide', '3,5in'])
    assert.throws(() => parseLength(bad, 'width'), UsageError, bad);
});

test('--theme, --config (JSON or YAML), --font-dir, sizes', async () => {
  const json = path.join(dir, 'look.json');
  writeFileSync(json, '{"background": "#111", "axis": {"grid": false}}');
  const yaml = path.join(dir, 'look.yaml');
  writeFileSync(yaml, 'background: "#222"\n');
  assert.deepEqual(
    await styleFlags({
      theme: 'dark',
      config: json,
      'font-dir': ['a', 'b'],
      width: '3.5in',
      height: '2in',
      'fit-width': '8.9cm',
    }),
    {
      theme: 'dark',
      config: { background: '#111', axis: { grid: false } },
      fontDirs: ['a', 'b'],
      width: 252,
      height: 144,
      fitWidth: 8.9 * (72 / 2.54),
    },
  );
  assert.deepEqual((await styleFlags({ config: yaml })).config, { background: '#222' });
  const list = path.join(dir, 'list.json');
  writeFileSync(list, '[1, 2]');
  await assert.rejects(styleFlags({ config: list }), /must hold an object/);
  await assert.rejects(styleFlags({ config: path.join(dir, 'none.json') }), UsageError);
});

test('info takes the look and size options (not --fit-width)', async () => {
  const { parseArgs } = await import('../../src/cli/args.js');
  const { flags } = parseArgs(['s.yaml', '--theme', 'dark', '--width', '3.5in'], 'info');
  assert.deepEqual(flags, { theme: 'dark', width: '3.5in' });
  assert.throws(() => parseArgs(['s.yaml', '--fit-width', '3.5in'], 'info'), UsageError);
});

test('--config FILE is checked as a Vega-Lite config: a typo errors at its path and line:col', async () => {
  const yaml = path.join(dir, 'typo.yaml');
  writeFileSync(yaml, 'background: "#fff"\naxis:\n  labelColr: red\n');
  await assert.rejects(styleFlags({ config: yaml }), (e: Error) => {
    assert.equal(
      e.message,
      `${yaml}:3:3 $.axis.labelColr: unknown property "labelColr" (did you mean "labelColor"?)`,
    );
    return true;
  });
  const json = path.join(dir, 'typo.json');
  writeFileSync(json, '{"view": {"stroke": null}, "mark": {"opacity": "half"}}');
  await assert.rejects(styleFlags({ config: json }), /typo\.json:1:\d+ \$\.mark\.opacity: /);
});

test("--config takes a vega-themes theme's config, whose Vega mark keys Vega-Lite passes on", async () => {
  const theme = path.join(dir, 'ggplot2.json');
  const ggplot2 = (themes as unknown as Record<string, Record<string, unknown>>).ggplot2;
  writeFileSync(theme, JSON.stringify(ggplot2));
  assert.deepEqual((await styleFlags({ config: theme })).config, ggplot2);
  const vegaKeys = path.join(dir, 'vega-keys.yaml');
  writeFileSync(vegaKeys, 'group: {fill: "#eee"}\nsymbol: {size: 40}\npath: {}\nshape: {}\n');
  assert.ok((await styleFlags({ config: vegaKeys })).config);
  // Checked as the rest: a typo inside one is an error at its line:col.
  const typo = path.join(dir, 'vega-typo.yaml');
  writeFileSync(typo, 'symbol: {sise: 40}\n');
  await assert.rejects(
    styleFlags({ config: typo }),
    /1:10 \$\.symbol\.sise: unknown property "sise"/,
  );
});

test('--config naming a missing file or a folder says so in a sentence', async () => {
  const none = path.join(dir, 'none.yaml');
  await assert.rejects(styleFlags({ config: none }), {
    message: `--config ${JSON.stringify(none)}: no such file`,
  });
  await assert.rejects(styleFlags({ config: dir }), {
    message: `--config ${JSON.stringify(dir)}: a folder, not a file`,
  });
});
