/**
 * The HTML player's render options (pipeline/player.ts): given to a render of another
 * format they do nothing, and say so.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
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
