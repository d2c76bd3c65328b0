/**
 * Hostile specs through the `vega-frames` command, one row each, every one run under a
 * watchdog: it must stop with its exact refusal (exit 2), or render where rendering it is
 * safe, within 10 s and 1 GiB of memory in any one process, print no internal error text,
 * and leave nothing behind in its folder but the output it was asked for.
 * The rows cover each class of attack: work multiplied from a small number in the spec,
 * strings and aliases that expand, the memory and time ceilings of the supervisor, and
 * files outside the spec's folder.
 */
import { test } from 'node:test';
import { execFileSync } from 'node:child_process';
import assert from 'node:assert/strict';
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import { runWatched } from '../helpers/watchdog.js';

const ROOT = new URL('../..', import.meta.url).pathname;
const CLI = path.join(ROOT, 'dist/cli/bin.js');
const MAX_SECONDS = 10;
const MAX_BYTES = 2 ** 30;

interface Hostile {
  name: string;
  /** Files of the spec's folder; `spec.yaml` is rendered unless `args` says otherwise. */
  files: Record<string, string>;
  setup?: (dir: string) => void;
  args?: string[];
  exit: number;
  stderr: RegExp;
}

const point = (data: string, extra = '') =>
  `data: ${data}\nmark: point\nencoding: {x: {field: x, type: quantitative}${extra}}\n`;
const framed = (animation: string) =>
  `data: {values: [{x: 0, t: 1}, {x: 1, t: 2}]}\nmark: point\nencoding: {x: {field: x, type: quantitative}, frame: {field: t}}\nanimation: ${animation}\n`;
const OK_CSV = 'x,y,t\n0,0,0\n1,2,1\n2,4,0\n3,6,1\n';
const laughs = [
  'a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]',
  ...'bcdefg'
    .split('')
    .map((k, i) => `${k}: &${k} [${Array(9).fill(`*${'abcdef'[i]}`).join(', ')}]`),
  'mark: point',
].join('\n');

