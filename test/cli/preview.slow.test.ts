/**
 * `vega-frames preview` as a user runs it, in headless Chromium (playwright-core, as the
 * player's tests): the page shows the chart; edits of the spec (written in place, or saved
 * by renaming a new file over it, as editors do) and of its data file show a new render;
 * a broken spec shows the command's message with line:col instead of the chart; SIGINT
 * stops the server with exit 0 and no temp files. Needs `npm run build` (dist/cli/bin.js).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chromium, type Frame, type Page } from 'playwright-core';

const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const haveBrowser = existsSync(CHROMIUM);
if (!haveBrowser && process.env.VF_REQUIRE_BROWSER) {
  throw new Error(`Chromium is required here but ${CHROMIUM} does not exist`);
}
const CLI = path.join(new URL('../..', import.meta.url).pathname, 'dist/cli/bin.js');

const spec = (color: string, key = 'encoding') => `title: Preview
width: 200
height: 150
data: {url: points.csv}
mark: {type: point, filled: true, size: 900, opacity: 1}
${key}:
  x: {field: x, type: quantitative}
  y: {field: y, type: quantitative}
  color: {value: "${color}"}
  frame: {field: t}
`;
const DATA = 't,x,y\n1,1,1\n1,2,3\n2,2,2\n2,3,1\n3,1,3\n3,3,3\n';

/** The player's handle, as test/player/player.slow.test.ts uses it. */
interface PlayerWindow {
  vfPlayer: { frame: number; playing: boolean; seek(k: number): Promise<void> };
}

/** The iframe of the player of one version. */
function playerOf(page: Page, version: number): Frame {
  const frame = page.frames().find((f) => f.url().includes(`/player?v=${version}`));
  assert.ok(frame, `the player of version ${version} is on the page`);
  return frame;
}

/**
 * Pixels of the player's canvases (all of them) close to an RGB colour, once at least `min`
 * are (the player draws after its page has loaded), or after 5 s.
 */
async function pixelsOf(page: Page, version: number, rgb: number[], min = 1): Promise<number> {
  const frame = playerOf(page, version);
  const count = () =>
    frame.evaluate((want) => {
      let n = 0;
      for (const canvas of Array.from(document.querySelectorAll('canvas'))) {
        if (!canvas.width || !canvas.height) continue;
        const d = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
        for (let i = 0; i < d.length; i += 4) {
          const off =
            Math.abs(d[i] - want[0]) + Math.abs(d[i + 1] - want[1]) + Math.abs(d[i + 2] - want[2]);
          if (d[i + 3] > 200 && off < 60) n++;
        }
      }
      return n;
    }, rgb);
  const until = Date.now() + 5000;
  let n = await count();
  while (n < min && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 100));
    n = await count();
  }
  return n;
}

/** Waits until the shell page shows version `v` (a render or an error), then its state. */
async function version(page: Page, v: number) {
  await page.waitForFunction((n) => Number(document.body.dataset.version) >= n, v, {
    timeout: 15_000,
  });
  return page.evaluate(() => ({ ...document.body.dataset }));
}

/** The status and body of a GET to the server with this Host header. */
const get = (url: string, host?: string) =>
  new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request(url, { headers: host ? { host } : {} }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode!, body }));
    });
    req.on('error', reject);
    req.end();
  });

