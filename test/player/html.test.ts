/**
 * The player's HTML (player/html.ts) as text: the page and the fragment, its style scoped
 * to the player, no ids, the libraries loaded once per page, the payload's slider and
 * autoplay. The browser tests are in player.slow.test.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { render } from '../../src/api.js';
import type { PlayerPayload } from '../../src/player/runtime.js';

const SPEC = {
  width: 120,
  height: 80,
  data: {
    values: [0, 1, 2, 3].flatMap((t) => [
      { t: 1990 + 5 * t, x: t, y: 1 },
      { t: 1990 + 5 * t, x: 2 * t, y: 2 },
    ]),
  },
  mark: 'point',
  encoding: {
    x: { field: 'x', type: 'quantitative' },
    y: { field: 'y', type: 'quantitative' },
    frame: { field: 't', type: 'quantitative' },
  },
  animation: { tween: { frames: 2 } },
};

const html = async (options: object = {}) =>
  Buffer.from(await render(SPEC as never, { format: 'html', ...options })).toString();

const payloadOf = (text: string) =>
  JSON.parse(
    /<script class="vf-payload" type="application\/json">(.*?)<\/script>/s.exec(text)![1],
  ) as PlayerPayload;

test('the fragment is the player alone: one <div>, no page around it, no ids', async () => {
  const fragment = await html({ fragment: true });
  assert.match(fragment, /^<div class="vf-player" tabindex="0" role="group" aria-label="[^"]*">/);
  assert.ok(fragment.endsWith('</div>\n'));
  assert.doesNotMatch(fragment, /<!doctype|<(html|head|body|title|meta)\b/i);
  assert.doesNotMatch(fragment, /\sid=/);
  // The page is the same player in a page of its own, which takes keys pressed anywhere.
  const page = await html();
  assert.match(page, /^<!doctype html>/);
  assert.match(page, /<body>\n<div class="vf-player"/);
  assert.doesNotMatch(page, /\sid=/);
  assert.match(page, /, root, true\);\n\}\)\(document\.currentScript\);/);
  assert.match(fragment, /, root, false\);\n\}\)\(document\.currentScript\);/);
  // The page's shell around the same player: its size is the fragment's and a few lines.
  const extra = Buffer.byteLength(page) - Buffer.byteLength(fragment);
  assert.ok(extra > 0 && extra < 400, `the page adds ${extra} bytes`);
});

test("the fragment's style applies under the player's root only", async () => {
  const fragment = await html({ fragment: true });
  const css = /<style>(.*?)<\/style>/s.exec(fragment)![1];
  const selectors = [...css.matchAll(/([^{}]+)\{[^}]*\}/g)].flatMap((m) =>
    m[1].split(',').map((s) => s.trim()),
  );
  assert.ok(selectors.length > 10);
  for (const s of selectors) assert.match(s, /^\.vf-player(?=$|[ :.])/, s);
});

test('Vega and re2js load once per page, into an object of their own (not window.vega)', async () => {
  const fragment = await html({ fragment: true });
  const key = /if \(!shared\['([0-9a-f]{16})'\]\) \{/.exec(fragment)?.[1];
  assert.ok(key, 'the libraries are guarded by their key');
  // The same libraries make the same key: a second player on the page skips them.
  assert.ok((await html({ fragment: true })).includes(`shared['${key}']`));
  assert.match(fragment, /\}\)\.call\(window, undefined, \{ exports: vega \}, vega\);/);
  assert.match(fragment, /\}\)\.call\(window, undefined, \{ exports: re2 \}, re2\);/);
  assert.doesNotMatch(fragment, /window\.vega\s*=/);
  // Vega is inlined once, in its guarded block.
  assert.equal(fragment.split('"object"==typeof exports').length - 1, 1);
});

test('the payload: autoplay as asked, and the slider over the data frames', async () => {
  assert.equal(payloadOf(await html()).autoplay, true);
  const payload = payloadOf(await html({ fragment: true, autoplay: false }));
  assert.equal(payload.autoplay, false);
  // 4 data frames with 2 in-betweens each: 10 output frames, 4 slider positions.
  assert.equal(payload.labels.length, 10);
  assert.deepEqual(payload.slider.labels, ['1990', '1995', '2000', '2005']);
  assert.deepEqual(payload.slider.frames, [0, 3, 6, 9]);
  assert.deepEqual(payload.slider.steps, [0, 1, 1, 1, 2, 2, 2, 3, 3, 3]);
});
