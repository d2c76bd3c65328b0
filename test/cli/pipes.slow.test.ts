/**
 * The command in pipes and scripts: a spec on stdin (`-`), the output on stdout (`-o -`),
 * progress on a stderr that is not a terminal, --help's groups, info's access flags, and a
 * Python script driving it through subprocess.run.
 */
import { spawn, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeGif } from '../helpers/gif-decode.js';
import { decodePng } from '../helpers/golden.js';

const ROOT = new URL('../..', import.meta.url).pathname;
const CLI = path.join(ROOT, 'dist/cli/bin.js');
const tmp = mkdtempSync(path.join(tmpdir(), 'vf-pipes-'));

// A folder with data below it; the spec names the data relative to the folder.
const work = path.join(tmp, 'work');
mkdirSync(path.join(work, 'data'), { recursive: true });
writeFileSync(
  path.join(work, 'data/points.csv'),
  'x,y,t\n' +
    Array.from({ length: 30 }, (_, i) => `${i % 10},${(i * 7) % 11},${Math.floor(i / 10)}`).join(
      '\n',
    ),
);
// The tooltip names a field the data lacks: a warning, which must stay on stderr.
const SPEC = `data: {url: data/points.csv}
mark: point
width: 120
height: 90
encoding:
  x: {field: x, type: quantitative}
  y: {field: y, type: quantitative}
  tooltip: {field: yy}
  frame: {field: t}
animation: {fps: 10}
`;
writeFileSync(path.join(work, 'spec.yaml'), SPEC);

function run(
  args: string[],
  options: { input?: string; cwd?: string; env?: NodeJS.ProcessEnv } = {},
) {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd: options.cwd ?? work,
    input: options.input,
    env: { ...process.env, ...options.env },
    maxBuffer: 64 << 20,
  });
  return { code: r.status, out: r.stdout, err: r.stderr.toString('utf8') };
}

test('a spec on stdin: relative data in the working folder, or in --base', () => {
  const here = run(['render', '-', '-o', path.join(tmp, 'stdin.gif'), '-q'], { input: SPEC });
  assert.equal(here.code, 0, here.err);
  assert.equal(decodeGif(path.join(tmp, 'stdin.gif')).frameCount, 3);
  const elsewhere = run(['render', '-', '--base', work, '-o', path.join(tmp, 'base.gif'), '-q'], {
    input: SPEC,
    cwd: tmp,
  });
  assert.equal(elsewhere.code, 0, elsewhere.err);
  assert.ok(
    readFileSync(path.join(tmp, 'base.gif')).equals(readFileSync(path.join(tmp, 'stdin.gif'))),
  );
  // Without --base the working folder holds no data/points.csv: the error names the file.
  const missing = run(['render', '-', '-o', path.join(tmp, 'never.gif')], {
    input: SPEC,
    cwd: tmp,
  });
  assert.equal(missing.code, 2);
  assert.match(missing.err, /points\.csv/);
  // Errors in a piped spec keep their line:col.
  const bad = run(['render', '-', '-o', path.join(tmp, 'never.gif')], {
    input: SPEC.replace('mark: point', 'mark: pointt'),
  });
  assert.equal(bad.code, 2);
  assert.match(bad.err, /^<stdin>:2:1 \$\.mark: "pointt" is not allowed/);
  assert.equal(existsSync(path.join(tmp, 'never.gif')), false);
  // info and validate read stdin alike.
  const info = run(['info', '-'], { input: SPEC });
  assert.equal(info.code, 0, info.err);
  assert.match(info.out.toString(), /frames: 3 /);
  const valid = run(['validate', '-'], { input: SPEC });
  assert.equal(valid.out.toString(), '<stdin>: valid\n');
});

test('-o - writes exactly the file’s bytes to stdout (GIF, PNG, HTML); warnings go to stderr', () => {
  for (const [format, extra] of [
    ['gif', ['--workers', '2']],
    ['png', ['--frame', '2']],
    ['html', []],
    ['svg', ['--frame', '1']],
  ] as const) {
    const file = path.join(tmp, `file.${format}`);
    const toFile = run(['render', 'spec.yaml', '-o', file, ...extra]);
    assert.equal(toFile.code, 0, toFile.err);
    const piped = run(['render', 'spec.yaml', '-o', '-', '--format', format, ...extra]);
    assert.equal(piped.code, 0, piped.err);
    assert.ok(piped.out.equals(readFileSync(file)), `${format}: stdout holds the file's bytes`);
    assert.match(piped.err, /^warning: .*"yy" is not a field of "data\/points\.csv"/m, format);
    assert.match(piped.err, /^stdout: \d+ frames? in /m);
  }
  const gif = decodeGif(
    new Uint8Array(run(['render', 'spec.yaml', '-o', '-', '--format', 'gif', '-q']).out),
  );
  assert.equal(gif.frameCount, 3);
  assert.deepEqual(gif.delaysCs, [10, 10, 10]);
  const png = decodePng(
    run(['render', 'spec.yaml', '-o', '-', '--format', 'png', '--scale', '2']).out,
  );
  const small = decodePng(readFileSync(path.join(tmp, 'file.png')));
  assert.deepEqual([png.width, png.height], [small.width * 2, small.height * 2]);
  const devStdout = run(['render', 'spec.yaml', '-o', '/dev/stdout', '--format', 'gif', '-q']);
  assert.equal(devStdout.code, 0, devStdout.err);
  assert.ok(devStdout.out.equals(readFileSync(path.join(tmp, 'file.gif'))), '/dev/stdout is -');
  // Both ends piped; nothing left in the temp folder.
  const both = run(['render', '-', '-o', '-', '--format', 'gif', '-q'], { input: SPEC });
  assert.equal(both.code, 0, both.err);
  assert.equal(decodeGif(new Uint8Array(both.out)).frameCount, 3);
  assert.deepEqual(
    readdirSync(tmpdir()).filter((n) => n.startsWith('vf-stdout-')),
    [],
  );
});

