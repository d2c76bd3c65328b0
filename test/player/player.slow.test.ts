/**
 * The HTML player in real headless Chromium (Debian's, driven by playwright-core): it
 * loads offline, plays, pauses, scrubs, steps with the keyboard, and a scrubbed frame
 * looks like the same frame rendered headless. `.ci/run` installs Chromium; elsewhere the
 * test is skipped when there is none, unless VF_REQUIRE_BROWSER is set.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type Browser, chromium, type Locator, type Page } from 'playwright-core';
import { compile, render, renderToFile } from '../../src/api.js';
import { decodePng, diffFraction } from '../helpers/golden.js';
import { rendererFor } from '../helpers/renderer.js';
import { JITTER } from '../helpers/jitter-spec.js';

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
  // tsx (esbuild) wraps named functions, those of page.evaluate callbacks too, in __name.
  await context.addInitScript('window.__name = (f) => f;');
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  return { page, errors, requests };
}

/** The player's chart at frame k against the same output frame rendered headless. */
async function compareFrame(
  page: Page,
  spec: string,
  k: number,
  canvas: Locator = page.locator('.vf-chart canvas'),
): Promise<number> {
  // The canvas's own pixels: a screenshot of a canvas placed at a fraction of a pixel (in a
  // page around a fragment) takes in a row more.
  const url = await canvas.evaluate((c) => (c as HTMLCanvasElement).toDataURL('image/png'));
  const shot = decodePng(Buffer.from(url.slice(url.indexOf(',') + 1), 'base64'));
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
      await page.click('.vf-play');
      await rendered(page);
      const paused = await state(page);
      assert.equal(paused.playing, false);
      assert.equal(await page.textContent('.vf-play'), 'Play');
      await page.waitForTimeout(400);
      assert.equal((await state(page)).frame, paused.frame);

      // Scrub (the slider) to frame 25; the label shows its value.
      await page.locator('.vf-slider').fill('25');
      await rendered(page);
      assert.deepEqual(await state(page), { frame: 25, playing: false });
      assert.equal(await page.textContent('.vf-value'), '25');

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
      await page.selectOption('.vf-speed', '2');
      await page.uncheck('.vf-loop');
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
      await page.click('.vf-play');
      // Frame 16: 2005 → 2010 at t = 0.6, with a country fading and growing in.
      await page.evaluate(() =>
        (window as unknown as { vfPlayer: { seek(k: number): Promise<void> } }).vfPlayer.seek(16),
      );
      await rendered(page);
      assert.equal(await page.textContent('.vf-value'), '2008');
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
      await page.click('.vf-play');
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

/** Every console message but Vega's info lines, and every uncaught error, of a page. */
function consoleOf(page: Page): string[] {
  const messages: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'warning' || m.type() === 'error') messages.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => messages.push(`pageerror: ${e.message}`));
  return messages;
}

/** The nth player's frame, playing state and slider. */
const playerState = (page: Page, n: number) =>
  page.evaluate((n) => {
    const root = document.querySelectorAll('.vf-player')[n] as HTMLElement & {
      vfPlayer: { frame: number; playing: boolean };
    };
    const slider = root.querySelector('.vf-slider') as HTMLInputElement;
    return {
      frame: root.vfPlayer.frame,
      playing: root.vfPlayer.playing,
      slider: Number(slider.value),
    };
  }, n);

const waitForPlayers = (page: Page, count: number) =>
  page.waitForFunction(
    (count) =>
      Array.from(document.querySelectorAll('.vf-player')).filter((r) => 'vfPlayer' in r).length ===
      count,
    count,
    { timeout: 30000 },
  );

const COUNTRIES = path.resolve('specs/motion-countries.yaml');

