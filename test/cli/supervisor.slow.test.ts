/**
 * The command's supervisor, with a stand-in for the render process: past --timeout or
 * --max-memory it kills the child wherever it is (a loop that never yields, an allocation
 * that never stops) and removes the temp file it left; signals reach the child, which is
 * killed after a grace period if it cannot stop itself; V8's fatal-error report becomes
 * one sentence, and so does a native crash (Skia's report held back); anything else
 * passes through with the child's own exit code.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const CHILD = new URL('../helpers/supervised-child.ts', import.meta.url).pathname;

function supervise(
  mode: string,
  extra: string[] = [],
  signal?: NodeJS.Signals,
): Promise<{
  code: number | null;
  stdout: string;
  stderr: string;
  seconds: number;
  left: string[];
}> {
  const dir = mkdtempSync(path.join(tmpdir(), 'vf-supervise-'));
  return new Promise((resolve) => {
    const started = performance.now();
    const p = spawn(process.execPath, [
      '--import',
      'tsx',
      CHILD,
      mode,
      '-o',
      path.join(dir, 'out.gif'),
      ...extra,
    ]);
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (c: Buffer) => {
      stdout += c;
      if (signal && stdout.includes('started')) setTimeout(() => p.kill(signal), 200);
    });
    p.stderr.on('data', (c: Buffer) => (stderr += c));
    p.on('close', (code) =>
      resolve({
        code,
        stdout,
        stderr,
        seconds: (performance.now() - started) / 1000,
        left: readdirSync(dir),
      }),
    );
  });
}

test('supervisor: a loop that never yields is stopped at --timeout, its temp file removed', async () => {
  const r = await supervise('spin', ['--timeout', '1']);
  assert.equal(r.code, 2);
  assert.match(
    r.stderr,
    /^error: the render took longer than 1 s \(--timeout\) and was stopped while it was still computing; nothing was written\n$/,
  );
  assert.deepEqual(r.left, []);
  assert.ok(r.seconds < 8, `${r.seconds} s`);
});

test('supervisor: a thread that stops returning to its event loop is stopped at --stall-timeout', async () => {
  const r = await supervise('spin', ['--stall-timeout', '2']);
  assert.equal(r.code, 2);
  assert.match(
    r.stderr,
    /^error: one step of the render ran 2 s without finishing and was stopped; nothing was written\..*--stall-timeout/,
  );
  assert.deepEqual(r.left, []);
  assert.ok(r.seconds < 8, `${r.seconds} s`);
});

test('supervisor: memory past --max-memory is stopped, its temp file removed', async () => {
  const r = await supervise('grow', ['--max-memory', '300m']);
  assert.equal(r.code, 2);
  assert.match(
    r.stderr,
    /^error: the render used more than 300 MiB of memory and was stopped; nothing was written\. Raise the ceiling with --max-memory/,
  );
  assert.deepEqual(r.left, []);
});

test('supervisor: SIGTERM reaches the child; one that cannot stop is killed after a grace period', async () => {
  const stuck = await supervise('spin', [], 'SIGTERM');
  assert.equal(stuck.code, 143);
  assert.equal(stuck.stderr, '');
  assert.deepEqual(stuck.left, []);
  const tidy = await supervise('tidy', [], 'SIGTERM');
  assert.equal(tidy.code, 143);
  assert.deepEqual(tidy.left, []);
  assert.ok(tidy.seconds < stuck.seconds, 'a child that stops itself is not waited for');
});

test("supervisor: V8's fatal-error report is replaced by one sentence", async () => {
  const r = await supervise('v8-fatal');
  assert.equal(r.code, 2);
  assert.equal(
    r.stderr,
    'frame 3 of 10\n\nerror: the render ran out of memory inside V8 (one structure grew past what V8 can hold) and was stopped; nothing was written. The spec asks for more rows, bins or values than fit in memory\n',
  );
  assert.deepEqual(r.left, []);
});

test("supervisor: a native crash (Skia's trap, SIGILL) is one sentence, Skia's line held back", async () => {
  const r = await supervise('skia-fatal');
  assert.equal(r.code, 1);
  assert.equal(
    r.stderr,
    'frame 1 of 1\nrender failed: the canvas library stopped the render (SIGILL): a native crash while drawing, nothing was written. If the spec shows images, check that each is an ordinary image of a size that fits; otherwise please report this with the spec\n',
  );
  assert.deepEqual(r.left, []);
});

test("supervisor: the child's output and exit code pass through", async () => {
  const r = await supervise('exit3');
  assert.equal(r.code, 3);
  assert.match(r.stdout, /^started \d+\n$/);
  assert.equal(r.stderr, 'error: something the user can fix\n');
});

test('supervisor: a render whose supervisor is killed outright ends itself', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'vf-supervise-'));
  const p = spawn(process.execPath, [
    '--import',
    'tsx',
    CHILD,
    'idle',
    '-o',
    path.join(dir, 'out.gif'),
  ]);
  const pid = await new Promise<number>((resolve) => {
    let out = '';
    p.stdout.on('data', (c: Buffer) => {
      out += c;
      const m = /started (\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
  });
  p.kill('SIGKILL');
  const alive = () => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  const until = Date.now() + 5000;
  while (alive() && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
  assert.equal(alive(), false, 'the orphaned render still runs');
});
