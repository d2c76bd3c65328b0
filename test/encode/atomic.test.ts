import assert from 'node:assert/strict';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CLEANUP_SIGNALS, openAtomic, openAtomicFolder } from '../../src/encode/atomic.js';
import { createGifSink } from '../../src/encode/gif.js';
import { buildPalette } from '../../src/encode/palette.js';

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

describe('openAtomic', () => {
  it('writes to a hidden temp file and renames it over the target on commit', async () => {
    const folder = await emptyFolder('commit');
    const target = path.join(folder, 'out.gif');
    await writeFile(target, 'old contents');
    const file = await openAtomic(target);
    assert.equal(path.dirname(file.tempPath), folder);
    assert.match(
      path.basename(file.tempPath),
      new RegExp(`^\\.out\\.gif\\.${process.pid}\\.[0-9a-f]+\\.tmp$`),
    );

    await file.write(new TextEncoder().encode('new '));
    await file.write(new TextEncoder().encode('contents'));
    assert.equal(await readFile(target, 'utf8'), 'old contents', 'target untouched until commit');
    await file.commit();

    assert.equal(await readFile(target, 'utf8'), 'new contents');
    assert.deepEqual(await readdir(folder), ['out.gif']);
    await file.abort(); // a no-op after commit
    assert.deepEqual(await readdir(folder), ['out.gif']);
  });

  it('leaves neither target nor temp file after abort', async () => {
    const folder = await emptyFolder('abort');
    const file = await openAtomic(path.join(folder, 'out.gif'));
    await file.write(new Uint8Array(100));
    await file.abort();
    await file.abort(); // idempotent
    assert.deepEqual(await readdir(folder), []);
    await assert.rejects(file.write(new Uint8Array(1)), /already aborted/);
  });

  it('creates the missing output folders', async () => {
    const missing = path.join(root, 'no-such-folder', 'below');
    const file = await openAtomic(path.join(missing, 'out.gif'));
    await file.write(new Uint8Array([1, 2, 3]));
    await file.commit();
    assert.deepEqual(await readdir(missing), ['out.gif']);
  });

  it('creates the missing parents of a folder of frames', async () => {
    const frames = path.join(root, 'no-such-parent', 'sub', 'frames');
    const out = await openAtomicFolder(frames, {
      replaceable: () => false,
      contents: 'PNG frames',
    });
    await out.writeFile('frame-00000.png', new Uint8Array([1]));
    await out.commit();
    assert.deepEqual(await readdir(frames), ['frame-00000.png']);
  });

  it('refuses an output folder below a file', async () => {
    const folder = await emptyFolder('below-a-file');
    const file = path.join(folder, 'plain');
    await writeFile(file, 'x');
    const missing = path.join(file, 'a', 'b');
    await assert.rejects(openAtomic(path.join(missing, 'out.gif')), {
      message: `Output folder ${missing} cannot be created: ${file} is a file, not a folder. Choose a path inside a folder, or move ${file} out of the way.`,
    });
    await assert.rejects(
      openAtomicFolder(path.join(file, 'frames'), { replaceable: () => false, contents: 'x' }),
      /cannot be created: .*plain is a file, not a folder/,
    );
    assert.deepEqual(await readdir(folder), ['plain']);
  });

  it(
    'names an output folder that is not writable',
    { skip: process.getuid?.() === 0 && 'root can write anywhere' },
    async () => {
      const folder = await emptyFolder('read-only');
      await chmod(folder, 0o555);
      try {
        await assert.rejects(openAtomic(path.join(folder, 'out.gif')), {
          message: new RegExp(
            `^Output folder is not writable: ${folder.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`,
          ),
        });
      } finally {
        await chmod(folder, 0o755);
      }
    },
  );

  it('refuses a target that is a folder', async () => {
    const folder = await emptyFolder('target-is-folder');
    await assert.rejects(openAtomic(folder), /Output path is a folder/);
  });
});

describe('GIF sink abort', () => {
  it('leaves neither the target nor any temp file', async () => {
    const folder = await emptyFolder('gif-abort');
    const frame = { width: 8, height: 8, rgba: new Uint8Array(8 * 8 * 4).fill(255) };
    const palette = buildPalette({ sample: [frame] });
    const sink = await createGifSink(path.join(folder, 'anim.gif'), {
      width: 8,
      height: 8,
      fps: 10,
      loop: true,
      frameCount: 3,
      palette,
    });
    await sink.write(frame, 0);
    await sink.write(frame, 1);
    assert.equal((await readdir(folder)).length, 1, 'temp file exists while streaming');
    await sink.abort();
    assert.deepEqual(await readdir(folder), []);
  });
});

describe('cleanup handlers', () => {
  it('cover the signals that end a process by default and that Node lets it handle', () => {
    for (const signal of ['SIGHUP', 'SIGINT', 'SIGQUIT', 'SIGTERM', 'SIGUSR2'] as const) {
      assert.ok(CLEANUP_SIGNALS.includes(signal), signal);
    }
    // Node's inspector and V8's profiler use these: a handler would break them.
    assert.ok(!CLEANUP_SIGNALS.includes('SIGUSR1'));
    assert.ok(!CLEANUP_SIGNALS.includes('SIGPROF'));
  });
});