test('-o - needs --format and a single file; a failed render writes nothing to stdout', () => {
  const none = run(['render', 'spec.yaml', '-o', '-']);
  assert.equal(none.code, 2);
  assert.match(
    none.err,
    /-o - writes to stdout, which has no extension to tell the format: add --format/,
  );
  const frames = run(['render', 'spec.yaml', '-o', '-', '--format', 'frames']);
  assert.equal(frames.code, 2);
  assert.match(frames.err, /PNG frames are a folder of files and cannot go to stdout/);
  const failed = run(['render', 'spec.yaml', '-o', '-', '--format', 'gif', '--max-frames', '2']);
  assert.equal(failed.code, 2);
  assert.equal(failed.out.length, 0);
});

test('-o - interrupted: exit 143, nothing on stdout, no temp folder left', async () => {
  const spec = path.join(ROOT, 'specs/umap-epochs.yaml');
  const before = new Set(readdirSync(tmpdir()).filter((n) => n.startsWith('vf-stdout-')));
  const child = spawn(
    process.execPath,
    [CLI, 'render', spec, '-o', '-', '--format', 'gif', '--workers', '1'],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, VF_PROGRESS_INTERVAL: '0' },
    },
  );
  let out = 0;
  child.stdout.on('data', (c: Buffer) => (out += c.length));
  // Kill once frames are rendering (a progress line).
  await new Promise<void>((resolve) =>
    child.stderr.on('data', (c: Buffer) => {
      if (c.toString().includes('progress:')) resolve();
    }),
  );
  child.kill('SIGTERM');
  const code = await new Promise<number | null>((r) => child.on('close', r));
  assert.equal(code, 143);
  assert.equal(out, 0);
  const left = readdirSync(tmpdir()).filter((n) => n.startsWith('vf-stdout-') && !before.has(n));
  assert.deepEqual(left, []);
});

test('-o -: a render process killed outright leaves no temp folder (its supervisor removes it)', async () => {
  const spec = path.join(ROOT, 'specs/umap-epochs.yaml');
  const supervisor = spawn(
    process.execPath,
    [CLI, 'render', spec, '-o', '-', '--format', 'gif', '--workers', '1'],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, VF_PROGRESS_INTERVAL: '0' } },
  );
  let out = 0;
  supervisor.stdout.on('data', (c: Buffer) => (out += c.length));
  await new Promise<void>((resolve) =>
    supervisor.stderr.on('data', (c: Buffer) => {
      if (c.toString().includes('progress:')) resolve();
    }),
  );
  const child = Number(
    spawnSync('pgrep', ['-P', String(supervisor.pid)], { encoding: 'utf8' }).stdout.trim(),
  );
  const ofChild = () => readdirSync(tmpdir()).filter((n) => n.startsWith(`vf-stdout-${child}-`));
  assert.equal(ofChild().length, 1, 'the render writes in its private folder');
  process.kill(child, 'SIGKILL');
  const code = await new Promise<number | null>((r) => supervisor.on('close', r));
  assert.notEqual(code, 0);
  assert.equal(out, 0);
  assert.deepEqual(ofChild(), []);
});

test('progress off a terminal: a line at the interval; --progress json: one object a line', () => {
  const lines = run(['render', 'spec.yaml', '-o', path.join(tmp, 'p.gif'), '--workers', '1'], {
    env: { VF_PROGRESS_INTERVAL: '0' },
  });
  assert.equal(lines.code, 0, lines.err);
  const progress = lines.err.split('\n').filter((l) => l.startsWith('progress: '));
  assert.deepEqual(
    progress.map((l) => /^progress: (\d+)\/3 frames \(\d+%\) in [\d.]+ s/.exec(l)?.[1]),
    ['1', '2', '3'],
  );
  // A render shorter than the interval prints its summary only.
  const quietly = run(['render', 'spec.yaml', '-o', path.join(tmp, 'p.gif')], {
    env: { VF_PROGRESS_INTERVAL: '600' },
  });
  assert.doesNotMatch(quietly.err, /progress:/);
  const json = run(
    ['render', 'spec.yaml', '-o', path.join(tmp, 'p.gif'), '--workers', '1', '--progress', 'json'],
    { env: { VF_PROGRESS_INTERVAL: '0' } },
  );
  assert.equal(json.code, 0, json.err);
  const events = json.err
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  assert.deepEqual(
    events.filter((e) => e.event === 'progress').map((e) => [e.done, e.total]),
    [
      [1, 3],
      [2, 3],
      [3, 3],
    ],
  );
  assert.match(String(events.find((e) => e.event === 'warning')?.message), /"yy" is not a field/);
  const done = events.at(-1)!;
  assert.equal(done.event, 'done');
  assert.equal(done.frames, 3);
  assert.equal(typeof done.seconds, 'number');
  const bad = run(['render', 'spec.yaml', '-o', path.join(tmp, 'p.gif'), '--progress', 'xml']);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /--progress "xml" is not auto, lines, json/);
});

