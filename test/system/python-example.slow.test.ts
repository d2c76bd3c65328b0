/**
 * The Python path of docs/python.md: examples/python/render_altair.py pipes a spec dict to
 * the command (`render - -o - --format gif`) through subprocess and takes the bytes back.
 * The Altair example itself runs where python3 imports Altair (and pandas); the pipe runs
 * wherever python3 is, with dicts shaped as Altair's `to_dict()` makes them.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { decodeGif } from '../helpers/gif-decode.js';
import { decodePng } from '../helpers/golden.js';

const ROOT = new URL('../..', import.meta.url).pathname;
const EXAMPLES = path.join(ROOT, 'examples/python');
const tmp = mkdtempSync(path.join(tmpdir(), 'vf-python-'));
/** The command the example runs (render_altair.py reads VEGA_FRAMES). */
const VEGA_FRAMES = `${JSON.stringify(process.execPath)} ${JSON.stringify(path.join(ROOT, 'dist/cli/bin.js'))}`;

function python(args: string[], cwd = tmp) {
  const r = spawnSync('python3', args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, VEGA_FRAMES, PYTHONPATH: EXAMPLES },
  });
  return { code: r.status, out: r.stdout, err: r.stderr, missing: r.error !== undefined };
}

/** Why a test cannot run here, naming what is missing; undefined when it can. */
function lacking(modules: string[]): string | undefined {
  const r = python(['-c', modules.length ? `import ${modules.join(', ')}` : 'pass']);
  if (r.missing) return 'python3 is not on PATH';
  if (r.code !== 0) {
    const name = /No module named '([^']+)'/.exec(r.err)?.[1] ?? modules.join(', ');
    return `python3 cannot import ${name} (pip install altair pandas)`;
  }
  return undefined;
}

const ROWS = Array.from({ length: 6 }, (_, i) =>
  [
    ['A', 10, 60],
    ['B', 30, 70],
    ['C', 20, 65],
  ].map(([country, gdp, life]) => ({
    year: 2000 + i,
    country,
    gdp: (gdp as number) * 1.1 ** i,
    life: (life as number) + 0.4 * i,
  })),
).flat();

/** A dict as Altair 6's `to_dict()` makes it (inline data), with a frame channel added. */
const ALTAIR_SHAPED = {
  $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
  config: { view: { continuousWidth: 300, continuousHeight: 300 } },
  data: { name: 'data-8f1e0c3b2a1d4e5f' },
  mark: { type: 'circle', size: 200 },
  encoding: {
    color: { field: 'country', type: 'nominal' },
    x: { field: 'gdp', type: 'quantitative' },
    y: { field: 'life', scale: { zero: false }, type: 'quantitative' },
    frame: { field: 'year', type: 'ordinal' },
  },
  title: 'Year {frame}',
  datasets: { 'data-8f1e0c3b2a1d4e5f': ROWS },
};

/** Python that renders the JSON spec in `specFile` by render_altair.render(…) to `out`. */
const renderScript = (specFile: string, out: string, call = 'render(spec)') => `
import json, render_altair
from render_altair import render
spec = json.load(open(${JSON.stringify(specFile)}))
data = ${call}
assert data[:6] == b"GIF89a" or data[:8] == b"\\x89PNG\\r\\n\\x1a\\n" or data[:1] == b"<", data[:16]
open(${JSON.stringify(out)}, "wb").write(data)
print(len(data))
`;

function runRender(name: string, spec: unknown, call?: string) {
  const specFile = path.join(tmp, `${name}.json`);
  const out = path.join(tmp, `${name}.out`);
  writeFileSync(specFile, JSON.stringify(spec));
  const r = python(['-c', renderScript(specFile, out, call)]);
  assert.equal(r.code, 0, r.err);
  const bytes = readFileSync(out);
  assert.equal(Number(r.out.trim()), bytes.length);
  return bytes;
}

const noPython = lacking([]);

test(
  'python: a dict shaped as Altair makes it (datasets, $schema v6, config) renders through the pipe',
  { skip: noPython },
  () => {
    const gif = decodeGif(runRender('altair-shaped', ALTAIR_SHAPED));
    assert.equal(gif.frameCount, 6);
    // The view's continuousWidth/Height apply: a 300-pixel plot plus axes and legend.
    assert.ok(gif.width > 300 && gif.width < 420, String(gif.width));
    assert.ok(gif.height > 300 && gif.height < 380, String(gif.height));
  },
);

test(
  "python: Vega-Lite's time channel, one frame as PNG, options after the format",
  { skip: noPython },
  () => {
    const { frame, ...encoding } = ALTAIR_SHAPED.encoding;
    const spec = { ...ALTAIR_SHAPED, encoding: { ...encoding, time: frame } };
    const png = decodePng(runRender('time', spec, 'render(spec, "png", None, "--frame", "2")'));
    assert.ok(png.width > 300);
  },
);

test('python: the player as a fragment for a notebook, and as a page', { skip: noPython }, () => {
  const fragment = runRender('fragment', ALTAIR_SHAPED, 'render(spec, "html", None, "--fragment")');
  assert.match(fragment.toString('utf8'), /^<div class="vf-player"/);
  const page = runRender('page', ALTAIR_SHAPED, 'render(spec, "html")');
  assert.match(page.toString('utf8'), /^<!doctype html>/);
});

test("python: the json data transformer's files resolve in base", { skip: noPython }, () => {
  const work = path.join(tmp, 'notebook');
  mkdirSync(work);
  writeFileSync(path.join(work, 'altair-data-5b2c.json'), JSON.stringify(ROWS));
  const { datasets: _, ...rest } = ALTAIR_SHAPED;
  const spec = { ...rest, data: { url: 'altair-data-5b2c.json', format: { type: 'json' } } };
  const call = `render(spec, "gif", ${JSON.stringify(work)})`;
  assert.equal(decodeGif(runRender('json-files', spec, call)).frameCount, 6);
});

test(
  'python: a spec the command refuses raises with its message and JSON path',
  { skip: noPython },
  () => {
    const specFile = path.join(tmp, 'bad.json');
    writeFileSync(specFile, JSON.stringify({ ...ALTAIR_SHAPED, mark: 'circel' }));
    const r = python(['-c', renderScript(specFile, path.join(tmp, 'bad.out'))]);
    assert.notEqual(r.code, 0);
    assert.match(r.err, /RuntimeError: .*\$\.mark: "circel" is not allowed/);
  },
);

test(
  'python: the Altair example renders its chart',
  { skip: lacking(['altair', 'pandas']) },
  () => {
    const out = path.join(tmp, 'altair.gif');
    const r = python([path.join(EXAMPLES, 'render_altair.py'), out]);
    assert.equal(r.code, 0, r.err);
    assert.equal(decodeGif(out).frameCount, 6);
  },
);

test(
  'python: IPython shows the GIF as image/gif and the fragment as HTML',
  { skip: lacking(['IPython']) },
  () => {
    const specFile = path.join(tmp, 'ipython.json');
    writeFileSync(specFile, JSON.stringify(ALTAIR_SHAPED));
    const script = `
import json
from IPython.display import HTML, Image
from render_altair import render
spec = json.load(open(${JSON.stringify(specFile)}))
bundle = Image(data=render(spec), format="gif")._repr_mimebundle_()[0]
print(sorted(bundle), bundle["image/gif"][:8])
print(HTML(render(spec, "html", None, "--fragment").decode())._repr_html_()[:23])
`;
    const r = python(['-c', script]);
    assert.equal(r.code, 0, r.err);
    assert.equal(r.out, '[\'image/gif\'] R0lGODlh\n<div class="vf-player" \n');
  },
);
