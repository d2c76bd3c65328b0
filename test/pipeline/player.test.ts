/**
 * The HTML player's render options (pipeline/player.ts): given to a render of another
 * format they do nothing, and say so.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { renderToFile } from '../../src/api.js';

const dir = mkdtempSync(path.join(tmpdir(), 'vf-player-options-'));
const SPEC = {
  width: 60,
  height: 40,
  data: {
    values: [
      { t: 0, x: 1 },
      { t: 1, x: 2 },
    ],
  },
  mark: 'point',
  encoding: { x: { field: 'x', type: 'quantitative' }, frame: { field: 't' } },
};

test('the player options warn on a render of another format', async () => {
  const gif = await renderToFile(SPEC as never, path.join(dir, 'a.gif'), {
    autoplay: false,
    fragment: true,
    workers: 0,
  });
  assert.deepEqual(
    gif.warnings.filter((w) => /HTML player/.test(w)),
    [
      '--player-autoplay applies to the HTML player only: a gif render ignores it',
      '--fragment applies to the HTML player only: a gif render ignores it',
    ],
  );
  const png = await renderToFile(SPEC as never, path.join(dir, 'a.png'), { fragment: false });
  assert.deepEqual(
    png.warnings.filter((w) => /HTML player/.test(w)),
    ['--fragment applies to the HTML player only: a png render ignores it'],
  );
});

test('the player takes them without a warning', async () => {
  const html = await renderToFile(SPEC as never, path.join(dir, 'a.html'), {
    autoplay: false,
    fragment: true,
  });
  assert.deepEqual(html.warnings, []);
});

test("the page's title and label show a template's placeholders for the whole animation", async () => {
  const read = async (title: unknown, spec: object = SPEC) => {
    const out = path.join(dir, 'titled.html');
    await renderToFile({ ...spec, title } as never, out, {});
    const html = readFileSync(out, 'utf8');
    const page = /<title>([^<]*)<\/title>/.exec(html)?.[1];
    const label = /class="vf-player"[^>]*aria-label="([^"]*)"/.exec(html)?.[1];
    assert.equal(label, page);
    return page;
  };
  assert.equal(await read('Weights at epoch {frame}'), 'Weights at epoch 0–1');
  assert.equal(
    await read({ text: 'Frame {frame_index} of {frame_count} ({progress:.0%}) {{t}}' }),
    'Frame 0–1 of 2 (0%–100%) {t}',
  );
  const dated = {
    ...SPEC,
    data: {
      values: [
        { t: '2001-03-01', x: 1 },
        { t: '2004-03-01', x: 2 },
        { t: '2002-03-01', x: 3 },
      ],
    },
    encoding: { ...SPEC.encoding, frame: { field: 't', type: 'temporal' } },
  };
  assert.equal(await read('Sales {frame:%Y} & more', dated), 'Sales 2001–2004 &amp; more');
  assert.equal(await read('Sales {frame}', dated), 'Sales 2001-03-01–2004-03-01');
  assert.equal(await read('No template'), 'No template');
});