test(
  'HTML player: the slider steps through the data frames, their values as tick labels; tweens play between',
  { skip: !haveBrowser && 'no Chromium' },
  async () => {
    // 5 censuses (2000…2020) with 9 in-betweens each: 41 output frames.
    const html = path.join(dir, 'countries-slider.html');
    await renderToFile(COUNTRIES, html);
    const browser = await launch();
    try {
      const { page, requests } = await openPage(browser);
      const messages = consoleOf(page);
      await page.goto(`file://${html}`);
      await waitForPlayers(page, 1);

      // While it plays, each output frame puts the slider at the data frame it shows or
      // moves toward: frame f at f / 10, a tween at the census after it.
      const seen = await page.evaluate(async () => {
        const root = document.querySelector('.vf-player') as HTMLElement & {
          vfPlayer: { frame: number; seek(k: number): Promise<void>; play(): void };
        };
        const slider = root.querySelector('.vf-slider') as HTMLInputElement;
        const speed = root.querySelector('.vf-speed') as HTMLSelectElement;
        speed.value = '4';
        speed.dispatchEvent(new Event('change'));
        await root.vfPlayer.seek(0);
        root.vfPlayer.play();
        const pairs: [number, number][] = [];
        const end = performance.now() + 2500;
        while (performance.now() < end) {
          await new Promise((r) => requestAnimationFrame(r));
          pairs.push([root.vfPlayer.frame, Number(slider.value)]);
        }
        return pairs;
      });
      const frames = new Set(seen.map(([f]) => f));
      assert.ok(frames.size >= 10, `played ${frames.size} frames`);
      assert.ok(
        [...frames].some((f) => f % 10 !== 0),
        'tweens are played',
      );
      for (const [frame, step] of seen)
        assert.equal(step, Math.ceil(frame / 10), `frame ${frame}: slider at ${step}`);

      await page.click('.vf-play');
      assert.equal(await page.getAttribute('.vf-slider', 'max'), '4');
      assert.deepEqual(await page.locator('.vf-tick-label').allTextContents(), [
        '2000',
        '2005',
        '2010',
        '2015',
        '2020',
      ]);
      assert.equal(await page.locator('.vf-tick').count(), 5);
      // Each label sits under the thumb's place for its data frame, the first and last kept
      // within the track; so does each tick.
      const track = (await page.locator('.vf-slider').boundingBox())!;
      for (let d = 0; d < 5; d++) {
        const box = (await page.locator('.vf-tick-label').nth(d).boundingBox())!;
        const tick = (await page.locator('.vf-tick').nth(d).boundingBox())!;
        const expected = track.x + 7 + (d / 4) * (track.width - 14);
        assert.ok(Math.abs(tick.x + tick.width / 2 - expected) < 1, `tick ${d} at ${tick.x}`);
        const centred = Math.abs(box.x + box.width / 2 - expected) < 1.5;
        const atStart = d === 0 && Math.abs(box.x - track.x) < 1;
        const atEnd = d === 4 && Math.abs(box.x + box.width - (track.x + track.width)) < 1;
        assert.ok(centred || atStart || atEnd, `label ${d} at ${box.x}–${box.x + box.width}`);
        assert.ok(box.x >= track.x - 0.5 && box.x + box.width <= track.x + track.width + 0.5);
      }

      // Dragged to a position: that census, shown alone.
      await page.locator('.vf-slider').fill('3');
      await rendered(page);
      assert.deepEqual(await playerState(page, 0), { frame: 30, playing: false, slider: 3 });
      assert.equal(await page.textContent('.vf-value'), '2015');
      assert.equal(await page.getAttribute('.vf-slider', 'aria-valuetext'), '2015');

      // A tween (2005 → 2010): the readout its in-between year, the slider the census ahead.
      await page.evaluate(() =>
        (window as unknown as { vfPlayer: { seek(k: number): Promise<void> } }).vfPlayer.seek(16),
      );
      assert.deepEqual(await playerState(page, 0), { frame: 16, playing: false, slider: 2 });
      assert.equal(await page.textContent('.vf-value'), '2008');
      // The arrow keys go to the census before or after it.
      await page.focus('.vf-slider');
      await page.keyboard.press('ArrowLeft');
      await rendered(page);
      assert.deepEqual(await playerState(page, 0), { frame: 10, playing: false, slider: 1 });
      await page.keyboard.press('ArrowRight');
      await page.keyboard.press('ArrowRight');
      await rendered(page);
      assert.deepEqual(await playerState(page, 0), { frame: 30, playing: false, slider: 3 });
      assert.equal(await page.textContent('.vf-value'), '2015');
      assert.deepEqual(messages, []);
      assert.deepEqual(requests, []);
    } finally {
      await browser.close();
    }
  },
);

test(
  'HTML player with autoplay off: it stays at frame 0 until Play',
  { skip: !haveBrowser && 'no Chromium' },
  async () => {
    const html = path.join(dir, 'countries-paused.html');
    await renderToFile(COUNTRIES, html, { autoplay: false });
    const browser = await launch();
    try {
      const { page } = await openPage(browser);
      const messages = consoleOf(page);
      await page.goto(`file://${html}`);
      await page.waitForFunction(() => 'vfPlayer' in window, null, { timeout: 30000 });
      await page.waitForTimeout(800);
      assert.deepEqual(await state(page), { frame: 0, playing: false });
      assert.equal(await page.textContent('.vf-play'), 'Play');
      assert.equal(await page.getAttribute('.vf-play', 'aria-pressed'), 'false');
      await page.click('.vf-play');
      await page.waitForFunction(
        () => (window as unknown as { vfPlayer: { frame: number } }).vfPlayer.frame >= 2,
        null,
        { timeout: 10000 },
      );
      assert.equal(await page.textContent('.vf-play'), 'Pause');
      assert.deepEqual(messages, []);
    } finally {
      await browser.close();
    }
  },
);