test(
  'preview: the chart, re-rendered on edits of the spec and its data; errors with line:col; SIGINT stops it cleanly',
  { skip: !haveBrowser && 'no Chromium', timeout: 60_000 },
  async () => {
    const work = mkdtempSync(path.join(tmpdir(), 'vf-preview-'));
    const specDir = path.join(work, 'charts');
    const serverTmp = path.join(work, 'tmp'); // the server's TMPDIR: empty once it stops
    mkdirSync(specDir);
    mkdirSync(serverTmp);
    const specFile = path.join(specDir, 'chart.yaml');
    writeFileSync(specFile, spec('#0000ff'));
    writeFileSync(path.join(specDir, 'points.csv'), DATA);

    const server: ChildProcess = spawn(
      process.execPath,
      [CLI, 'preview', 'chart.yaml', '--port', '0'],
      {
        cwd: specDir,
        env: { ...process.env, TMPDIR: serverTmp },
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    let stderr = '';
    server.stderr!.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    const exited = new Promise<number | null>((resolve) =>
      server.on('close', (code) => resolve(code)),
    );
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu'],
    });
    try {
      const started = Date.now();
      let url: string | undefined;
      while (!(url = /http:\/\/127\.0\.0\.1:\d+\//.exec(stderr)?.[0])) {
        assert.ok(Date.now() - started < 10_000, `no URL printed: ${stderr}`);
        await new Promise((r) => setTimeout(r, 50));
      }

      // Only its own pages, only to its own name.
      assert.equal((await get(`${url}chart.yaml`)).status, 404);
      assert.equal((await get(`${url}..%2Fcharts%2Fpoints.csv`)).status, 404);
      assert.equal((await get(url, 'evil.example:80')).status, 403);

      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(url);

      // The first render: the chart in blue, 3 frames.
      let shown = await version(page, 1);
      assert.deepEqual([shown.state, shown.frames], ['ok', '3'], stderr);
      assert.ok((await pixelsOf(page, 1, [0, 0, 255], 200)) >= 200);
      assert.match((await page.textContent('#vf-preview-status')) ?? '', /3 frames/);

      // Paused at the last frame, the spec written in place: the chart turns red, at that frame.
      await playerOf(page, 1).evaluate(() => (window as unknown as PlayerWindow).vfPlayer.seek(2));
      writeFileSync(specFile, spec('#ff0000'));
      shown = await version(page, 2);
      assert.equal(shown.state, 'ok');
      assert.deepEqual(
        await playerOf(page, 2).evaluate(() => {
          const { vfPlayer } = window as unknown as PlayerWindow;
          return [vfPlayer.frame, vfPlayer.playing];
        }),
        [2, false],
      );
      assert.ok((await pixelsOf(page, 2, [255, 0, 0], 200)) >= 200);
      assert.equal(await pixelsOf(page, 2, [0, 0, 255], 0), 0);

      // A typo'd key: the command's message, with line:col, instead of the chart.
      writeFileSync(specFile, spec('#ff0000', 'encodng'));
      shown = await version(page, 3);
      assert.equal(shown.state, 'error');
      const message = await page.textContent('#vf-preview-error');
      assert.match(message ?? '', /^chart\.yaml:6:1 \$\.encodng: unknown property "encodng"/);
      assert.ok(await page.isVisible('#vf-preview-error'));
      assert.equal(await page.locator('main iframe').count(), 0);

      // Fixed, saved as editors do (a new file renamed over the old): the chart returns.
      writeFileSync(path.join(specDir, '.chart.yaml.swp'), spec('#00aa00'));
      renameSync(path.join(specDir, '.chart.yaml.swp'), specFile);
      shown = await version(page, 4);
      assert.equal(shown.state, 'ok');
      assert.ok(!(await page.isVisible('#vf-preview-error')));
      assert.ok((await pixelsOf(page, 4, [0, 170, 0], 200)) >= 200);

      // The data file gains a fourth frame.
      writeFileSync(path.join(specDir, 'points.csv'), `${DATA}4,2,1\n`);
      shown = await version(page, 5);
      assert.deepEqual([shown.state, shown.frames], ['ok', '4']);
      assert.deepEqual(errors, []);
      assert.match(
        stderr,
        /chart\.yaml:6:1 \$\.encodng/,
        'the error is printed on the terminal too',
      );

      // Stopped while a render runs: that render is stopped too, and its files removed.
      writeFileSync(specFile, spec('#0000ff'));
      const until = Date.now() + 5000;
      while (!JSON.parse((await get(`${url}state`)).body).rendering) {
        assert.ok(Date.now() < until, 'a render starts');
        await new Promise((r) => setTimeout(r, 20));
      }
      assert.ok(readdirSync(serverTmp).length > 0);
    } finally {
      await browser.close();
      server.kill('SIGINT');
    }
    assert.equal(await exited, 0, stderr);
    assert.deepEqual(readdirSync(serverTmp), [], 'no temp files left');
    assert.deepEqual(readdirSync(specDir).sort(), ['chart.yaml', 'points.csv']);
    rmSync(work, { recursive: true });
  },
);