const CASES: Hostile[] = [
  // Work multiplied from a small number in the spec: refused before Vega runs.
  {
    name: 'a sequence of 10⁸ rows',
    files: { 'spec.yaml': point('{sequence: {start: 0, stop: 100000000, as: x}}') },
    exit: 2,
    stderr:
      /spec\.yaml:1:8 error at \$\.data\.sequence: data\.sequence would make 100,000,000 rows, over the limit of 5,000,000/,
  },
  {
    name: 'an axis of 10⁹ ticks',
    files: {
      'spec.yaml':
        'data: {values: [{x: 0}, {x: 1}]}\nmark: point\nencoding: {x: {field: x, type: quantitative, axis: {tickCount: 1000000000}}}\n',
    },
    exit: 2,
    stderr:
      /error at \$\.encoding\.x\.axis\.tickCount: tickCount would make 1,000,000,000, more than the 10,000/,
  },
  {
    name: 'a density of 10⁹ steps',
    files: {
      'spec.yaml':
        'data: {values: [{x: 0}, {x: 1}]}\ntransform: [{density: x, steps: 1000000000}]\nmark: line\nencoding: {x: {field: value, type: quantitative}, y: {field: density, type: quantitative}}\n',
    },
    exit: 2,
    stderr: /error at \$\.transform\[0\]\.steps: density steps would make 1,000,000,000/,
  },
  {
    name: 'quantiles at a step of 10⁻⁹',
    files: {
      'spec.yaml':
        'data: {values: [{x: 0}, {x: 1}]}\ntransform: [{quantile: x, step: 0.000000001}]\nmark: point\nencoding: {x: {field: prob, type: quantitative}}\n',
    },
    exit: 2,
    stderr: /error at \$\.transform\[0\]\.step: quantile step 1e-9 would make 1,000,000,000/,
  },
  {
    name: 'bins of a step the data makes 10⁷ of',
    files: {
      'spec.yaml':
        'data: {values: [{x: 0}, {x: 1}]}\nmark: bar\nencoding: {x: {field: x, bin: {step: 0.0000001}, type: quantitative}, y: {aggregate: count}}\n',
    },
    exit: 2,
    stderr:
      /error at \$\.encoding\.x\.bin\.step: bin step 1e-7 over "x" from 0 to 1 would make 10,000,000 bins/,
  },
  {
    name: '10⁹ bins at most',
    files: {
      'spec.yaml':
        'data: {values: [{x: 0}, {x: 1}]}\nmark: bar\nencoding: {x: {field: x, bin: {maxbins: 1000000000}, type: quantitative}, y: {aggregate: count}}\n',
    },
    exit: 2,
    stderr: /error at \$\.encoding\.x\.bin\.maxbins: bin maxbins would make 1,000,000,000/,
  },
  {
    name: 'impute key values from 0 to 10⁹',
    files: {
      'spec.yaml':
        'data: {values: [{x: 0, y: 1, c: a}]}\ntransform: [{impute: y, key: x, keyvals: {start: 0, stop: 1000000000}, groupby: [c]}]\nmark: line\nencoding: {x: {field: x, type: quantitative}, y: {field: y, type: quantitative}}\n',
    },
    exit: 2,
    stderr: /error at \$\.transform\[0\]\.keyvals: impute\.keyvals would make 1,000,000,000 rows/,
  },
  {
    name: 'a fold of generated rows into 10⁸',
    files: {
      'spec.yaml': `data: {sequence: {start: 0, stop: 100000, as: x}}\ntransform: [{fold: [${Array(100).fill('x').join(', ')}]}, {fold: [${Array(10).fill('key').join(', ')}]}]\nmark: point\nencoding: {x: {field: value, type: quantitative}}\n`,
    },
    exit: 2,
    stderr: /error at \$\.transform: fold would make 100,000,000 rows from 100,000 generated ones/,
  },
  {
    name: 'a graticule every thousandth of a degree',
    files: {
      'spec.yaml':
        'data: {graticule: {step: [0.001, 0.001]}}\nmark: geoshape\nprojection: {type: mercator}\n',
    },
    exit: 2,
    stderr:
      /error at \$\.data\.graticule: data\.graticule \(lines × points along each\) would make 77,760,000/,
  },
  {
    name: 'a repeat of 40 × 40 views',
    files: {
      'spec.yaml': `data: {values: [{x: 0}]}\nrepeat: {row: [${Array(40).fill('x').join(', ')}], column: [${Array(40).fill('x').join(', ')}]}\nspec: {mark: point, encoding: {x: {field: {repeat: row}, type: quantitative}}}\n`,
    },
    exit: 2,
    stderr: /error at \$\.repeat: repeat \(views\) would make 1,600, more than the 1,000/,
  },
  {
    name: 'a padding of 10⁸ pixels',
    files: {
      'spec.yaml': `width: 100\nheight: 100\npadding: 100000000\n${point('{values: [{x: 0}]}')}`,
    },
    exit: 2,
    stderr: /error at \$\.padding: padding 100,000,000 is over 32,767 pixels/,
  },
  {
    name: 'a padding of 10⁸ pixels, to PDF',
    files: { 'spec.yaml': `padding: {left: 100000000}\n${point('{values: [{x: 0}]}')}` },
    args: ['render', 'spec.yaml', '-o', 'out.pdf'],
    exit: 2,
    stderr: /error at \$\.padding\.left: padding 100,000,000 is over 32,767 pixels/,
  },
  {
    name: 'a stroke 10⁹ pixels wide',
    files: {
      'spec.yaml':
        'data: {values: [{x: 0, y: 0}, {x: 1, y: 1}]}\nmark: {type: line, strokeWidth: 1000000000}\nencoding: {x: {field: x, type: quantitative}, y: {field: y, type: quantitative}}\n',
    },
    exit: 2,
    stderr: /error at \$\.mark\.strokeWidth: strokeWidth 1,000,000,000 is over 32,767 pixels/,
  },
  {
    name: 'a title of 3 million characters',
    files: { 'spec.yaml': `title: "${'x'.repeat(3_000_000)}"\n${point('{values: [{x: 0}]}')}` },
    exit: 2,
    stderr:
      /spec\.yaml:1:1 error at \$\.title: a string of 3,000,000 characters; text in a spec .* may hold at most 100,000/,
  },
  // Timelines: frames made by numbers, holds and pauses.
  {
    name: '10⁹ output frames',
    files: { 'spec.yaml': framed('{nframes: 1000000000}') },
    args: ['render', 'spec.yaml', '-o', 'out.mp4'],
    exit: 2,
    stderr:
      /the animation is 1,000,000,000 frames long at 10 fps .* over the limit of 10,000; raise it with --max-frames/,
  },
  {
    name: 'a pause of 10⁸ seconds to MP4',
    files: { 'spec.yaml': framed('{pause: {end: 100000000}}') },
    args: ['render', 'spec.yaml', '-o', 'out.mp4'],
    exit: 2,
    stderr:
      /the animation is 1,000,000,002 frames long at 10 fps \(2 frames, with 100,000,000 s of holds and pauses\)/,
  },
  // Expressions: sizes bounded per call, regular expressions in linear time.
  {
    name: 'an expression making a sequence of 10⁸ values',
    files: {
      'spec.yaml':
        'data: {values: [{x: 0}]}\ntransform: [{calculate: "sequence(0, 100000000)", as: s}, {flatten: [s]}]\nmark: point\nencoding: {x: {field: s, type: quantitative}}\n',
    },
    exit: 2,
    stderr:
      /sequence\(0, 100000000\) would make 100,000,000 values, over the 1,000,000 an expression may make/,
  },
  {
    name: 'an expression padding to 10⁹ characters',
    files: {
      'spec.yaml':
        'data: {values: [{x: 0}]}\ntransform: [{calculate: "pad(\'a\', 1000000000)", as: s}]\nmark: text\nencoding: {text: {field: s}}\n',
    },
    exit: 2,
    stderr: /pad\(\) to 1,000,000,000 characters is over the 100,000/,
  },
  {
    name: 'a time sequence of every millisecond in 30 years',
    files: {
      'spec.yaml':
        'data: {values: [{x: 0}]}\ntransform: [{calculate: "timeSequence(\'millisecond\', datetime(2000,0,1), datetime(2030,0,1))", as: s}]\nmark: point\nencoding: {x: {field: x, type: quantitative}}\n',
    },
    exit: 2,
    stderr: /timeSequence\("millisecond", …\) would make about 946,771,200,000 values/,
  },
  {
    name: 'a backreference, which RE2 does not run',
    files: {
      'spec.yaml':
        'data: {values: [{x: 0, s: aa}]}\ntransform: [{filter: "test(/(a)\\\\1/, datum.s)"}]\nmark: point\nencoding: {x: {field: x, type: quantitative}}\n',
    },
    exit: 2,
    stderr: /the regular expression \/\(a\)\\1\/ uses a feature vega-frames does not run/,
  },
  // Frames that would silently be one.
  {
    name: 'a frame channel on generated rows',
    files: {
      'spec.yaml': point('{sequence: {start: 0, stop: 1000000, as: x}}', ', frame: {field: x}'),
    },
    exit: 2,
    stderr:
      /spec\.yaml:3:\d+ error at \$\.encoding\.frame: encoding\.frame on data\.sequence: frames are taken from rows vega-frames reads/,
  },
  {
    name: 'a frame channel on a field a transform makes',
    files: {
      'spec.yaml': `transform: [{calculate: "floor(datum.x / 2)", as: k}]\n${point('{values: [{x: 0}, {x: 5}]}', ', frame: {field: k}')}`,
    },
    exit: 2,
    stderr:
      /error at \$\.encoding\.frame\.field: encoding\.frame\.field "k" is made by the transform at \$\.transform\[0\]/,
  },
  // Text that expands.
  {
    name: 'YAML aliases expanding to 4.8 million nodes',
    files: { 'spec.yaml': laughs },
    exit: 2,
    stderr: /spec\.yaml:\d+:\d+ \$: the YAML's aliases expand it to over 2,000,000 nodes/,
  },
  // The supervisor's ceilings, for what no bound above foresees.
  {
    name: 'memory past --max-memory',
    files: {
      'spec.yaml':
        "data: {sequence: {start: 0, stop: 4000000, as: x}}\ntransform: [{calculate: \"pad('' + datum.x, 2000, 'x')\", as: s}]\nmark: text\nencoding: {text: {field: s}}\n",
    },
    args: ['render', 'spec.yaml', '-o', 'out.gif', '--max-memory', '600m'],
    exit: 2,
    stderr:
      /^error: the render used more than 600 MiB of memory and was stopped; nothing was written/m,
  },
  {
    name: 'an expression over a million rows that never finishes, past --stall-timeout',
    files: {
      'spec.json': JSON.stringify({
        data: {
          values: [
            { a: 1, b: 2, f: 1 },
            { a: 2, b: 3, f: 2 },
          ],
        },
        transform: [
          { calculate: 'sequence(0,1000000)', as: 'r' },
          { flatten: ['r'] },
          { filter: 'indexof(sequence(0,1000000),-1) < 0' },
        ],
        mark: 'point',
        encoding: { x: { field: 'a', type: 'quantitative' }, frame: { field: 'f' } },
      }),
    },
    args: ['render', 'spec.json', '-o', 'out.gif', '--stall-timeout', '3'],
    exit: 2,
    stderr:
      /^error: one step of the render ran 3 s without finishing and was stopped; nothing was written/m,
  },
  {
    name: 'an evaluation past --timeout',
    files: {
      'spec.yaml': [
        'layer:',
        '  - data: {values: [{x: 0, t: 1}, {x: 1, t: 2}, {x: 2, t: 3}]}',
        '    mark: point',
        '    encoding: {x: {field: x, type: quantitative}, frame: {field: t}}',
        '  - data: {sequence: {start: 0, stop: 2000000, as: v}}',
        '    transform:',
        "      - {calculate: \"frame >= 2 ? test(/x+y/, pad('x', 4000, 'x')) : false\", as: hit}",
        '      - {filter: datum.hit}',
        '    mark: point',
        '    encoding: {x: {field: v, type: quantitative}}',
      ].join('\n'),
    },
    args: ['render', 'spec.yaml', '-o', 'out.gif', '--timeout', '2', '--workers', '1'],
    exit: 2,
    stderr:
      /^error: the render took longer than 2 s \(--timeout\) and was stopped while it was still computing; nothing was written/m,
  },
  // Files outside the spec's folder.
  {
    name: 'a symbolic link to a file outside the folder',
    files: { 'spec.yaml': point('{url: link.csv}', ', frame: {field: t}') },
    setup: (dir) => symlinkSync('/etc/passwd', path.join(dir, 'link.csv')),
    exit: 2,
    stderr:
      /error: "link\.csv" leads to \/etc\/passwd through a symbolic link, outside the spec's folder .*--allow-read DIR/,
  },
  {
    name: 'a symbolic link to a folder outside',
    files: { 'spec.yaml': point('{url: etc/passwd}') },
    setup: (dir) => symlinkSync('/etc', path.join(dir, 'etc')),
    exit: 2,
    stderr: /error: "etc\/passwd" leads to \/etc\/passwd through a symbolic link/,
  },
  {
    name: 'a link to /dev/zero, its folder allowed',
    files: { 'spec.yaml': point('{url: zero.csv}') },
    setup: (dir) => symlinkSync('/dev/zero', path.join(dir, 'zero.csv')),
    args: ['render', 'spec.yaml', '-o', 'out.png', '--allow-read', '/dev'],
    exit: 2,
    stderr:
      /error: "zero\.csv" is a device, not a regular file; vega-frames reads regular files only/,
  },
  {
    name: 'a data file over --max-file-bytes',
    files: { 'spec.yaml': point('{url: ok.csv}'), 'ok.csv': OK_CSV },
    args: ['render', 'spec.yaml', '-o', 'out.png', '--max-file-bytes', '10'],
    exit: 2,
    stderr:
      /the size of the data file "ok\.csv" in bytes is 30, over the limit of 10; raise it with --max-file-bytes/,
  },
  {
    name: 'an image URL on the network, in the player',
    files: {
      'spec.yaml':
        'data: {values: [{u: "https://example.com/a.png", t: 0}, {u: "https://example.com/a.png", t: 1}]}\nmark: {type: image, width: 50, height: 50}\nencoding: {url: {field: u}, frame: {field: t}}\n',
    },
    args: ['render', 'spec.yaml', '-o', 'out.html'],
    exit: 2,
    stderr: /error: image "https:\/\/example\.com\/a\.png" is a network URL; network access is off/,
  },
  {
    name: 'an expression hidden in a nested predicate',
    files: {
      'spec.yaml': `transform: [{filter: {and: ["datum.x > 0", "process.exit(3)"]}}]\n${point('{values: [{x: 0}]}')}`,
    },
    exit: 2,
    stderr:
      /error at \$\.transform\[0\]\.filter\.and\[1\]: the expression "process\.exit\(3\)" is not allowed/,
  },
  {
    name: 'an expression hidden in an event stream',
    files: {
      'spec.yaml': `params: [{name: s, select: {type: point, on: "click[process.exit(3)]"}}]\n${point('{values: [{x: 0}]}')}`,
    },
    exit: 2,
    stderr:
      /error at \$\.params\[0\]\.select\.on: the expression "process\.exit\(3\)" in the event stream/,
  },
  {
    name: 'a text field of 5 million characters',
    files: { 'spec.yaml': 'data: {url: big.csv}\nmark: text\nencoding: {text: {field: s}}\n' },
    setup: (dir) => writeFileSync(path.join(dir, 'big.csv'), `t,s\n1,${'x'.repeat(5_000_000)}\n`),
    exit: 2,
    stderr:
      /error: "big\.csv" holds a value of 5,000,000 characters in column "s"; a value may hold at most 100,000/,
  },
  {
    name: 'a 0.4 MB PNG that decodes to 1.6 GB',
    files: {
      'spec.yaml':
        'data: {values: [{u: bomb.png}]}\nmark: {type: image, width: 50, height: 50}\nencoding: {url: {field: u}}\n',
    },
    setup: (dir) => writeFileSync(path.join(dir, 'bomb.png'), flatPng(20_000, 20_000)),
    exit: 2,
    stderr:
      /error: image "bomb\.png" is 20000×20000 = 400,000,000 pixels when decoded, over the limit of 16,777,216/,
  },
  {
    name: 'a 130-byte SVG that Skia would rasterise at 30000×30000',
    files: {
      'spec.yaml': imageSpec('big.svg'),
      'big.svg':
        '<svg xmlns="http://www.w3.org/2000/svg" width="30000" height="30000" viewBox="0 0 10 10"><rect width="10" height="10" fill="red"/></svg>',
    },
    exit: 2,
    stderr:
      /error: image "big\.svg" is 30000×30000 = 900,000,000 pixels when decoded, over the limit of 16,777,216/,
  },
  {
    name: 'an ICO wrapping a PNG of 16000×16000',
    files: { 'spec.yaml': imageSpec('bomb.ico') },
    setup: (dir) => writeFileSync(path.join(dir, 'bomb.ico'), icoOf(flatPng(16_000, 16_000))),
    exit: 2,
    stderr: /error: image "bomb\.ico" is 16000×16000 = 256,000,000 pixels when decoded/,
  },
  {
    name: 'a JPEG whose 16000×16000 frame follows junk bytes',
    files: { 'spec.yaml': imageSpec('bomb.jpg') },
    setup: (dir) =>
      writeFileSync(
        path.join(dir, 'bomb.jpg'),
        Buffer.from([
          ...[
            0xff,
            0xd8,
            0xff,
            0xe0,
            0x00,
            0x10,
            ...Buffer.from('JFIF\0'),
            1,
            1,
            0,
            0,
            1,
            0,
            1,
            0,
            0,
          ],
          ...[0x00, 0x00, 0xff, 0x01], // junk libjpeg skips, and TEM (no length)
          ...[
            0xff, 0xc0, 0x00, 0x11, 8, 0x3e, 0x80, 0x3e, 0x80, 3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11,
            1,
          ],
          0xff,
          0xd9,
        ]),
      ),
    exit: 2,
    stderr: /error: image "bomb\.jpg" is 16000×16000 = 256,000,000 pixels when decoded/,
  },
  {
    name: 'a CSV file as an image',
    files: { 'spec.yaml': imageSpec('ok.csv'), 'ok.csv': OK_CSV },
    exit: 2,
    stderr:
      /error: image "ok\.csv" is not an image the canvas draws \(PNG, JPEG, GIF, WebP, BMP, ICO, AVIF or SVG/,
  },
  {
    name: 'a JPEG with a stray byte after its start',
    files: { 'spec.yaml': imageSpec('stray.jpg') },
    setup: (dir) =>
      writeFileSync(path.join(dir, 'stray.jpg'), Buffer.from([0xff, 0xd8, 0x00, 0xff, 0xe0, 0, 2])),
    exit: 2,
    stderr: /error: image "stray\.jpg" is not an image the canvas draws/,
  },
  {
    name: 'a cursor (CUR), which the canvas does not decode',
    files: { 'spec.yaml': imageSpec('a.cur') },
    setup: (dir) => {
      const cur = icoOf(flatPng(4, 4));
      cur[2] = 2;
      writeFileSync(path.join(dir, 'a.cur'), cur);
    },
    exit: 2,
    stderr: /error: image "a\.cur" cannot be drawn: the canvas could not decode it \(/,
  },
  {
    name: '80,000 strings of datum[" scanned for the columns they name',
    files: {
      'spec.yaml': `usermeta: {notes: [${Array(80_000).fill("'datum[\"'").join(',')}]}\n${point('{values: [{x: 0}]}')}`,
    },
    args: ['render', 'spec.yaml', '-o', 'out.png'],
    exit: 0,
    stderr: /^out\.png: 1 frame/,
  },
  {
    name: 'a pivot of 5,000 keys over 5,000 groups',
    files: {
      'spec.yaml':
        'data: {url: d.csv}\ntransform: [{pivot: k, value: v, groupby: [g]}]\nmark: point\nencoding: {x: {field: g, type: nominal}}\n',
    },
    setup: (dir) =>
      writeFileSync(
        path.join(dir, 'd.csv'),
        `k,g,v\n${Array.from({ length: 5000 }, (_, i) => `k${i},g${i},${i}`).join('\n')}\n`,
      ),
    exit: 2,
    stderr:
      /error at \$\.transform\[0\]: this pivot would make 25,000,000 cells \(the distinct values of "k" × its groups\), over the limit of 5,000,000/,
  },
  // Names Vega refuses when it builds the chart.
  {
    name: 'params that depend on each other',
    files: {
      'spec.yaml': `params: [{name: p, expr: "q + 1"}, {name: q, expr: "p + 1"}]\n${point('{values: [{x: 0}]}')}`,
    },
    exit: 2,
    stderr:
      /^error: the chart cannot be built: params or expressions in the spec depend on each other in a cycle$/m,
  },
  {
    name: 'a filter on a param the spec does not define',
    files: { 'spec.yaml': `transform: [{filter: {param: nope}}]\n${point('{values: [{x: 0}]}')}` },
    exit: 2,
    stderr: /the spec reads a param or selection named "nope" that it does not define/,
  },
  // Names and files that reach JavaScript's corners.
  {
    name: 'a field name with an unclosed bracket',
    files: {
      'spec.yaml':
        'data: {values: [{x: 0, t: 1}]}\nmark: point\nencoding:\n  x: {field: "a[\\"b", type: quantitative}\n',
    },
    exit: 2,
    stderr:
      /spec\.yaml:4:\d+ error at \$\.encoding\.x\.field: the field name "a\[\\"b" cannot be read: a bracket is not closed/,
  },
  {
    name: 'a frame field named __proto__',
    files: {
      'spec.yaml': point('{url: d.csv}', ', frame: {field: __proto__}'),
      'd.csv': 'x,t\n1,0\n',
    },
    exit: 2,
    stderr:
      /encoding\.frame\.field "__proto__" is not a field of "d\.csv"; its fields are "x", "t"/,
  },
  {
    name: 'a header name of a million characters',
    files: { 'spec.yaml': point('{url: d.csv}', ', frame: {field: epoch}') },
    setup: (dir) => writeFileSync(path.join(dir, 'd.csv'), `${'h'.repeat(1_000_000)},x\n1,0\n`),
    exit: 2,
    stderr: /its fields are "h+"…\(\d{3},\d{3} more characters\), "x"/,
  },
  {
    name: 'a 4 KB Parquet file declaring 90 million rows',
    files: { 'spec.yaml': point('{url: big.parquet}') },
    setup: (dir) =>
      copyFileSync(
        path.join(ROOT, 'test/fixtures/hostile/rows-90m.parquet'),
        path.join(dir, 'big.parquet'),
      ),
    exit: 2,
    stderr:
      /error: "big\.parquet": the file declares 90,000,000 rows × 3 columns, up to 2 GiB once read, more than the render may hold \(--max-memory 2 GiB\)/,
  },
  {
    name: 'an empty Arrow file',
    files: { 'spec.yaml': point('{url: d.arrow}'), 'd.arrow': '' },
    exit: 2,
    stderr: /"d\.arrow": the file is empty \(0 bytes\)/,
  },
  {
    name: '200,000 columns',
    files: { 'spec.yaml': point('{url: wide.csv}') },
    setup: (dir) =>
      writeFileSync(
        path.join(dir, 'wide.csv'),
        `x,${Array.from({ length: 200_000 }, (_, i) => `c${i}`).join(',')}\n1,${Array(200_000).fill(0).join(',')}\n`,
      ),
    exit: 0,
    stderr: /^out\.png: 1 frame/,
  },
  // Outputs that would replace an input or something that is not a regular file.
  {
    name: 'an output onto the data file',
    files: { 'spec.yaml': point('{url: ok.csv}'), 'ok.csv': OK_CSV },
    args: ['render', 'spec.yaml', '-o', 'ok.csv', '--format', 'gif'],
    exit: 2,
    stderr:
      /error: Output path .*ok\.csv is the data file "ok\.csv"; writing the output there would replace it/,
  },
  {
    name: 'an output onto the spec, by another path',
    files: { 'spec.yaml': point('{url: ok.csv}'), 'ok.csv': OK_CSV },
    setup: (dir) => mkdirSync(path.join(dir, 'sub')),
    args: ['render', 'spec.yaml', '-o', 'sub/../spec.yaml', '--format', 'png'],
    exit: 2,
    stderr:
      /error: Output path .*spec\.yaml is the spec file; writing the output there would replace it/,
  },
  {
    name: 'an output onto a named pipe',
    files: { 'spec.yaml': point('{values: [{x: 0}]}') },
    setup: (dir) => execFileSync('mkfifo', [path.join(dir, 'out.gif')]),
    args: ['render', 'spec.yaml', '-o', 'out.gif'],
    exit: 2,
    stderr: /error: Output path is a named pipe \(FIFO\)/,
  },
];

/** A greyscale PNG of one colour: a few hundred KB that declare `width` × `height` pixels. */
function flatPng(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const out = Buffer.alloc(body.length + 8);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc32(body), body.length + 4);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bits per sample; colour type 0 (grey)
  const rows = deflateSync(Buffer.alloc((width + 1) * height), { level: 9 });
  return Buffer.concat([
    Buffer.from('\x89PNG\r\n\x1a\n', 'latin1'),
    chunk('IHDR', header),
    chunk('IDAT', rows),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A spec that draws the local image `file` 200×200. */
function imageSpec(file: string): string {
  return `data: {values: [{u: ${file}}]}\nmark: {type: image, width: 200, height: 200}\nencoding: {url: {field: u}}\n`;
}

/** An ICO whose one entry (its directory says 16×16) is `png`. */
function icoOf(png: Buffer): Buffer {
  const head = Buffer.alloc(22);
  head.writeUInt16LE(1, 2);
  head.writeUInt16LE(1, 4);
  head[6] = 16;
  head[7] = 16;
  head.writeUInt32LE(png.length, 14);
  head.writeUInt32LE(22, 18);
  return Buffer.concat([head, png]);
}

/** What a folder holds besides the inputs the case wrote. */
const leftBehind = (dir: string, inputs: string[]) =>
  readdirSync(dir).filter((f) => !inputs.includes(f));

for (const c of CASES) {
  test(`hostile: ${c.name}`, async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'vf-hostile-'));
    for (const [name, text] of Object.entries(c.files)) {
      mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
      writeFileSync(path.join(dir, name), text);
    }
    c.setup?.(dir);
    const inputs = readdirSync(dir);
    const run = await runWatched(
      process.execPath,
      [CLI, ...(c.args ?? ['render', 'spec.yaml', '-o', 'out.png'])],
      { cwd: dir, killAfterSeconds: 30 },
    );
    assert.equal(run.killed, false, `${c.name}: still running after 30 s`);
    assert.match(run.stderr, c.stderr);
    assert.equal(run.code, c.exit, run.stderr);
    assert.doesNotMatch(run.stderr, /\n\s+at |FATAL|<--- |Maximum call stack|Cannot read prop/);
    assert.ok(run.seconds < MAX_SECONDS, `${c.name}: ${run.seconds.toFixed(1)} s`);
    assert.ok(
      run.peakBytes < MAX_BYTES,
      `${c.name}: peak ${(run.peakBytes / 2 ** 20).toFixed(0)} MiB`,
    );
    assert.deepEqual(
      leftBehind(dir, inputs),
      c.exit === 0 ? [c.args?.[3] ?? 'out.png'] : [],
      'nothing written, no temp file left',
    );
    if (process.env.VF_HOSTILE_REPORT)
      console.log(
        `${c.name}\t${run.seconds.toFixed(2)} s\t${(run.peakBytes / 2 ** 20).toFixed(0)} MiB`,
      );
  });
}
