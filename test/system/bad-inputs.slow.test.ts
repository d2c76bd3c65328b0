/**
 * Bad input, one row each: the files, the command, the exit code and the message the user
 * sees (exactly the part that matters). No stack traces; nothing written.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const ROOT = new URL('../..', import.meta.url).pathname;
const CLI = path.join(ROOT, 'dist/cli/bin.js');
const BAD = path.join(ROOT, 'test/fixtures/bad');
const dir = mkdtempSync(path.join(tmpdir(), 'vf-bad-'));

const files: Record<string, string | Buffer> = {
  'ok.csv': 'x,y,t\n0,0,0\n1,2,1\n2,4,0\n3,6,1\n',
  'empty.csv': 'x,y,t\n',
  'nan.csv': 'x,y,t\n1,2,0\nNaN,3,1\n2,4,\n',
  'truncated.csv': 'x,y,t\n1,2,0\n3,"4\n',
  'truncated.json': '{"a": [1, 2',
  'fake.csv': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  'utf16.csv': Buffer.from('\ufeffx,y\n1,2\n', 'utf16le'),
  'ok.yaml':
    'data: {url: ok.csv}\nmark: point\nencoding: {x: {field: x, type: quantitative}, frame: {field: t}}\n',
};
const spec = (name: string, body: string) => (files[name] = body);
const point = 'data: {url: ok.csv}\nmark: point\n';
spec('unknown-channel.yaml', point + 'encoding: {colr: {field: x}}');
spec('unknown-property.yaml', point + 'encoding: {x: {field: x, type: quantitative, scal: {}}}');
spec('frame-missing-field.yaml', point + 'encoding: {frame: {field: epoch}}');
spec('wrong-type.yaml', point + 'width: "wide"');
spec('empty-data.yaml', 'data: {url: empty.csv}\nmark: point\nencoding: {frame: {field: t}}');
spec('fps-zero.yaml', point + 'animation: {fps: 0}');
spec('fps-negative.yaml', point + 'animation: {fps: -3}');
spec('fps-huge.yaml', point + 'animation: {fps: 1000}');
spec('huge-width.yaml', point + 'width: 100000\nheight: 100000');
spec('truncated-csv.yaml', 'data: {url: truncated.csv}\nmark: point');
spec('truncated-json.yaml', 'data: {url: truncated.json}\nmark: point');
spec('binary-as-csv.yaml', 'data: {url: fake.csv}\nmark: point');
spec('utf16-csv.yaml', 'data: {url: utf16.csv}\nmark: point');
spec('missing-file.yaml', 'data: {url: nope.csv}\nmark: point');
spec('abs-path.yaml', 'data: {url: /etc/passwd}\nmark: point');
spec('dotdot.yaml', 'data: {url: ../../etc/passwd}\nmark: point');
spec('http-url.yaml', 'data: {url: "https://example.com/a.csv"}\nmark: point');
spec('file-url.yaml', 'data: {url: "file:///etc/passwd"}\nmark: point');
spec('link-out.yaml', 'data: {url: passwd.csv}\nmark: point');
spec('bad-expr.yaml', point + 'transform: [{calculate: "process.exit(1)", as: p}]');
spec('syntax-expr.yaml', point + 'transform: [{calculate: "datum.x +* 2", as: p}]');
spec('unknown-format.yaml', 'data: {url: ok.csv, format: {type: parquet}}\nmark: point');
spec('frame-param-clash.yaml', point + 'params: [{name: frame, value: 1}]');
spec('unknown-mark.yaml', 'data: {url: ok.csv}\nmark: pointt');
spec('not-object.yaml', '- 1\n- 2');
spec('empty-file.yaml', '');
spec('loop-negative.yaml', point + 'animation: {loop: -1}');
spec('pause-negative.yaml', point + 'animation: {pause: {start: -1}}');
spec('columns-zero.yaml', point + 'animation: {columns: 0}');
spec('frame-type.yaml', point + 'encoding: {frame: {field: t, type: geojson}}');
spec('frame-bin-bad.yaml', point + 'encoding: {frame: {field: t, bin: {maxbins: 0}}}');
spec('timeunit-bad.yaml', point + 'encoding: {frame: {field: t, timeUnit: fortnight}}');
// Field names Vega reads as paths, or mistakes for properties of every object.
spec('field-quote.yaml', point + `encoding: {y: {field: "a'b", type: quantitative}}`);
spec('field-bracket.yaml', point + "encoding: {y: {field: 'a[\"b', type: quantitative}}");
spec('field-empty.yaml', point + "encoding: {y: {field: '', type: quantitative}}");
spec('field-constructor.yaml', point + 'encoding: {color: {field: constructor}}');
spec('frame-proto.yaml', point + 'encoding: {frame: {field: __proto__}}');
spec('expr-tostring.yaml', point + `transform: [{calculate: "datum['toString']", as: s}]`);
spec(
  'repeat-quote.yaml',
  'data: {url: ok.csv}\nrepeat: [x, "a\'b"]\nspec: {mark: point, encoding: {x: {field: {repeat: repeat}, type: quantitative}}}',
);
spec('field-huge.yaml', point + `encoding: {y: {field: "${'a'.repeat(50_000)}'"}}`);
// What Vega-Lite draws without a word: a field the data lacks, a placeholder, a format, a
// signal or a function nothing defines.
spec(
  'field-typo.yaml',
  point + 'encoding: {x: {field: xx, type: quantitative}, frame: {field: t}}',
);
spec('template-typo.yaml', point + 'title: "step {frme}"\nencoding: {frame: {field: t}}');
spec(
  'format-typo.yaml',
  point + 'encoding: {x: {field: x, type: quantitative, axis: {format: ".9z"}}}',
);
spec('signal-typo.yaml', point + 'transform: [{filter: "datum.x < frme"}]');
spec('function-typo.yaml', point + 'transform: [{calculate: "tostring(datum.x)", as: s}]');
// What a GIF cannot hold, and a canvas there is no memory for.
spec('fps-tiny.yaml', point + 'encoding: {frame: {field: t}}\nanimation: {fps: 0.001}');
spec('loop-huge.yaml', point + 'animation: {loop: 100000}');
spec('canvas-huge.yaml', point + 'width: 30000\nheight: 30000');
// Malformed files: each a sentence naming the file (generated here, not committed).
const npy = (shape: string, major = 1) => {
  const header = `{'descr': '<f8', 'fortran_order': False, 'shape': ${shape}, }`.padEnd(117) + '\n';
  const head = Buffer.from(`\x93NUMPY${String.fromCharCode(major)}\x00\x76\x00`, 'latin1');
  return Buffer.concat([head, Buffer.from(header, 'latin1'), Buffer.alloc(48)]);
};
files['neg.npy'] = npy('(-1,)');
files['v9.npy'] = npy('(6,)', 9);
files['empty.arrow'] = Buffer.alloc(0);
files['cut.parquet'] = Buffer.concat([Buffer.from('PAR1'), Buffer.alloc(4092, 7)]);
files['wide-header.csv'] = `${'h'.repeat(1_000_000)},t\n1,0\n`;
spec('npy-neg.yaml', 'data: {url: neg.npy}\nmark: point');
spec('npy-version.yaml', 'data: {url: v9.npy}\nmark: point');
spec('arrow-empty.yaml', 'data: {url: empty.arrow}\nmark: point');
spec('parquet-cut.yaml', 'data: {url: cut.parquet}\nmark: point');
spec(
  'header-huge.yaml',
  'data: {url: wide-header.csv}\nmark: point\nencoding: {frame: {field: epoch}}',
);
for (const [name, body] of Object.entries(files)) writeFileSync(path.join(dir, name), body);
// A link inside the folder to a file outside it (made here: a checkout holds no links).
symlinkSync('/etc/passwd', path.join(dir, 'passwd.csv'));

const at = (f: string) => path.join(dir, f);
const fixture = (f: string) => path.join(BAD, f);
const render = (f: string, ...args: string[]) => ['render', at(f), '-o', at('out.gif'), ...args];

/** [what, argv, exit code, message]. */
const cases: [string, string[], number, RegExp][] = [
  // The spec file itself
  [
    'YAML syntax error',
    ['render', fixture('yaml-syntax.yaml'), '-o', at('out.gif')],
    2,
    /yaml-syntax\.yaml:5:3 \$: YAML syntax error: Flow map/,
  ],
  [
    'duplicate YAML key',
    ['render', fixture('duplicate-key.yaml'), '-o', at('out.gif')],
    2,
    /duplicate-key\.yaml:5:1 \$\.mark: duplicate key "mark"/,
  ],
  [
    'JSON syntax error',
    ['render', fixture('broken.json'), '-o', at('out.gif')],
    2,
    /broken\.json:6:3 \$: JSON syntax error/,
  ],
  [
    'a spec that is an array',
    render('not-object.yaml'),
    2,
    /\$: the spec is an array; expected an object with a mark, layer or concat/,
  ],
  ['an empty spec file', render('empty-file.yaml'), 2, /\$: the spec is empty/],
  ['spec file missing', ['render', at('nope.yaml'), '-o', at('out.gif')], 2, /nope\.yaml/],
  // Schema
  [
    'unknown channel',
    render('unknown-channel.yaml'),
    2,
    /:3:12 \$\.encoding\.colr: unknown property "colr" \(did you mean "color"\?\)/,
  ],
  [
    'unknown property',
    render('unknown-property.yaml'),
    2,
    /\$\.encoding\.x\.scal: unknown property "scal"; expected one of .*\(did you mean "scale"\?\)/,
  ],
  [
    'unknown mark',
    render('unknown-mark.yaml'),
    2,
    /\$\.mark: "pointt" is not allowed; .*\(did you mean "point"\?\)/,
  ],
  [
    'wrong type',
    render('wrong-type.yaml'),
    2,
    /\$\.width: "wide" is not allowed; expected "container"/,
  ],
  [
    'fps 0',
    render('fps-zero.yaml'),
    2,
    /\$\.animation\.fps: 0 is out of range; expected a number > 0/,
  ],
  ['negative fps', render('fps-negative.yaml'), 2, /\$\.animation\.fps: -3 is out of range/],
  [
    'fps over 100',
    render('fps-huge.yaml'),
    2,
    /\$\.animation\.fps: 1000 is out of range; expected a number <= 100/,
  ],
  [
    'negative loop',
    render('loop-negative.yaml'),
    2,
    /\$\.animation\.loop: -1 is out of range; expected a number >= 1/,
  ],
  [
    'negative pause',
    render('pause-negative.yaml'),
    2,
    /\$\.animation\.pause\.start: -1 is out of range; expected a number >= 0/,
  ],
  ['0 columns', render('columns-zero.yaml'), 2, /\$\.animation\.columns: 0 is out of range/],
  [
    'unknown frame type',
    render('frame-type.yaml'),
    2,
    /\$\.encoding\.frame\.type: "geojson" is not allowed/,
  ],
  [
    '0 bins',
    render('frame-bin-bad.yaml'),
    2,
    /\$\.encoding\.frame\.bin\.maxbins: 0 is out of range/,
  ],
  [
    'unknown data format',
    render('unknown-format.yaml'),
    2,
    /\$\.data\.format\.type: "parquet" is not allowed/,
  ],
  // Compile
  [
    'frame on a missing field',
    render('frame-missing-field.yaml'),
    2,
    /error at \$\.encoding\.frame\.field: encoding\.frame\.field "epoch" is not a field of "ok\.csv"; its fields are "x", "y", "t"/,
  ],
  [
    'unknown time unit',
    render('timeunit-bad.yaml'),
    2,
    /error at \$\.encoding\.frame\.timeUnit: encoding\.frame\.timeUnit "fortnight" is not a Vega-Lite time unit/,
  ],
  [
    'a param named frame',
    render('frame-param-clash.yaml'),
    2,
    /error at \$\.params: .*"frame" is a name vega-frames defines/,
  ],
  [
    'expression reaching Node',
    render('bad-expr.yaml'),
    2,
    /error at \$\.transform\[0\]\.calculate: the expression "process\.exit\(1\)" is not allowed/,
  ],
  [
    'expression syntax error',
    render('syntax-expr.yaml'),
    2,
    /error at \$\.transform\[0\]\.calculate: .*Expression parse error/,
  ],
  [
    'a field name with an unclosed quote',
    render('field-quote.yaml'),
    2,
    /field-quote\.yaml:3:16 error at \$\.encoding\.y\.field: the field name "a'b" cannot be read: a quote is not closed\. .*put a backslash before each one that is part of the name \(e\.g\. "a\\\\'b"\)/,
  ],
  [
    'a field name with an unclosed bracket',
    render('field-bracket.yaml'),
    2,
    /error at \$\.encoding\.y\.field: the field name "a\[\\"b" cannot be read: a bracket is not closed/,
  ],
  [
    'an empty field name',
    render('field-empty.yaml'),
    2,
    /error at \$\.encoding\.y\.field: a field name is empty/,
  ],
  [
    'a field named constructor',
    render('field-constructor.yaml'),
    2,
    /error at \$\.encoding\.color\.field: a field named "constructor" cannot be used: Vega mistakes it for a property every JavaScript object has; rename the column in the data/,
  ],
  [
    'frame on a missing field named __proto__',
    render('frame-proto.yaml'),
    2,
    /error at \$\.encoding\.frame\.field: encoding\.frame\.field "__proto__" is not a field of "ok\.csv"; its fields are "x", "y", "t"/,
  ],
  [
    'an expression reading datum.toString',
    render('expr-tostring.yaml'),
    2,
    /error at \$\.transform\[0\]\.calculate: the expression "datum\['toString'\]" reads the field "toString", which cannot be used/,
  ],
  [
    'a repeated field name with an unclosed quote',
    render('repeat-quote.yaml'),
    2,
    /error at \$\.repeat\[1\]: the field name "a'b" cannot be read: a quote is not closed/,
  ],
  [
    'a 50,000-character field name, cut in the message',
    render('field-huge.yaml'),
    2,
    /the field name "a{200}"…\(49,801 more characters\) cannot be read: a quote is not closed/,
  ],
  [
    'a field the data lacks',
    render('field-typo.yaml'),
    2,
    /field-typo\.yaml:3:16 error at \$\.encoding\.x\.field: "xx" is not a field of "ok\.csv" \(did you mean "x"\?\); its fields are "x", "y", "t"$/m,
  ],
  [
    'a template placeholder naming no frame variable',
    render('template-typo.yaml'),
    2,
    /template-typo\.yaml:3:1 error at \$\.title: the placeholder "\{frme\}" in "step \{frme\}" is not a frame variable \(did you mean "\{frame\}"\?\); templates show frame, frame_index, frame_count, progress, previous_frame, next_frame$/m,
  ],
  [
    'a number format d3 has no type for',
    render('format-typo.yaml'),
    2,
    /format-typo\.yaml:3:53 error at \$\.encoding\.x\.axis\.format: the number format "\.9z" has the type "z", which d3-format does not have: the types are e f g r s % p b o d x X c n/,
  ],
  [
    'an expression reading a signal nothing defines',
    render('signal-typo.yaml'),
    2,
    /signal-typo\.yaml:3:\d+ error at \$\.transform\[0\]\.filter: the expression "datum\.x < frme" reads "frme" \(did you mean "frame"\?\), which is not a param of the spec/,
  ],
  [
    'an expression calling a function Vega lacks',
    render('function-typo.yaml'),
    2,
    /function-typo\.yaml:3:\d+ error at \$\.transform\[0\]\.calculate: the expression "tostring\(datum\.x\)" calls "tostring", which is not a Vega expression function \(did you mean "toString"\?\)/,
  ],
  // Data
  [
    'empty data',
    render('empty-data.yaml'),
    2,
    /encoding\.frame\.field "t" has no valid values \(all null or NaN\): nothing to animate/,
  ],
  [
    'truncated CSV',
    render('truncated-csv.yaml'),
    2,
    /"truncated\.csv": not readable as CSV: a quoted field is not closed before the end of the file/,
  ],
  ['truncated JSON', render('truncated-json.yaml'), 2, /"truncated\.json": not valid JSON/],
  [
    'a PNG named .csv',
    render('binary-as-csv.yaml'),
    2,
    /"fake\.csv": this is a PNG image, not CSV text/,
  ],
  [
    'UTF-16 text',
    render('utf16-csv.yaml'),
    2,
    /"utf16\.csv": this is a binary file \(it has NUL bytes; UTF-16 text must be saved as UTF-8\)/,
  ],
  ['missing data file', render('missing-file.yaml'), 2, /data file "nope\.csv" not found/],
  [
    'absolute path',
    render('abs-path.yaml'),
    2,
    /"\/etc\/passwd" is outside the spec's folder .*--allow-read DIR/,
  ],
  ['.. escape', render('dotdot.yaml'), 2, /"\.\.\/\.\.\/etc\/passwd" is outside the spec's folder/],
  ['http URL', render('http-url.yaml'), 2, /is a network URL; network access is off/],
  [
    'a link leading outside the folder',
    render('link-out.yaml'),
    2,
    /error: "passwd\.csv" leads to \/etc\/passwd through a symbolic link, outside the spec's folder .*--allow-read DIR/,
  ],
  [
    'file:// URL',
    render('file-url.yaml'),
    2,
    /"file:\/\/\/etc\/passwd": only relative file paths inside the spec's folder are read/,
  ],
  [
    'a .npy shape that is negative',
    render('npy-neg.yaml'),
    2,
    /"neg\.npy": not readable as \.npy: the shape "\(-1,\)" has "-1", not a whole number of at least 0/,
  ],
  [
    'a .npy of an unknown version',
    render('npy-version.yaml'),
    2,
    /"v9\.npy": not readable as \.npy: format version 9\.0 is not supported: NumPy writes versions 1\.0, 2\.0 and 3\.0/,
  ],
  [
    'an empty Arrow file',
    render('arrow-empty.yaml'),
    2,
    /"empty\.arrow": the file is empty \(0 bytes\)/,
  ],
  [
    'a Parquet file cut short',
    render('parquet-cut.yaml'),
    2,
    /"cut\.parquet": the Parquet file is cut short: it begins with PAR1 and does not end with it \(4,096 bytes\)/,
  ],
  [
    'a 1 MB header name, cut in the message',
    render('header-huge.yaml'),
    2,
    /encoding\.frame\.field "epoch" is not a field of "wide-header\.csv"; its fields are "h{60}"…\(999,940 more characters\), "t"/,
  ],
  // Limits
  [
    'huge width',
    render('huge-width.yaml'),
    2,
    /huge-width\.yaml:3:1 error at \$\.width: width 100,000 is over 32,767 pixels, the largest a canvas can draw/,
  ],
  [
    'too many frames',
    render('ok.yaml', '--max-frames', '1'),
    2,
    /the animation is 2 frames long at 10 fps \(2 frames\), over the limit of 1; raise it with --max-frames/,
  ],
  ['too many rows', render('ok.yaml', '--max-rows', '3'), 2, /data rows is 4, over the limit of 3/],
  [
    'a data file too large',
    render('ok.yaml', '--max-file-bytes', '10'),
    2,
    /error: the size of the data file "ok\.csv" in bytes is 30, over the limit of 10; raise it with --max-file-bytes/,
  ],
  [
    'a canvas there is no memory for',
    render('canvas-huge.yaml', '--max-pixels', '1000000000'),
    2,
    /a canvas of \d+×\d+ = [\d,]+ pixels could not be allocated \(too little memory for it\): make the chart smaller/,
  ],
  [
    'a GIF frame longer than its delay field',
    render('fps-tiny.yaml'),
    2,
    /frame 0 would show for 1,000 s \(at 0\.001 fps, with its pauses and holds\), and a GIF frame shows for at most 655\.35 s: raise animation\.fps/,
  ],
  [
    'more plays than a GIF holds',
    render('loop-huge.yaml'),
    2,
    /animation\.loop 100000: a GIF plays a whole number of times from 1 to 65,536/,
  ],
  // The command line and the output
  [
    'unsupported extension',
    ['render', at('ok.yaml'), '-o', at('out.tiff')],
    2,
    /cannot tell the output format from ".*out\.tiff": use \.gif, \.apng, \.mp4/,
  ],
  [
    'output folder below a file',
    ['render', at('ok.yaml'), '-o', at('ok.yaml/dir/out.gif')],
    2,
    /Output folder .*ok\.yaml\/dir cannot be created: .*ok\.yaml is a file, not a folder/,
  ],
  [
    'output is a folder',
    ['render', at('ok.yaml'), '-o', mkdtempSync(path.join(tmpdir(), 'vf-out-')), '--format', 'gif'],
    2,
    /Output path is a folder, not a file/,
  ],
  ['no -o', ['render', at('ok.yaml')], 2, /render needs an output file: -o OUT\.gif/],
  ['unknown option', render('ok.yaml', '--colour', 'red'), 2, /unknown option --colour/],
  [
    '--fps 0',
    render('ok.yaml', '--fps', '0'),
    2,
    /--fps "0" is not a number of frames per second in \(0, 100\]/,
  ],
  [
    '--frame out of range',
    ['render', at('ok.yaml'), '-o', at('out.png'), '--frame', '9'],
    2,
    /--frame 9 is out of range: the spec has 2 frames \(0\.\.1\)/,
  ],
  [
    '--frames not a slice',
    render('ok.yaml', '--frames', '1:x'),
    2,
    /--frames "1:x" is not a:b or a:b:step/,
  ],
  [
    '--crf above 51 for H.264',
    ['render', at('ok.yaml'), '-o', at('out.mp4'), '--crf', '60'],
    2,
    /--crf 60 is above 51/,
  ],
  ['unknown command', ['frobnicate'], 2, /unknown command "frobnicate"/],
];

for (const [what, argv, code, message] of cases) {
  test(`bad input: ${what} → exit ${code}`, () => {
    const r = spawnSync(process.execPath, [CLI, ...argv], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(r.status, code, r.stderr);
    assert.match(r.stderr, message);
    assert.doesNotMatch(r.stderr, /\n\s+at .*\(.*:\d+:\d+\)/, 'no stack trace');
    assert.ok(r.stderr.length < 2000, `a message of ${r.stderr.length} characters`);
    assert.doesNotMatch(
      r.stderr,
      /Cannot read propert|is not a function|Maximum call stack|Invalid (typed )?array length|skia/,
      "none of JavaScript's own phrasing",
    );
    assert.deepEqual(
      readdirSync(dir).filter((f) => f.startsWith('out') || f.endsWith('.tmp')),
      [],
      'nothing written',
    );
  });
}

test('rows without a frame value: rendered, with a warning that counts them', () => {
  spec(
    'nan.yaml',
    'data: {url: nan.csv}\nmark: point\nencoding: {x: {field: x, type: quantitative}, frame: {field: t}}',
  );
  writeFileSync(at('nan.yaml'), files['nan.yaml']);
  const r = spawnSync(process.execPath, [CLI, ...render('nan.yaml')], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(
    (
      r.stderr.match(
        /warning: 1 of 3 rows of "nan\.csv" have no valid "t" \(missing, null or NaN\) and appear in no frame/g,
      ) ?? []
    ).length,
    1,
    'once',
  );
});

test('a tooltip field the data lacks: rendered, with a warning at its line and column', () => {
  writeFileSync(
    at('tooltip-typo.yaml'),
    point +
      'encoding: {x: {field: x, type: quantitative}, tooltip: {field: yy}, frame: {field: t}}\n',
  );
  const r = spawnSync(process.execPath, [CLI, ...render('tooltip-typo.yaml')], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  assert.equal(r.status, 0, r.stderr);
  assert.match(
    r.stderr,
    /^warning: .*tooltip-typo\.yaml:3:57 at \$\.encoding\.tooltip\.field: "yy" is not a field of "ok\.csv" \(did you mean "y"\?\); its fields are "x", "y", "t"$/m,
  );
  rmSync(at('out.gif'));
});

test('a CSV of 200,000 columns renders (once: Maximum call stack size exceeded)', () => {
  const names = Array.from({ length: 200_000 }, (_, i) => `c${i}`);
  writeFileSync(at('wide.csv'), `${names.join(',')}\n${names.map((_, i) => i % 3).join(',')}\n`);
  writeFileSync(
    at('wide.yaml'),
    'data: {url: wide.csv}\nmark: point\nencoding: {x: {field: c1, type: quantitative}}\n',
  );
  const r = spawnSync(process.execPath, [CLI, ...render('wide.yaml'), '-q'], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  assert.equal(r.status, 0, r.stderr);
  rmSync(at('out.gif'));
});

test('odd but valid: an empty layer, and a colour scale of more colours than a GIF holds, render', () => {
  writeFileSync(at('empty-layer.yaml'), 'data: {url: ok.csv}\nlayer: []\n');
  const stops = Array.from({ length: 300 }, (_, i) => i);
  const colors = stops.map((i) => `#${((i * 55001) % 0xffffff).toString(16).padStart(6, '0')}`);
  writeFileSync(
    at('many-colors.json'),
    JSON.stringify({
      data: { url: 'ok.csv' },
      mark: 'point',
      encoding: {
        x: { field: 'x', type: 'quantitative' },
        color: { field: 'x', type: 'quantitative', scale: { domain: stops, range: colors } },
        frame: { field: 't' },
      },
    }),
  );
  for (const spec of ['empty-layer.yaml', 'many-colors.json']) {
    const r = spawnSync(process.execPath, [CLI, ...render(spec), '-q'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    assert.equal(r.status, 0, `${spec}: ${r.stderr}`);
    rmSync(at('out.gif'));
  }
});
