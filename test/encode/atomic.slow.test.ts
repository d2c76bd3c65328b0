/**
 * The cleanup handlers in a child process: a temp file or a hidden folder of frames is
 * removed when a signal or an uncaught error ends the process (the in-process side of
 * encode/atomic.ts is in atomic.test.ts).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { constants as osConstants, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { CLEANUP_SIGNALS } from '../../src/encode/atomic.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const childScript = path.join(repoRoot, 'test/helpers/atomic-signal-child.ts');

let root: string;
before(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'vega-frames-atomic-'));
});
after(async () => {
  await rm(root, { recursive: true, force: true });
});

/** A fresh empty folder per test, so "nothing left behind" is a plain readdir check. */
async function emptyFolder(name: string): Promise<string> {
  const folder = path.join(root, name);
  await mkdir(folder);
  return folder;
}

interface ChildOutcome {
  code: number | null;
  signal: NodeJS.Signals | null;
  tempPath: string;
  /** Whether the temp file was on disk when the child reported ready. */
  tempExisted: boolean;
  stderr: string;
}

/** Runs the child, waits for its "ready" line, optionally signals it, and waits for it to exit. */
function runChild(
  target: string,
  mode: 'wait' | 'crash' | 'folder',
  signal?: NodeJS.Signals,
): Promise<ChildOutcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', childScript, target, mode], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let tempPath = '';
    let tempExisted = false;
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const ready = /^ready (.+)$/m.exec(stdout);
      if (ready && !tempPath) {
        tempPath = ready[1];
        tempExisted = existsSync(tempPath);
        if (signal) child.kill(signal);
      }
    });
    child.on('error', reject);
    child.on('exit', (code, exitSignal) =>
      resolve({ code, signal: exitSignal, tempPath, tempExisted, stderr }),
    );
  });
}

describe('cleanup handlers (child process)', () => {
  it('remove the temp file and exit 143 on SIGTERM', async () => {
    const folder = await emptyFolder('sigterm');
    const outcome = await runChild(path.join(folder, 'out.gif'), 'wait', 'SIGTERM');
    assert.ok(outcome.tempExisted, `child never wrote its temp file: ${outcome.stderr}`);
    assert.equal(outcome.code, 143, outcome.stderr);
    assert.deepEqual(await readdir(folder), []);
  });

  it('remove the temp file and exit 130 on SIGINT', async () => {
    const folder = await emptyFolder('sigint');
    const outcome = await runChild(path.join(folder, 'out.gif'), 'wait', 'SIGINT');
    assert.ok(outcome.tempExisted, `child never wrote its temp file: ${outcome.stderr}`);
    assert.equal(outcome.code, 130, outcome.stderr);
    assert.deepEqual(await readdir(folder), []);
  });

  const signalNumbers = osConstants.signals as Partial<Record<NodeJS.Signals, number>>;
  for (const signal of CLEANUP_SIGNALS) {
    const number = signalNumbers[signal];
    if (number === undefined) continue; // not a signal on this platform
    it(`remove the temp file and exit ${128 + number} on ${signal}`, async () => {
      const folder = await emptyFolder(`signal-${signal}`);
      const outcome = await runChild(path.join(folder, 'out.gif'), 'wait', signal);
      assert.ok(outcome.tempExisted, `child never wrote its temp file: ${outcome.stderr}`);
      assert.equal(outcome.code, 128 + number, outcome.stderr);
      assert.deepEqual(await readdir(folder), []);
    });
  }

  it('remove the hidden folder of PNG frames being written, leaving the old frames', async () => {
    const parent = await emptyFolder('folder-sighup');
    const frames = path.join(parent, 'frames');
    await mkdir(frames);
    await writeFile(path.join(frames, 'frame-00001.png'), 'old 1');
    await writeFile(path.join(frames, 'frame-00002.png'), 'old 2');
    const outcome = await runChild(frames, 'folder', 'SIGHUP');
    assert.match(outcome.tempPath, /\.frames\.\d+\.[0-9a-f]+\.tmp$/, outcome.stderr);
    assert.ok(outcome.tempExisted, `child never made its temp folder: ${outcome.stderr}`);
    assert.equal(outcome.code, 129, outcome.stderr);
    assert.deepEqual(await readdir(parent), ['frames']);
    assert.deepEqual((await readdir(frames)).sort(), ['frame-00001.png', 'frame-00002.png']);
    assert.equal(await readFile(path.join(frames, 'frame-00002.png'), 'utf8'), 'old 2');
  });

  it('remove the temp file when an uncaught error ends the process', async () => {
    const folder = await emptyFolder('crash');
    const outcome = await runChild(path.join(folder, 'out.gif'), 'crash');
    assert.ok(outcome.tempExisted, `child never wrote its temp file: ${outcome.stderr}`);
    assert.equal(outcome.code, 1);
    assert.match(outcome.stderr, /simulated crash while encoding/);
    assert.deepEqual(await readdir(folder), []);
  });
});
