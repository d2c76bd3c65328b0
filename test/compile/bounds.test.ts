/**
 * Bounds from a spec's own numbers: none for the specs users bring (every spec in specs/,
 * bench/ and the fixtures), the right path and sentence for each hostile number, timelines
 * counted before they are made, YAML aliases bounded by what they expand to, and the
 * supervisor's reading of its limits and of V8's fatal-error report.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import {
  specBoundViolations,
  binsByStep,
  binStepViolation,
  foldFactor,
} from '../../src/compile/bounds.js';
import { buildTimeline } from '../../src/compile/timeline.js';
import { resolveAnimation } from '../../src/compile/animation.js';
import { loadSpecFile, parseSpecText } from '../../src/spec/load.js';
import { DEFAULT_LIMITS, LimitError, formatBytes, parseByteSize } from '../../src/spec/limits.js';
import { budgetFrom, v8ReportFilter } from '../../src/cli/supervisor.js';
import { formatJsonPath } from '../../src/spec/errors.js';

const ROOT = new URL('../..', import.meta.url).pathname;
const specFiles = ['specs', 'bench', 'test/fixtures/good', 'test/fixtures/vega-lite'].flatMap((d) =>
  readdirSync(path.join(ROOT, d))
    .filter((f) => /\.(ya?ml|json)$/.test(f))
    .map((f) => path.join(ROOT, d, f)),
);

test('bounds: no spec of the gallery, the bench or the fixtures is refused', async () => {
  assert.ok(specFiles.length >= 20, `${specFiles.length} specs`);
  for (const file of specFiles) {
    const { spec } = await loadSpecFile(file);
    assert.deepEqual(specBoundViolations(spec, DEFAULT_LIMITS), [], file);
  }
});

const violations = (yaml: string) =>
  specBoundViolations(parseSpecText(yaml, 'x.yaml').spec, DEFAULT_LIMITS).map(
    (v) => `${formatJsonPath(v.path)}: ${v.message}`,
  );

test('bounds: each number that multiplies work is refused at its path', () => {
  const cases: [string, RegExp][] = [
    [
      'data: {sequence: {start: 0, stop: 5000001}}',
      /^\$\.data\.sequence: data\.sequence would make 5,000,001 rows, over the limit of 5,000,000/,
    ],
    [
      'data: {sequence: {start: 0, stop: 1, step: 0}}',
      /^\$\.data\.sequence: data\.sequence would make endless rows/,
    ],
    [
      'layer: [{data: {sequence: {start: 0, stop: 1e8}}, mark: point}]',
      /^\$\.layer\[0\]\.data\.sequence:/,
    ],
    [
      'transform: [{impute: y, key: x, keyvals: {start: 0, stop: 1e7}}]',
      /^\$\.transform\[0\]\.keyvals: impute\.keyvals would make 10,000,000 rows/,
    ],
    [
      'encoding: {y: {field: y, impute: {keyvals: {start: 0, stop: 1e7}}}}',
      /^\$\.encoding\.y\.impute\.keyvals:/,
    ],
    [
      'transform: [{density: x, maxsteps: 100001}]',
      /^\$\.transform\[0\]\.maxsteps: density maxsteps would make 100,001/,
    ],
    [
      'transform: [{quantile: x, step: 0.000001}]',
      /^\$\.transform\[0\]\.step: quantile step 0\.000001 would make 1,000,000/,
    ],
    [
      'transform: [{regression: y, on: x, method: poly, order: 1000}]',
      /^\$\.transform\[0\]\.order: a regression of order would make 1,000, more than the 100/,
    ],
    ['encoding: {x: {field: x, bin: {maxbins: 200000}}}', /^\$\.encoding\.x\.bin\.maxbins:/],
    [
      'transform: [{bin: {step: 0.001, extent: [0, 1000]}, field: x, as: b}]',
      /^\$\.transform\[0\]\.bin\.step: bin step 0\.001 over \[0, 1000\] would make 1,000,000/,
    ],
    [
      'config: {axis: {tickCount: 20000}}',
      /^\$\.config\.axis\.tickCount: tickCount would make 20,000/,
    ],
    ['width: 40000', /^\$\.width: width 40,000 is over 32,767 pixels/],
    ['padding: {top: 1e6}', /^\$\.padding\.top: padding 1,000,000 is over 32,767 pixels/],
    ['mark: {type: text, fontSize: 1e6}', /^\$\.mark\.fontSize: fontSize 1,000,000 is over/],
    ['config: {view: {strokeWidth: -1e6}}', /^\$\.config\.view\.strokeWidth:/],
    [`title: {text: "${'x'.repeat(100_001)}"}`, /^\$\.title\.text: a string of 100,001 characters/],
    ['data: {graticule: {step: [0.005, 0.005]}}', /^\$\.data\.graticule: .* would make 15,552,000/],
    [
      `repeat: {row: [${Array(40).fill('a').join(',')}], column: [${Array(26).fill('a').join(',')}]}`,
      /^\$\.repeat: repeat \(views\) would make 1,040/,
    ],
    [
      `repeat: {column: [${Array(20).fill('a').join(',')}]}\nspec: {repeat: {row: [${Array(20).fill('a').join(',')}]}, spec: {repeat: {layer: [${Array(20).fill('a').join(',')}]}, spec: {mark: point}}}`,
      /^\$: the spec makes 8,000 views \(its repeats, concats and layers multiplied\)/,
    ],
    [
      `hconcat: [${Array(30)
        .fill(`{vconcat: [${Array(40).fill('{mark: point}').join(',')}]}`)
        .join(',')}]`,
      /^\$: the spec makes 1,200 views/,
    ],
  ];
  for (const [yaml, expected] of cases) {
    const found = violations(yaml);
    assert.equal(found.length, 1, `${yaml.slice(0, 80)}: ${found.join('; ')}`);
    assert.match(found[0], expected);
  }
});

test('bounds: ordinary numbers, data strings and the same sizes at the bound pass', () => {
  for (const yaml of [
    'data: {sequence: {start: 0, stop: 5000000}}',
    'transform: [{density: x, steps: 100000}]',
    'encoding: {x: {field: x, bin: {maxbins: 100000}}}',
    'width: 32767\npadding: 32767',
    `data: {values: [{s: "${'x'.repeat(200_000)}"}]}`,
    `datasets: {d: [{s: "${'x'.repeat(200_000)}"}]}`,
    'config: {axis: {tickCount: {interval: day, step: 1}}}',
    `repeat: {row: [${Array(40).fill('a').join(',')}], column: [${Array(25).fill('a').join(',')}]}`,
  ])
    assert.deepEqual(violations(yaml), [], yaml.slice(0, 80));
});

test('bounds: what the data sizes (bins by step, folds) is found and sized', () => {
  const spec = parseSpecText(
    'transform: [{fold: [a, b, c]}, {fold: [key, value]}]\nencoding: {x: {field: v, bin: {step: 0.5}}}',
  ).spec;
  assert.equal(foldFactor(spec), 6);
  const [bin] = binsByStep(spec);
  assert.deepEqual(bin, { path: ['encoding', 'x', 'bin', 'step'], field: 'v', step: 0.5 });
  assert.equal(binStepViolation(bin, 0, 50_000), undefined);
  assert.match(binStepViolation(bin, 0, 50_001)!.message, /would make 100,002 bins/);
});

test('timeline: frames fitted to nframes match a count one in-between at a time', () => {
  // The fit is arithmetic; this is the search it replaces.
  const bySearch = (d: number, target: number, rewind: boolean, loop: boolean) => {
    const total = (inb: number) => (rewind ? 2 * (d + inb) - (loop ? 2 : 1) : d + inb);
    let inb = 0;
    while (total(inb + 1) <= target) inb++;
    return inb;
  };
  for (const d of [2, 3, 7])
    for (const rewind of [false, true])
      for (const loop of [false, true])
        for (let target = rewind ? 2 * d : d; target < 40; target++) {
          const frames = buildTimeline(
            d,
            resolveAnimation({ nframes: target, rewind, loop } as never),
          );
          const inb = bySearch(d, target, rewind, loop);
          const expected = rewind ? 2 * (d + inb) - (loop ? 2 : 1) : d + inb;
          assert.equal(
            frames.length,
            expected,
            `d=${d} nframes=${target} rewind=${rewind} loop=${loop}`,
          );
        }
});

test('timeline: its length, holds and pauses included, is refused before it is made', () => {
  const a = resolveAnimation({ tween: { frames: 999 } } as never);
  assert.equal(buildTimeline(10, a).length, 10 + 9 * 999);
  assert.throws(
    () => buildTimeline(11, a),
    (e: Error) =>
      e instanceof LimitError &&
      /is 10,001 frames long at 10 fps .* over the limit of 10,000; raise it with --max-frames/.test(
        e.message,
      ),
  );
  assert.throws(
    () => buildTimeline(2, resolveAnimation({ nframes: 1e9 } as never)),
    /1,000,000,000 frames long/,
  );
  assert.throws(
    () => buildTimeline(2, resolveAnimation({ pause: { end: 1000 } } as never)),
    /10,002 frames long at 10 fps \(2 frames, with 1,000 s of holds and pauses\)/,
  );
  assert.equal(
    buildTimeline(2, resolveAnimation({ pause: { end: 1000 } } as never), 20_000).length,
    2,
  );
});

test('YAML: aliases are bounded by what they expand to, and ordinary anchors still read', () => {
  const spec = parseSpecText(
    'x: &p {field: a, type: quantitative}\nencoding: {x: *p, y: *p}\n',
  ).spec;
  assert.deepEqual((spec.encoding as Record<string, unknown>).y, {
    field: 'a',
    type: 'quantitative',
  });
  const levels = ['a: &a [' + Array(10).fill('"lol"').join(',') + ']'];
  for (let i = 1; i < 7; i++) {
    const [name, previous] = ['abcdefg'[i], 'abcdefg'[i - 1]];
    levels.push(`${name}: &${name} [${Array(10).fill(`*${previous}`).join(',')}]`);
  }
  assert.throws(
    () => parseSpecText(levels.join('\n'), 'bomb.yaml'),
    (e: Error & { line?: number }) =>
      /aliases expand it to over 2,000,000 nodes/.test(e.message) && e.line === 7,
  );
  const text = `s: &s "${'x'.repeat(1 << 20)}"\nt: [${Array(70).fill('*s').join(',')}]`;
  assert.throws(() => parseSpecText(text), /or 64 MiB of text/);
});

test('supervisor: limits read from the arguments, sizes as people write them', () => {
  assert.deepEqual(
    budgetFrom(['render', 's.yaml', '-o', 'a.gif', '--max-memory', '1.5g', '--timeout=30']),
    {
      maxMemoryBytes: 1.5 * 2 ** 30,
      stallSeconds: 60,
      timeoutSeconds: 30,
      outputs: ['a.gif'],
    },
  );
  assert.equal(
    budgetFrom(['render', 's.yaml', '--max-memory', 'lots']).maxMemoryBytes,
    DEFAULT_LIMITS.maxMemoryBytes,
  );
  assert.equal(budgetFrom(['render', 's.yaml', '--', '--timeout', '3']).timeoutSeconds, Infinity);
  assert.equal(parseByteSize('512m'), 512 * 2 ** 20);
  assert.equal(parseByteSize('1536MiB'), 1536 * 2 ** 20);
  assert.equal(parseByteSize('4096'), 4096);
  assert.throws(() => parseByteSize('-1g'), /is not a size/);
  assert.throws(() => parseByteSize('2 parsecs'), /is not a size/);
  assert.equal(formatBytes(1.5 * 2 ** 30), '1.5 GiB');
  assert.equal(formatBytes(600 * 2 ** 20), '600 MiB');
});

test("supervisor: V8's fatal-error report is held back, the rest passed on whole", async () => {
  let shown = '';
  const filter = v8ReportFilter((t) => (shown += t));
  filter.write('rendering frame 3\nwarning: x\n');
  filter.write('\n<--- Last few GCs --->\n\n[1:0x1]  5 ms: Scavenge');
  filter.write('FATAL ERROR: invalid table size\n 1: 0xb78db3 node::OOMErrorHandler');
  assert.equal(filter.sawFatalReport(), true);
  assert.equal(shown, 'rendering frame 3\nwarning: x\n\n');
  // Held, not lost: VF_DEBUG=1 shows it.
  assert.equal(
    filter.heldReport(),
    '<--- Last few GCs --->\n\n[1:0x1]  5 ms: ScavengeFATAL ERROR: invalid table size\n 1: 0xb78db3 node::OOMErrorHandler',
  );

  let plain = '';
  const passing = v8ReportFilter((t) => (plain += t));
  const text = 'error: at $.x: a sentence, split <--- not a marker\n'.repeat(3);
  for (let i = 0; i < text.length; i += 7) passing.write(text.slice(i, i + 7));
  assert.equal(passing.sawFatalReport(), false);
  assert.equal(plain, text);
  // A marker split between two chunks is still found.
  let split = '';
  const splitting = v8ReportFilter((t) => (split += t));
  splitting.write('ok\n<--- Last few');
  splitting.write(' GCs --->\nheap');
  assert.equal(splitting.sawFatalReport(), true);
  assert.equal(split, 'ok\n');
});

test('spec depth: nesting past 100 levels is refused before anything recurses into it', () => {
  const nested = (depth: number) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
  assert.doesNotThrow(() =>
    parseSpecText(`{"mark": "point", "usermeta": ${nested(90)}}`, 'ok.json'),
  );
  for (const depth of [150, 2_000, 100_000])
    assert.throws(
      () => parseSpecText(`{"mark": "point", "usermeta": ${nested(depth)}}`, 'deep.json'),
      /the spec nests deeper than 100 levels of objects and arrays/,
    );
  assert.throws(
    () => parseSpecText(`mark: point\nusermeta: ${'['.repeat(100_000)}`, 'deep.yaml'),
    /nests deeper than 100/,
  );
  // Indented YAML blocks nest without brackets.
  const block = Array.from({ length: 150 }, (_, i) => `${' '.repeat(i)}a:`).join('\n') + ' 1';
  assert.throws(
    () => parseSpecText(`mark: point\nusermeta:\n${block.replace(/^/gm, '  ')}`, 'b.yaml'),
    /nests deeper than 100/,
  );
  // Apostrophes in plain scalars open no string past their line.
  const lines = Array.from({ length: 300 }, (_, i) => `  - [x${i}, Driver's age]`).join('\n');
  assert.doesNotThrow(() => parseSpecText(`mark: point\nusermeta:\n${lines}`, 'q.yaml'));
});
