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
import { compile, renderToFile } from '../src/api.js';
import { FrameRenderer } from '../src/render/frame-renderer.js';
import { decodePng, diffFraction } from './helpers/golden.js';

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
  const renderer = await FrameRenderer.create(await compile(spec));
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
