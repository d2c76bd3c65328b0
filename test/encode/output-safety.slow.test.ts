/**
 * A folder of PNG frames under real signals: a child process renders two sets of frames
 * into one folder in turn and is killed at a different moment each time; the folder then
 * holds one whole set and nothing hidden is left beside it.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import { folderState, hiddenBeside } from '../helpers/frame-sets.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const rerenderChild = path.join(repoRoot, 'test/helpers/frames-rerender-child.ts');

const root = mkdtempSync(path.join(tmpdir(), 'vf-output-safety-'));
after(() => rmSync(root, { recursive: true, force: true }));

let folders = 0;
/** A fresh folder per test, so "nothing left behind" is a plain readdir check. */
function freshFolder(): string {
  const folder = path.join(root, `t${folders++}`);
  mkdirSync(folder);
  return folder;
}

describe('a folder of PNG frames is replaced whole', () => {
  it('a render killed by a signal at any moment leaves one complete set (child process)', async () => {
    const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT', 'SIGUSR2'];
    const outcomes: string[] = [];
    for (let trial = 0; trial < 10; trial++) {
      const frames = path.join(freshFolder(), 'frames');
      const signal = signals[trial % signals.length];
      const { code, stderr } = await new Promise<{ code: number | null; stderr: string }>(
        (resolve, reject) => {
          const child = spawn(process.execPath, ['--import', 'tsx', rerenderChild, frames], {
            cwd: repoRoot,
            stdio: ['ignore', 'pipe', 'pipe'],
          });
          let stderr = '';
          let signalled = false;
          child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
          child.stdout.on('data', () => {
            if (signalled) return;
            signalled = true;
            // After the first complete set, at a different moment of the next render each time.
            setTimeout(() => child.kill(signal), trial * 4);
          });
          child.on('error', reject);
          child.on('exit', (exitCode) => resolve({ code: exitCode, stderr }));
        },
      );
      assert.ok(code !== null && code > 128, `${signal}: exit ${code} ${stderr}`);
      const state = folderState(frames);
      assert.ok(
        state === 'set 0' || state === 'set 1',
        `${signal} after ${trial * 4} ms: ${state}`,
      );
      assert.deepEqual(hiddenBeside(frames), [], `${signal}: hidden folders left`);
      outcomes.push(state);
    }
    assert.ok(outcomes.length === 10);
  });
});