test('--help groups options and shows an example per command; COMMAND --help its own', () => {
  const help = run(['--help']);
  assert.equal(help.code, 0);
  const text = help.out.toString();
  const sections = text.split('\n').filter((l) => /^[A-Z][^:]*:$/.test(l));
  assert.ok(sections.includes('Reading data:') && sections.includes('Examples:'), sections.join());
  for (const command of ['render', 'validate', 'schema', 'info', 'join'])
    assert.match(text, new RegExp(`\\$ vega-frames ${command} `));
  const render = run(['render', '--help']).out.toString();
  assert.match(render, /--progress MODE/);
  assert.doesNotMatch(render, /\$ vega-frames join/);
  assert.equal(run(['help', 'info']).out.toString(), run(['info', '--help']).out.toString());
  const wrong = run(['info', 'spec.yaml', '--fps', '3']);
  assert.equal(wrong.code, 2);
  assert.match(wrong.err, /unknown option --fps for info \(render/);
});

test('info takes --allow-read and --base as render does, and lists each source once', () => {
  const inner = path.join(tmp, 'inner');
  mkdirSync(inner, { recursive: true });
  // Two layers read one file outside the spec's folder.
  const spec = path.join(inner, 'layers.yaml');
  writeFileSync(
    spec,
    `data: {url: ../work/data/points.csv}
layer:
  - mark: point
  - mark: line
encoding:
  x: {field: x, type: quantitative}
  y: {field: y, type: quantitative}
  frame: {field: t}
`,
  );
  const refused = run(['info', spec]);
  assert.equal(refused.code, 2);
  assert.match(refused.err, /allow it with --allow-read DIR or set --base/);
  const allowed = run(['info', spec, '--allow-read', work]);
  assert.equal(allowed.code, 0, allowed.err);
  const sources = allowed.out
    .toString()
    .split('\n')
    .filter((l) => l.startsWith('data '));
  assert.deepEqual(sources, [
    'data ../work/data/points.csv: 30 rows, partitioned by frame, 0.0 MiB of columns',
  ]);
  // With --base, relative URLs resolve in it, and it is the folder data may come from.
  const relative = path.join(inner, 'relative.yaml');
  writeFileSync(relative, readFileSync(spec, 'utf8').replace('../work/data/', 'data/'));
  const based = run(['info', relative, '--base', work]);
  assert.equal(based.code, 0, based.err);
  assert.match(based.out.toString(), /frames: 3 .*\n(.*\n)*data data\/points\.csv: 30 rows/);
});

test('-o into folders that do not exist makes them', () => {
  const deep = path.join(tmp, 'new/2024/out.gif');
  const r = run(['render', 'spec.yaml', '-o', deep, '-q']);
  assert.equal(r.code, 0, r.err);
  assert.equal(decodeGif(deep).frameCount, 3);
});

const python = spawnSync('python3', ['--version']).status === 0;
test(
  'Python: subprocess.run with the spec as input gets the GIF bytes and the warnings apart',
  { skip: python ? false : 'python3 is not installed: the subprocess check needs it' },
  () => {
    const script = `
import subprocess, sys, json
spec = open(sys.argv[2]).read()
r = subprocess.run(["${process.execPath}", sys.argv[1], "render", "-", "-o", "-", "--format", "gif", "--base", sys.argv[3]],
                   input=spec.encode(), capture_output=True)
print(json.dumps({"code": r.returncode, "head": r.stdout[:6].decode("latin-1"), "size": len(r.stdout),
                  "width": int.from_bytes(r.stdout[6:8], "little"), "stderr": r.stderr.decode()}))
`;
    const r = spawnSync('python3', ['-c', script, CLI, path.join(work, 'spec.yaml'), work], {
      encoding: 'utf8',
    });
    assert.equal(r.status, 0, r.stderr);
    const got = JSON.parse(r.stdout) as {
      code: number;
      head: string;
      size: number;
      width: number;
      stderr: string;
    };
    assert.equal(got.code, 0, got.stderr);
    assert.equal(got.head, 'GIF89a');
    assert.equal(got.size, readFileSync(path.join(tmp, 'file.gif')).length);
    assert.equal(got.width, decodeGif(path.join(tmp, 'file.gif')).width);
    assert.match(got.stderr, /warning: .*"yy"/);
  },
);
