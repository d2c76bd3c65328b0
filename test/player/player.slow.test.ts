/**
 * The HTML player in real headless Chromium (Debian's, driven by playwright-core): it
 * loads offline, plays, pauses, scrubs, steps with the keyboard, and a scrubbed frame
 * looks like the same frame rendered headless. `.ci/run` installs Chromium; elsewhere the
 * test is skipped when there is none, unless VF_REQUIRE_BROWSER is set.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { compile, renderToFile } from '../../src/api.js';
import { decodePng, diffFraction } from '../helpers/golden.js';
import { rendererFor } from '../helpers/renderer.js';

const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const haveBrowser = existsSync(CHROMIUM);
if (!haveBrowser && process.env.VF_REQUIRE_BROWSER) {
  throw new Error(`Chromium is required here but ${CHROMIUM} does not exist`);
}

const SPEC = path.resolve('specs/umap-epochs.yaml');
const dir = mkdtempSync(path.join(tmpdir(), 'vf-player-'));

const launch = () =>
  chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
    ],
  });

/** A page that fails any request other than the file itself (the player is offline). */
async function openPage(browser: Browser) {
  const context = await browser.newContext({ viewport: { width: 900, height: 800 } });
  const requests: string[] = [];
  await context.route(/^(?!file:)/, (route) => {
    requests.push(route.request().url());
    return route.abort();
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  return { page, errors, requests };
}

/** The player's chart at frame k against the same output frame rendered headless. */
async function compareFrame(page: Page, spec: string, k: number): Promise<number> {
  const shot = decodePng(await page.locator('#vf-chart canvas').screenshot());
  // Both take their size from the first frame they lay out, as every output does.
  const renderer = await rendererFor(await compile(spec));
  await renderer.render(0);
  const headless = await renderer.render(k);
  renderer.finalize();
  assert.equal(shot.width, headless.width);
  assert.equal(shot.height, headless.height);
  return diffFraction(shot, headless, 0.2);
}

const state = (page: Page) =>
  page.evaluate(() => {
    const p = (window as unknown as { vfPlayer: { frame: number; playing: boolean } }).vfPlayer;
    return { frame: p.frame, playing: p.playing };
  });
const rendered = (page: Page) =>
  page.evaluate(() =>
    (window as unknown as { vfPlayer: { rendered(): Promise<void> } }).vfPlayer.rendered(),
  );

test(
  'HTML player: offline, plays, pauses, scrubs, keyboard; a frame matches the headless render',
  { skip: !haveBrowser && 'no Chromium' },
  async () => {
    const html = path.join(dir, 'umap.html');
    await renderToFile(SPEC, html);
    const text = readFileSync(html, 'utf8');
    assert.ok(
      !/<script[^>]+src=/i.test(text) && !/<link[^>]+href=/i.test(text),
      'nothing loaded from elsewhere',
    );

    const browser = await launch();
    try {
      const { page, errors, requests } = await openPage(browser);
      await page.goto(`file://${html}`);
      await page.waitForFunction(() => 'vfPlayer' in window, null, { timeout: 30000 });

      // It starts playing: the frame moves on.
      const start = await state(page);
      assert.equal(start.playing, true);
      await page.waitForFunction(
        () => (window as unknown as { vfPlayer: { frame: number } }).vfPlayer.frame >= 3,
        null,
        { timeout: 10000 },
      );

      // Pause (the button): the frame stays.
      await page.click('#vf-play');
      await rendered(page);
      const paused = await state(page);
      assert.equal(paused.playing, false);
      assert.equal(await page.textContent('#vf-play'), 'Play');
      await page.waitForTimeout(400);
      assert.equal((await state(page)).frame, paused.frame);

      // Scrub (the slider) to frame 25; the label shows its value.
      await page.locator('#vf-slider').fill('25');
      await rendered(page);
      assert.deepEqual(await state(page), { frame: 25, playing: false });
      assert.equal(await page.textContent('#vf-value'), '25');

      // The chart as the browser drew it against the same frame rendered headless.
      const diff = await compareFrame(page, SPEC, 25);
      assert.ok(diff < 0.02, `${(diff * 100).toFixed(2)}% of pixels differ`);

      // Keyboard: → steps, space plays.
      await page.keyboard.press('ArrowRight');
      await rendered(page);
      assert.equal((await state(page)).frame, 26);
      await page.keyboard.press('ArrowLeft');
      await page.keyboard.press('ArrowLeft');
      await rendered(page);
      assert.equal((await state(page)).frame, 24);
      await page.keyboard.press(' ');
      assert.equal((await state(page)).playing, true);

      // Speed and loop controls exist and take effect without errors.
      await page.selectOption('#vf-speed', '2');
      await page.uncheck('#vf-loop');
      await page.waitForTimeout(300);
      assert.deepEqual(errors, []);
      assert.deepEqual(requests, []);
    } finally {
      await browser.close();
    }
  },
);

test(
  'HTML player with motion: a tween frame (moved, mixed, entering) matches the headless render',
  { skip: !haveBrowser && 'no Chromium' },
  async () => {
    const spec = path.resolve('specs/motion-countries.yaml');
    const html = path.join(dir, 'countries.html');
    await renderToFile(spec, html);
    const browser = await launch();
    try {
      const { page, errors, requests } = await openPage(browser);
      await page.goto(`file://${html}`);
      await page.waitForFunction(() => 'vfPlayer' in window, null, { timeout: 30000 });
      await page.click('#vf-play');
      assert.equal(await page.getAttribute('#vf-slider', 'max'), '40');
      // Frame 16: 2005 → 2010 at t = 0.6, with a country fading and growing in.
      await page.locator('#vf-slider').fill('16');
      await rendered(page);
      assert.equal(await page.textContent('#vf-value'), '2008');
      const diff = await compareFrame(page, spec, 16);
      assert.ok(diff < 0.02, `${(diff * 100).toFixed(2)}% of pixels differ`);
      assert.deepEqual(errors, []);
      assert.deepEqual(requests, []);
    } finally {
      await browser.close();
    }
  },
);

/** Every symbol item the player's view draws now. */
const symbolCount = (page: Page) =>
  page.evaluate(() => {
    interface Node {
      marktype?: string;
      items?: Node[];
    }
    const view = (window as unknown as { vfPlayer: { view: { scenegraph(): { root: Node } } } })
      .vfPlayer.view;
    const visit = (n: Node): number =>
      (n.items ?? []).reduce((sum, c) => sum + (n.marktype === 'symbol' ? 1 : visit(c)), 0);
    return visit(view.scenegraph().root);
  });

test(
  "HTML player: a spec's expressions run with the headless bounds (RE2 regular expressions, sizes)",
  { skip: !haveBrowser && 'no Chromium' },
  async () => {
    // On JavaScript's backtracking engine this pattern on this string never finishes.
    const catastrophic = `${'a'.repeat(40)}!`;
    const html = path.join(dir, 'bounded.html');
    await renderToFile(
      {
        width: 200,
        height: 100,
        data: {
          values: [
            { s: catastrophic, x: 1, f: 1 },
            { s: 'ab', x: 2, f: 1 },
            { s: 'aa', x: 3, f: 1 },
            { s: 'b', x: 4, f: 2 },
          ],
        },
        params: [{ name: 'n', value: 3 }],
        transform: [
          { filter: '!test(/^(a+)+$/, datum.s)' },
          // Harmless headless (n = 3); a viewer's n of 100,000 would make 500,000,000 characters.
          { calculate: "pad('', n, pad('', 5000, 'x'))", as: 'p' },
        ],
        mark: 'point',
        encoding: {
          x: { field: 'x', type: 'quantitative' },
          frame: { field: 'f', type: 'quantitative' },
        },
      } as never,
      html,
    );
    const browser = await launch();
    try {
      const { page, errors, requests } = await openPage(browser);
      const logged: string[] = [];
      page.on('console', (m) => m.type() === 'error' && logged.push(m.text()));
      const started = Date.now();
      await page.goto(`file://${html}`);
      await page.waitForFunction(() => 'vfPlayer' in window, null, { timeout: 5000 });
      await page.click('#vf-play');
      await page.evaluate(() =>
        (window as unknown as { vfPlayer: { seek(k: number): Promise<void> } }).vfPlayer.seek(0),
      );
      assert.ok(Date.now() - started < 5000, `drawn in ${Date.now() - started} ms`);
      // The catastrophic string is kept (it does not match), "aa" is filtered out.
      assert.equal(await symbolCount(page), 2);
      assert.deepEqual(errors, []);
      assert.deepEqual(logged, []);

      // The viewer sets n past the bound: Vega logs the refusal and the page stays live.
      const t = Date.now();
      await page.evaluate(async () => {
        const view = (
          window as unknown as {
            vfPlayer: { view: { signal(n: string, v: unknown): { runAsync(): Promise<void> } } };
          }
        ).vfPlayer.view;
        await view.signal('n', 100000).runAsync();
      });
      assert.ok(Date.now() - t < 3000, `refused in ${Date.now() - t} ms`);
      assert.ok(
        logged.some((m) =>
          /pad\(\) to 100,000 characters with a 5,000-character pad string would make 500,000,000 characters/.test(
            m,
          ),
        ),
        logged.join('\n'),
      );
      assert.deepEqual(errors, []);
      assert.deepEqual(requests, []);
    } finally {
      await browser.close();
    }
  },
);