/** Pixels of a PNG that are not white: a chart drew there. */
function inked(png: Buffer): number {
  const { rgba: data } = decodePng(png);
  let n = 0;
  for (let i = 0; i < data.length; i += 4)
    if (Math.min(data[i], data[i + 1], data[i + 2]) < 200) n++;
  return n;
}

test(
  'HTML player fragments: three in one page (two inserted as notebooks do) draw and play apart; the page keeps its own Vega and style',
  { skip: !haveBrowser && 'no Chromium' },
  async () => {
    // The 2,000-point chart reads its colours back (the point raster); the other tweens.
    const umap = Buffer.from(await render(SPEC, { format: 'html', fragment: true })).toString();
    const countries = Buffer.from(
      await render(COUNTRIES, { format: 'html', fragment: true }),
    ).toString();
    for (const fragment of [umap, countries]) {
      assert.match(fragment, /^<div class="vf-player"/);
      assert.doesNotMatch(fragment, /<(html|head|body|title)\b/i);
      assert.doesNotMatch(fragment, /\sid="/, 'no ids: two players would share them');
    }
    const host = path.join(dir, 'host.html');
    writeFileSync(
      host,
      `<!doctype html>
<html><head><meta charset="utf-8"><title>host</title></head>
<body>
<h1>A page of its own</h1>
<script>window.vega = { host: true };</script>
${umap}
<p class="host-text">Between the players.</p>
<div class="cell-output"></div>
<div class="classic-output"></div>
<button class="host-button" type="button">host button</button>
<script type="text/plain" class="later">${countries.replace(/<\/script/gi, '<\\/script')}</script>
</body></html>
`,
    );
    const browser = await launch();
    try {
      const { page, requests } = await openPage(browser);
      const messages = consoleOf(page);
      await page.goto(`file://${host}`);
      // The second as JupyterLab shows HTML output: set as innerHTML, then each script
      // replaced by a copy of itself (scripts set by innerHTML do not run).
      await page.evaluate(() => {
        const text = document
          .querySelector('script.later')!
          .textContent!.replace(/<\\\/script/gi, '</script');
        const cell = document.querySelector('.cell-output')!;
        cell.innerHTML = text;
        for (const old of Array.from(cell.querySelectorAll('script'))) {
          const copy = document.createElement('script');
          for (const a of Array.from(old.attributes)) copy.setAttribute(a.name, a.value);
          copy.textContent = old.textContent;
          old.replaceWith(copy);
        }
        // The same fragment again as the classic notebook shows HTML (jQuery's append):
        // the scripts stay inert where they are and their text runs in a script of <head>.
        const classic = document.querySelector('.classic-output')!;
        classic.innerHTML = text;
        for (const inert of Array.from(classic.querySelectorAll('script:not([type])'))) {
          const run = document.createElement('script');
          run.text = inert.textContent!;
          document.head.appendChild(run).remove();
        }
      });
      await waitForPlayers(page, 3);

      // All play (autoplay): their frames move on.
      await page.waitForFunction(
        () =>
          Array.from(document.querySelectorAll('.vf-player')).every(
            (r) => (r as unknown as { vfPlayer: { frame: number } }).vfPlayer.frame >= 3,
          ),
        null,
        { timeout: 15000 },
      );
      // Pausing the first leaves the others playing.
      await page.locator('.vf-play').nth(0).click();
      const paused = await playerState(page, 0);
      assert.equal(paused.playing, false);
      const before = [(await playerState(page, 1)).frame, (await playerState(page, 2)).frame];
      await page.waitForTimeout(600);
      assert.equal((await playerState(page, 0)).frame, paused.frame);
      for (const n of [1, 2]) {
        const after = await playerState(page, n);
        assert.equal(after.playing, true);
        assert.notEqual(after.frame, before[n - 1], `player ${n} plays on`);
      }

      // Each slider moves its own player only.
      await page.locator('.vf-slider').nth(1).fill('2');
      await page.locator('.vf-slider').nth(0).fill('7');
      await page.evaluate(() =>
        Promise.all(
          Array.from(document.querySelectorAll('.vf-player')).map((r) =>
            (r as unknown as { vfPlayer: { rendered(): Promise<void> } }).vfPlayer.rendered(),
          ),
        ),
      );
      assert.deepEqual(await playerState(page, 0), { frame: 7, playing: false, slider: 7 });
      assert.deepEqual(await playerState(page, 1), { frame: 20, playing: false, slider: 2 });
      assert.equal((await playerState(page, 2)).playing, true);
      await page.locator('.vf-slider').nth(2).fill('4');
      await page.locator('.vf-slider').nth(0).focus();
      // Keys go to the player they are pressed in.
      await page.keyboard.press('ArrowRight');
      await page.evaluate(() =>
        (
          document.querySelectorAll('.vf-player')[0] as unknown as {
            vfPlayer: { rendered(): Promise<void> };
          }
        ).vfPlayer.rendered(),
      );
      assert.equal((await playerState(page, 0)).frame, 8);
      assert.equal((await playerState(page, 1)).frame, 20);
      assert.deepEqual(await playerState(page, 2), { frame: 40, playing: false, slider: 4 });
      assert.deepEqual(await page.locator('.vf-value').allTextContents(), ['8', '2010', '2020']);

      // All drew: the second's census 2010 as headless draws it.
      const canvases = page.locator('.vf-chart canvas');
      assert.equal(await canvases.count(), 3);
      assert.ok(inked(await canvases.nth(0).screenshot()) > 2000);
      assert.ok(inked(await canvases.nth(2).screenshot()) > 2000);
      const diff = await compareFrame(page, COUNTRIES, 20, canvases.nth(1));
      assert.ok(diff < 0.02, `${(diff * 100).toFixed(2)}% of pixels differ`);

      // The page's own Vega, globals and style are its own; the libraries load once.
      const page_ = await page.evaluate(() => ({
        vega: (window as unknown as { vega: unknown }).vega,
        vfPlayer: 'vfPlayer' in window,
        libraries: Object.keys(
          (window as unknown as { vegaFramesLibraries: object }).vegaFramesLibraries,
        ).length,
        ids: document.querySelectorAll('[id]').length,
        bodyMargin: getComputedStyle(document.body).margin,
        textFont: getComputedStyle(document.querySelector('.host-text')!).fontFamily,
        buttonMinWidth: getComputedStyle(document.querySelector('.host-button')!).minWidth,
      }));
      assert.deepEqual(page_, {
        vega: { host: true },
        vfPlayer: false,
        libraries: 1,
        ids: 0,
        bodyMargin: '8px',
        textFont: await page.evaluate(() => getComputedStyle(document.body).fontFamily),
        buttonMinWidth: '0px', // not the player's 5em
      });
      assert.notEqual(page_.textFont, '"DejaVu Sans", sans-serif');
      // No console warnings: none of Chromium's about reading a canvas back either.
      assert.deepEqual(messages, []);
      assert.deepEqual(requests, []);
    } finally {
      await browser.close();
    }
  },
);

test(
  'HTML player fragments: two drawing random numbers at once on one Vega each draw their own frame’s',
  { skip: !haveBrowser && 'no Chromium' },
  async () => {
    const fragment = Buffer.from(
      await render(JITTER as never, { format: 'html', fragment: true, autoplay: false }),
    ).toString();
    const host = path.join(dir, 'jitter-host.html');
    writeFileSync(host, `<!doctype html><meta charset="utf-8"><body>${fragment}${fragment}</body>`);
    const browser = await launch();
    try {
      const { page } = await openPage(browser);
      const messages = consoleOf(page);
      await page.goto(`file://${host}`);
      await waitForPlayers(page, 2);
      /** Each player's jittered rows after seeking them (together, or one after the other). */
      const seek = (frames: number[], together: boolean) =>
        page.evaluate(
          async ({ frames, together }) => {
            const players = Array.from(document.querySelectorAll('.vf-player')).map(
              (r) =>
                (
                  r as unknown as {
                    vfPlayer: {
                      seek(k: number): Promise<void>;
                      view: { data(name: string): { jitter: number; v: number }[] };
                    };
                  }
                ).vfPlayer,
            );
            if (together) await Promise.all(players.map((p, i) => p.seek(frames[i])));
            else for (const [i, p] of players.entries()) await p.seek(frames[i]);
            return players.map((p) =>
              p.view
                .data('data_0')
                .map((r) => `${r.v}:${r.jitter}`)
                .sort(),
            );
          },
          { frames, together },
        );
      const apart = [...(await seek([1, 2], false))];
      await seek([0, 0], false);
      const together = await seek([1, 2], true);
      assert.equal(apart[0].length, 20);
      assert.notDeepEqual(apart[0], apart[1]);
      assert.deepEqual(together, apart);
      assert.deepEqual(messages, []);
    } finally {
      await browser.close();
    }
  },
);
