/**
 * Outputs never clobber: a folder of PNG frames is replaced whole or not at all (errors,
 * other writers; real signals in output-safety.slow.test.ts), file targets that are not
 * regular files are refused, and no output is written over the spec or the files it reads.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import {
  type PathLike,
  linkSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { renderToFile } from '../../src/api.js';
import { main } from '../../src/cli/main.js';
import {
  OutputPathError,
  folderFs,
  openAtomic,
  removeLeftoversOf,
} from '../../src/encode/atomic.js';
import { createPngSequenceSink } from '../../src/encode/png.js';
import { joinVideos } from '../../src/encode/video.js';
import { FRAME_COUNTS, setFrame } from '../helpers/frames-rerender-child.js';
import { folderState, hiddenBeside, renderSet } from '../helpers/frame-sets.js';

const root = mkdtempSync(path.join(tmpdir(), 'vf-output-safety-'));
after(() => rmSync(root, { recursive: true, force: true }));

let folders = 0;
/** A fresh folder per test, so "nothing left behind" is a plain readdir check. */
function freshFolder(): string {
  const folder = path.join(root, `t${folders++}`);
  mkdirSync(folder);
  return folder;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Rejects with an OutputPathError whose message matches `pattern`. */
function outputPathError(pattern: RegExp) {
  return (e: unknown) => {
    assert.ok(e instanceof OutputPathError, `not an OutputPathError: ${String(e)}`);
    assert.match(e.message, pattern);
    return true;
  };
}

/** Runs the command line in this process: its exit code and what it printed to stderr. */
async function mainOutput(argv: string[]): Promise<{ code: number; stderr: string }> {
  const messages: string[] = [];
  const error = console.error;
  console.error = (...args: unknown[]) => messages.push(args.join(' '));
  try {
    return { code: await main(argv), stderr: messages.join('\n') };
  } finally {
    console.error = error;
  }
}

function errno(code: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: simulated`), { code });
}

describe('a folder of PNG frames is replaced whole', () => {
  it('every event-loop turn of finish() sees the old set or the new one, never a mix', async () => {
    // Signal handlers run between event-loop turns: what a turn sees is what an interrupt
    // would leave.
    const frames = path.join(freshFolder(), 'frames');
    await renderSet(frames, 0);
    const sink = await createPngSequenceSink(frames, { frameCount: FRAME_COUNTS[1] });
    for (let i = 0; i < FRAME_COUNTS[1]; i++) await sink.write(setFrame(1), i);
    const seen = new Set<string>();
    let polling = true;
    const poll = () => {
      seen.add(folderState(frames));
      if (polling) setImmediate(poll);
    };
    setImmediate(poll);
    await sink.finish();
    polling = false;
    seen.add(folderState(frames));
    for (const state of seen) assert.ok(state === 'set 0' || state === 'set 1', state);
    assert.equal(folderState(frames), 'set 1');
    assert.deepEqual(hiddenBeside(frames), []);
  });

  it('an error mid-render leaves the old frames and no hidden folder', async () => {
    const frames = path.join(freshFolder(), 'frames');
    await renderSet(frames, 0);
    const sink = await createPngSequenceSink(frames, { frameCount: FRAME_COUNTS[1] });
    for (let i = 0; i < 10; i++) await sink.write(setFrame(1), i);
    await assert.rejects(sink.write(setFrame(1), 12), /must arrive in order/);
    assert.equal(folderState(frames), 'set 0');
    assert.deepEqual(hiddenBeside(frames), []);
  });

  it('refuses a folder holding a file that is not a frame, naming it, and changes nothing', async () => {
    const frames = path.join(freshFolder(), 'frames');
    await renderSet(frames, 0);
    writeFileSync(path.join(frames, 'notes.txt'), 'mine');
    writeFileSync(path.join(frames, 'zz.txt'), 'mine too');
    await assert.rejects(
      createPngSequenceSink(frames, { frameCount: 2 }),
      outputPathError(
        new RegExp(
          `^Output folder ${escape(frames)} holds "notes\\.txt" and 1 other entry, which vega-frames did not write\\. .*move "notes\\.txt" out, or choose another folder\\.$`,
        ),
      ),
    );
    assert.equal(readFileSync(path.join(frames, 'notes.txt'), 'utf8'), 'mine');
    assert.equal(readdirSync(frames).length, FRAME_COUNTS[0] + 2);
    assert.deepEqual(hiddenBeside(frames), []);
  });

  it('refuses a folder named like a frame inside the folder', async () => {
    const frames = path.join(freshFolder(), 'frames');
    mkdirSync(path.join(frames, 'frame-00001.png'), { recursive: true });
    await assert.rejects(
      createPngSequenceSink(frames, { frameCount: 2 }),
      outputPathError(/holds "frame-00001\.png"/),
    );
  });

  it('replaces an empty folder, and one with only frames and file-manager files', async () => {
    const parent = freshFolder();
    const frames = path.join(parent, 'frames');
    mkdirSync(frames);
    await renderSet(frames, 1);
    assert.equal(folderState(frames), 'set 1');
    writeFileSync(path.join(frames, '.DS_Store'), '');
    writeFileSync(path.join(frames, 'frame-0000001.png'), 'a frame of another numbering');
    await renderSet(frames, 0);
    assert.equal(folderState(frames), 'set 0');
    assert.deepEqual(readdirSync(parent), ['frames']);
  });

  it('refuses a file, a symbolic link or the current folder as the frames folder', async () => {
    const parent = freshFolder();
    const file = path.join(parent, 'frames');
    writeFileSync(file, 'a file');
    await assert.rejects(
      createPngSequenceSink(file, { frameCount: 1 }),
      outputPathError(
        /^Output folder for PNG frames \(frame-NNNNN\.png\) is a file, not a folder:/,
      ),
    );
    const real = path.join(parent, 'real');
    mkdirSync(real);
    const link = path.join(parent, 'link');
    symlinkSync(real, link);
    await assert.rejects(
      createPngSequenceSink(link, { frameCount: 1 }),
      outputPathError(new RegExp(`^Output path is a symbolic link: ${escape(link)} \\(to `)),
    );
    assert.ok(lstatSync(link).isSymbolicLink());
    const empty = path.join(parent, 'empty');
    mkdirSync(empty);
    const cwd = process.cwd();
    process.chdir(empty);
    try {
      await assert.rejects(
        createPngSequenceSink('.', { frameCount: 1 }),
        outputPathError(
          /^Output folder is the current folder: .*write into a new folder inside it/,
        ),
      );
    } finally {
      process.chdir(cwd);
    }
    assert.deepEqual(readdirSync(parent).sort(), ['empty', 'frames', 'link', 'real']);
  });

  it('refuses to swap in when a file appeared in the folder during the render', async () => {
    const frames = path.join(freshFolder(), 'frames');
    await renderSet(frames, 0);
    const sink = await createPngSequenceSink(frames, { frameCount: 1 });
    await sink.write(setFrame(1), 0);
    writeFileSync(path.join(frames, 'notes.txt'), 'written meanwhile');
    await assert.rejects(sink.finish(), outputPathError(/holds "notes\.txt"/));
    rmSync(path.join(frames, 'notes.txt'));
    assert.equal(folderState(frames), 'set 0');
    assert.deepEqual(hiddenBeside(frames), []);
  });

  it('two renders into one folder: the last to finish wins, whole', async () => {
    const frames = path.join(freshFolder(), 'frames');
    const sinks = await Promise.all(
      ([0, 1] as const).map((k) => createPngSequenceSink(frames, { frameCount: FRAME_COUNTS[k] })),
    );
    for (const k of [0, 1] as const) {
      for (let i = 0; i < FRAME_COUNTS[k]; i++) await sinks[k].write(setFrame(k), i);
    }
    await sinks[1].finish();
    await sinks[0].finish();
    assert.equal(folderState(frames), 'set 0');
    assert.deepEqual(hiddenBeside(frames), []);
  });

  it('names the folder when the hidden folder is removed during the render (ENOENT)', async () => {
    const frames = path.join(freshFolder(), 'frames');
    await renderSet(frames, 0);
    const sink = await createPngSequenceSink(frames, { frameCount: 3 });
    await sink.write(setFrame(1), 0);
    const [temp] = hiddenBeside(frames);
    rmSync(path.join(path.dirname(frames), temp), { recursive: true });
    await assert.rejects(
      sink.write(setFrame(1), 1),
      outputPathError(
        new RegExp(
          `^The folder ${escape(path.dirname(frames))} or the hidden folder \\.frames\\.\\S+\\.tmp in it, where the new files of ${escape(frames)} were being written, was moved or removed during the render \\(ENOENT\\)\\. .*run the render again`,
        ),
      ),
    );
    assert.equal(folderState(frames), 'set 0');
    assert.deepEqual(hiddenBeside(frames), []);
  });
});

describe('what a killed render leaves is recoverable', () => {
  it('removeLeftoversOf puts a set-aside folder back when the target is missing', () => {
    const parent = freshFolder();
    const frames = path.join(parent, 'frames');
    // Killed between the two renames of the swap: the old frames are only in `.old`.
    mkdirSync(path.join(parent, '.frames.4242.0badcafe.old'));
    writeFileSync(path.join(parent, '.frames.4242.0badcafe.old', 'frame-00001.png'), 'old');
    mkdirSync(path.join(parent, '.frames.4242.12345678.tmp'));
    mkdirSync(path.join(parent, '.frames.4243.12345678.tmp')); // another process's
    removeLeftoversOf(4242, frames + path.sep);
    assert.deepEqual(readdirSync(parent).sort(), ['.frames.4243.12345678.tmp', 'frames']);
    assert.equal(readFileSync(path.join(frames, 'frame-00001.png'), 'utf8'), 'old');
    // Killed while removing the replaced folder: the new one is in place, the old is garbage.
    mkdirSync(path.join(parent, '.frames.4242.0badcafe.old'));
    removeLeftoversOf(4242, frames);
    assert.deepEqual(readdirSync(parent).sort(), ['.frames.4243.12345678.tmp', 'frames']);
  });
});

/**
 * Errors the tests cannot provoke as root on a writable disk (a read-only file system, a
 * folder without write permission), injected through `folderFs`.
 */
describe('a read-only or busy output folder gets a message naming it', () => {
  async function withFs<T>(patch: Partial<typeof folderFs>, run: () => Promise<T>): Promise<T> {
    const saved = { ...folderFs };
    Object.assign(folderFs, patch);
    try {
      return await run();
    } finally {
      Object.assign(folderFs, saved);
    }
  }

  it('EROFS on the frames folder itself, before anything is rendered', async () => {
    const frames = path.join(freshFolder(), 'frames');
    await renderSet(frames, 0);
    await withFs(
      {
        access: () => {
          throw errno('EROFS');
        },
      },
      () =>
        assert.rejects(
          createPngSequenceSink(frames, { frameCount: 1 }),
          outputPathError(
            new RegExp(
              `^Output folder is not writable: ${escape(frames)} \\(EROFS\\), so its earlier PNG frames .* cannot be removed; it is on a read-only file system: choose a folder on a writable one\\.$`,
            ),
          ),
        ),
    );
    assert.equal(folderState(frames), 'set 0');
  });

  it('EACCES creating the hidden folder names the parent folder', async () => {
    const parent = freshFolder();
    await withFs(
      {
        mkdirSync: () => {
          throw errno('EACCES');
        },
      },
      () =>
        assert.rejects(
          createPngSequenceSink(path.join(parent, 'frames'), { frameCount: 1 }),
          outputPathError(
            new RegExp(
              `^Output folder is not writable: ${escape(parent)} \\(EACCES\\), so no file can be created in it; make it writable \\(chmod u\\+w\\) or choose another folder\\.$`,
            ),
          ),
        ),
    );
    assert.deepEqual(readdirSync(parent), []);
  });

  it('EROFS while writing a frame: the folder is left as it was', async () => {
    const frames = path.join(freshFolder(), 'frames');
    await renderSet(frames, 0);
    const sink = await createPngSequenceSink(frames, { frameCount: 2 });
    await withFs(
      {
        writeFile: (async () => {
          throw errno('EROFS');
        }) as typeof folderFs.writeFile,
      },
      () =>
        assert.rejects(
          sink.write(setFrame(1), 0),
          outputPathError(
            /^Output folder is not writable: .* \(EROFS\), so the files of .*frames cannot be written; it is on a read-only file system/,
          ),
        ),
    );
    assert.equal(folderState(frames), 'set 0');
    assert.deepEqual(hiddenBeside(frames), []);
  });

  /**
   * A new set written over `set 0` whose swap fails under `fs`: the render refuses with
   * `expected`, and the old set stays. Returns the frames folder.
   */
  async function failedSwap(fs: Parameters<typeof withFs>[0], expected: RegExp): Promise<string> {
    const frames = path.join(freshFolder(), 'frames');
    await renderSet(frames, 0);
    const sink = await createPngSequenceSink(frames, { frameCount: 1 });
    await sink.write(setFrame(1), 0);
    await withFs(fs, () => assert.rejects(sink.finish(), outputPathError(expected)));
    assert.equal(folderState(frames), 'set 0');
    return frames;
  }

  it('EACCES moving the old folder aside: nothing replaced, nothing left', async () => {
    const frames = await failedSwap(
      {
        renameSync: () => {
          throw errno('EACCES');
        },
      },
      /^Output folder is not writable: .* \(EACCES\), so .*frames cannot be replaced; make it writable/,
    );
    assert.deepEqual(hiddenBeside(frames), []);
  });

  it('another program writing the folder between the renames: the old one is put back', async () => {
    const rename = folderFs.renameSync;
    const frames = await failedSwap(
      {
        renameSync: (from: PathLike, to: PathLike) => {
          if (String(from).endsWith('.tmp')) throw errno('ENOTEMPTY');
          rename(from, to);
        },
      },
      /^Output folder .*frames was written by another program during the render \(ENOTEMPTY\), so it was left as it is\. Run the render again/,
    );
    assert.deepEqual(hiddenBeside(frames), []);
  });

  it('EBUSY (a mount point) says to write into a folder inside it', async () => {
    await failedSwap(
      {
        renameSync: () => {
          throw errno('EBUSY');
        },
      },
      /is in use or a mount point \(EBUSY\)/,
    );
  });
});

describe('a file output replaces only a regular file', () => {
  it('refuses a named pipe, a socket and a character device, leaving each as it was', async () => {
    const folder = freshFolder();
    const fifo = path.join(folder, 'pipe.gif');
    execFileSync('mkfifo', [fifo]);
    await assert.rejects(
      openAtomic(fifo),
      outputPathError(
        new RegExp(
          `^Output path is a named pipe \\(FIFO\\), not a regular file: ${escape(fifo)}\\. .*give the path of a regular file instead\\.$`,
        ),
      ),
    );
    assert.ok(lstatSync(fifo).isFIFO());

    const socket = path.join(folder, 'socket.gif');
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(socket, resolve));
    try {
      await assert.rejects(openAtomic(socket), outputPathError(/^Output path is a socket/));
      assert.ok(lstatSync(socket).isSocket());
    } finally {
      server.close();
    }

    // A private node for /dev/null's device (1, 3): the real one is not put at risk.
    const device = path.join(folder, 'null.gif');
    let madeDevice = true;
    try {
      execFileSync('mknod', [device, 'c', '1', '3'], { stdio: 'ignore' });
    } catch {
      madeDevice = false; // not permitted here (not root): covered by the FIFO and socket
    }
    if (madeDevice) {
      await assert.rejects(openAtomic(device), outputPathError(/is a character device/));
      assert.ok(lstatSync(device).isCharacterDevice());
    }
    assert.deepEqual(
      readdirSync(folder).filter((n) => n.startsWith('.')),
      [],
    );
  });

  it('refuses a symbolic link, at open and when one replaced the target during the render', async () => {
    const folder = freshFolder();
    const real = path.join(folder, 'real.gif');
    writeFileSync(real, 'theirs');
    const link = path.join(folder, 'link.gif');
    symlinkSync(real, link);
    await assert.rejects(
      openAtomic(link),
      outputPathError(
        new RegExp(
          `^Output path is a symbolic link: ${escape(link)} \\(to ${escape(real)}\\)\\. vega-frames neither writes through links nor replaces them`,
        ),
      ),
    );

    const target = path.join(folder, 'out.gif');
    const file = await openAtomic(target);
    await file.write(new Uint8Array(10));
    symlinkSync(real, target); // made while the output was being written
    await assert.rejects(file.commit(), outputPathError(/^Output path is a symbolic link/));
    assert.ok(lstatSync(target).isSymbolicLink());
    assert.equal(readFileSync(real, 'utf8'), 'theirs');
    assert.deepEqual(readdirSync(folder).sort(), ['link.gif', 'out.gif', 'real.gif']);
  });
});

describe('joining videos', () => {
  it('onto a refused output path leaves no temp folder', async () => {
    const folder = freshFolder();
    const tmp = path.join(folder, 'tmp');
    mkdirSync(tmp);
    const out = path.join(folder, 'all.mp4');
    symlinkSync(path.join(folder, 'elsewhere.mp4'), out);
    const saved = process.env.TMPDIR;
    process.env.TMPDIR = tmp; // os.tmpdir() reads it on each call
    try {
      await assert.rejects(
        joinVideos([path.join(folder, 'a.mp4'), path.join(folder, 'b.mp4')], out, 'mp4'),
        outputPathError(/^Output path is a symbolic link/),
      );
    } finally {
      if (saved === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = saved;
    }
    assert.deepEqual(readdirSync(tmp), []);
  });

  it('onto one of the parts exits 2 with the message', async () => {
    const folder = freshFolder();
    const part = path.join(folder, 'a.gif');
    writeFileSync(part, 'GIF89a');
    const { code, stderr } = await mainOutput(['join', part, part, '-o', part]);
    assert.equal(code, 2, stderr);
    assert.match(stderr, /^error: Output path .*a\.gif is the part .*a\.gif; writing the output/);
    assert.equal(readFileSync(part, 'utf8'), 'GIF89a');
  });
});

describe('no output over the spec or its inputs', () => {
  const folder = freshFolder();
  const csv = 'x,y,t,img\n1,2,0,pic.png\n2,3,1,pic.png\n3,1,2,pic.png\n';
  writeFileSync(path.join(folder, 'points.csv'), csv);
  writeFileSync(path.join(folder, 'pic.png'), 'not really a PNG');
  const spec = path.join(folder, 'spec.json');
  writeFileSync(
    spec,
    JSON.stringify({
      data: { url: 'points.csv' },
      mark: 'point',
      encoding: {
        x: { field: 'x', type: 'quantitative' },
        y: { field: 'y', type: 'quantitative' },
        frame: { field: 't' },
      },
    }),
  );
  const data = path.join(folder, 'points.csv');
  const dataError = (same?: string) =>
    outputPathError(
      new RegExp(
        `is the data file "points\\.csv"${same ? ` \\(the same file as ${escape(same)}\\)` : ''}; writing the output there would replace it\\. Choose another output path\\.$`,
      ),
    );

  after(() => assert.equal(readFileSync(data, 'utf8'), csv, 'the data was never replaced'));

  it('refuses the data file, by any path: as given, through "..", a symbolic or a hard link', async () => {
    await assert.rejects(renderToFile(spec, data, { format: 'gif', workers: 1 }), dataError());
    await assert.rejects(
      renderToFile(spec, path.join(folder, 'no-such', '..', 'points.csv'), {
        format: 'apng',
        workers: 1,
      }),
      dataError(),
    );
    const symbolic = path.join(folder, 'symbolic.csv');
    symlinkSync('points.csv', symbolic);
    await assert.rejects(
      renderToFile(spec, symbolic, { format: 'png', workers: 1 }),
      dataError(data),
    );
    const hard = path.join(folder, 'hard.csv');
    linkSync(data, hard);
    await assert.rejects(renderToFile(spec, hard, { format: 'html', workers: 1 }), dataError(data));
    await assert.rejects(renderToFile(spec, data, { format: 'frames', workers: 1 }), dataError());
  });

  it('refuses the spec file, and a frames folder that holds an input', async () => {
    await assert.rejects(
      renderToFile(spec, spec, { format: 'svg', workers: 1 }),
      outputPathError(/^Output path .*spec\.json is the spec file; writing the output there/),
    );
    await assert.rejects(
      renderToFile(spec, folder + path.sep, { workers: 1 }),
      outputPathError(
        /^Output folder .* holds the spec file \(.*spec\.json\); writing the frames there would replace it\. Choose another folder\.$/,
      ),
    );
  });

  it('refuses an image that an image mark shows', async () => {
    const imageSpec = path.join(folder, 'images.json');
    writeFileSync(
      imageSpec,
      JSON.stringify({
        data: { url: 'points.csv' },
        mark: { type: 'image', width: 8, height: 8 },
        encoding: {
          x: { field: 'x', type: 'quantitative' },
          y: { field: 'y', type: 'quantitative' },
          url: { field: 'img' },
          frame: { field: 't' },
        },
      }),
    );
    const image = path.join(folder, 'pic.png');
    await assert.rejects(
      renderToFile(imageSpec, image, { workers: 1 }),
      outputPathError(/is the image "pic\.png"; writing the output there would replace it/),
    );
    assert.equal(readFileSync(image, 'utf8'), 'not really a PNG');
  });

  it('the command line exits 2 with the message', async () => {
    const { code, stderr } = await mainOutput([
      'render',
      spec,
      '-o',
      data,
      '--format',
      'gif',
      '--workers',
      '1',
    ]);
    assert.equal(code, 2, stderr);
    assert.match(stderr, /^error: Output path .*points\.csv is the data file/);
  });
});
