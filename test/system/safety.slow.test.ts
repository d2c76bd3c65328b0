/**
 * Untrusted specs: limits checked before the work they bound, and Vega expressions that
 * try to reach Node refused with their JSON path.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { LimitError, OutputLimitError, compile, renderToFile } from '../../src/api.js';
import { CompileError } from '../../src/compile/messages.js';

const dir = mkdtempSync(path.join(tmpdir(), 'vf-safety-'));
const SPEC = path.resolve('specs/umap-epochs.yaml'); // 2,000 points × 40 frames, 500×500

const nothingWritten = () =>
  assert.deepEqual(
    readdirSync(dir).filter((f) => !/^[ab]\.gif$/.test(f)),
    [],
  );

test('limits: frames, rows and a spec-declared size stop the render before it starts', async () => {
  const out = path.join(dir, 'x.gif');
  await assert.rejects(renderToFile(SPEC, out, { limits: { maxFrames: 39 } }), (e: Error) => {
    assert.ok(e instanceof LimitError);
    assert.match(
      e.message,
      /the animation is 58 frames long at 12 fps \(40 frames, with 1.5 s of holds and pauses\), over the limit of 39; raise it with --max-frames/,
    );
    return true;
  });
  await assert.rejects(
    renderToFile(SPEC, out, { limits: { maxRows: 80_000 } }),
    /data rows is 80,001/,
  );
  await assert.rejects(
    compile(SPEC, { limits: { maxPixels: 200_000 } }),
    /chart's size \(500×500 at scale 1\) is 250,000, over the limit of 200,000/,
  );
  nothingWritten();
});

test('limits: the laid-out frame size is checked in the render workers too', async () => {
  // 500×500 at scale 3 passes the spec check (2.25 M); with legend and title the frame is
  // larger, which only layout knows. 40 frames render in workers.
  const out = path.join(dir, 'big.gif');
  await assert.rejects(
    renderToFile(SPEC, out, { scale: 3, limits: { maxPixels: 2_400_000 } }),
    (e: Error) => e instanceof LimitError && /a frame is \d+×\d+ = [\d,]+ pixels/.test(e.message),
  );
  nothingWritten();
});

test('limits: a wall-clock budget stops the render and leaves nothing behind', async () => {
  const out = path.join(dir, 'slow.gif');
  await assert.rejects(
    renderToFile(SPEC, out, { limits: { timeoutSeconds: 0.01 } }),
    /took longer than 0.01 s/,
  );
  nothingWritten();
});

const attempts = [
  "constructor.constructor('return process')()",
  'this.process',
  'process.exit(3)',
  "datum['__proto__']['constructor']['constructor']('return process')().exit(5)",
  '(function(){ return process })()',
  "datum.a.constructor.constructor('return globalThis')()",
];

for (const expr of attempts) {
  test(`an expression cannot reach Node: ${expr}`, async () => {
    const spec = {
      data: { values: [{ a: 1 }] },
      transform: [{ calculate: expr, as: 'p' }],
      mark: 'point',
      encoding: { x: { field: 'a', type: 'quantitative' } },
    };
    await assert.rejects(compile(spec), (e: Error) => {
      assert.ok(e instanceof CompileError, e.message);
      assert.equal(e.path, '$.transform[0].calculate');
      assert.match(e.message, /is not allowed/);
      return true;
    });
  });
}

test('ordinary expressions with fields, params and frame params still compile', async () => {
  const spec = {
    data: {
      values: [
        { a: 1, t: 0 },
        { a: 2, t: 1 },
      ],
    },
    params: [{ name: 'k', value: 2 }],
    transform: [
      { calculate: 'datum.a * k + frame_index + progress', as: 'p' },
      { filter: 'datum.a > 0 && isValid(datum.p)' },
    ],
    mark: 'point',
    encoding: {
      x: { field: 'p', type: 'quantitative' },
      frame: { field: 't' },
    },
  };
  const plan = await compile(spec);
  assert.equal(plan.clock.values.length, 2);
});

test('limits: output bytes, counted as the files grow, for GIF and for ffmpeg-written MP4', async () => {
  for (const ext of ['gif', 'mp4']) {
    const out = path.join(dir, `capped.${ext}`);
    await assert.rejects(
      renderToFile(SPEC, out, { limits: { maxOutputBytes: 150_000 } }),
      (e: Error) =>
        e instanceof OutputLimitError && /over the limit of 150,000 bytes/.test(e.message),
    );
  }
  nothingWritten();
  // The budget belongs to each render: two at once do not share it.
  const [a, b] = await Promise.all(
    ['a.gif', 'b.gif'].map((f) =>
      renderToFile(SPEC, path.join(dir, f), { frames: '0:2', limits: { maxOutputBytes: 400_000 } }),
    ),
  );
  assert.equal(a.frames + b.frames, 4);
});

test('image marks: local images inside the folder draw; URLs and escapes are refused clearly', async () => {
  const { copyFileSync, readFileSync } = await import('node:fs');
  const { decodePng } = await import('../helpers/golden.js');
  const { DataAccessError } = await import('../../src/data/access.js');
  const imgDir = path.join(dir, 'img');
  const { mkdirSync } = await import('node:fs');
  mkdirSync(imgDir);
  copyFileSync(path.resolve('docs/images/coin-flips-f6.png'), path.join(imgDir, 'pic.png'));
  const image = (url: string) => ({
    data: { values: [{ u: url }] },
    width: 100,
    height: 80,
    mark: { type: 'image', width: 100, height: 80 },
    encoding: { url: { field: 'u' }, x: { value: 50 }, y: { value: 40 } },
  });
  const out = path.join(imgDir, 'out.png');
  await renderToFile(image('pic.png'), out, { baseDir: imgDir });
  const rgba = decodePng(readFileSync(out)).rgba;
  assert.ok(
    rgba.some((v, i) => i % 4 !== 3 && v < 128),
    'the image is drawn (dark curves)',
  );
  for (const [url, message] of [
    ['https://example.com/a.png', /image "https:\/\/example\.com\/a\.png" is a network URL/],
    ['../secret.png', /image "\.\.\/secret\.png" is outside the spec's folder/],
  ] as const) {
    await assert.rejects(
      renderToFile(image(url), path.join(imgDir, 'refused.png'), { baseDir: imgDir }),
      (e: Error) => e instanceof DataAccessError && message.test(e.message),
    );
  }
  assert.ok(!readdirSync(imgDir).includes('refused.png'));
});

/**
 * The spec's folder, with links made here (a checkout holds none): `spec/` is the folder,
 * `outside/` a folder beside it holding what a spec must not read.
 */
async function linkedFolders() {
  const { mkdirSync, writeFileSync, symlinkSync, copyFileSync } = await import('node:fs');
  const root = mkdtempSync(path.join(tmpdir(), 'vf-links-'));
  const spec = path.join(root, 'spec');
  const outside = path.join(root, 'outside');
  mkdirSync(spec);
  mkdirSync(outside);
  const csv = 'x,y,t\n1,2,0\n3,4,1\n';
  writeFileSync(path.join(outside, 'secret.csv'), csv);
  writeFileSync(path.join(outside, 'secret.json'), JSON.stringify([{ x: 1, t: 0 }]));
  copyFileSync(path.resolve('docs/images/coin-flips-f6.png'), path.join(outside, 'secret.png'));
  writeFileSync(path.join(spec, 'real.csv'), csv);
  copyFileSync(path.resolve('docs/images/coin-flips-f6.png'), path.join(spec, 'pic.png'));
  symlinkSync('real.csv', path.join(spec, 'inner.csv'));
  symlinkSync('../outside/secret.csv', path.join(spec, 'link.csv'));
  symlinkSync(path.join(outside, 'secret.csv'), path.join(spec, 'absolute.csv'));
  symlinkSync('../outside/secret.json', path.join(spec, 'link.json'));
  symlinkSync('../outside', path.join(spec, 'folder'));
  symlinkSync('../outside/secret.png', path.join(spec, 'link.png'));
  return { root, spec, outside };
}

const csvSpec = (url: string) => ({
  data: { url },
  mark: 'point',
  encoding: { x: { field: 'x', type: 'quantitative' }, frame: { field: 't' } },
});

const imageSpec = (url: string) => ({
  data: { values: [{ u: url }] },
  width: 100,
  height: 80,
  mark: { type: 'image', width: 100, height: 80 },
  encoding: { url: { field: 'u' }, x: { value: 50 }, y: { value: 40 } },
});

test('files: a link inside the folder that leads outside it is refused; one that stays inside reads', async () => {
  const { DataAccessError } = await import('../../src/data/access.js');
  const { spec, outside } = await linkedFolders();
  for (const url of ['link.csv', 'absolute.csv', 'link.json', 'folder/secret.csv']) {
    await assert.rejects(compile(csvSpec(url), { baseDir: spec }), (e: Error) => {
      assert.ok(e instanceof DataAccessError, e.message);
      assert.match(
        e.message,
        new RegExp(
          `^"${url}" leads to .*outside/secret\\.\\w+ through a symbolic link, outside the spec's folder .*spec; allow that folder with --allow-read DIR`,
        ),
      );
      return true;
    });
  }
  assert.equal((await compile(csvSpec('inner.csv'), { baseDir: spec })).clock.values.length, 2);
  // Allowed, the folder a link leads to is read.
  const plan = await compile(csvSpec('link.csv'), { baseDir: spec, allowRead: [outside] });
  assert.equal(plan.clock.values.length, 2);
});

test('files: a link to a large framed file is refused when it would be read a frame at a time too', async () => {
  const { writeFileSync, symlinkSync } = await import('node:fs');
  const { DataAccessError } = await import('../../src/data/access.js');
  const { streamedRunsRead } = await import('../../src/data/frame-stream.js');
  const { spec, outside } = await linkedFolders();
  // Large enough for the frame-at-a-time reader (more than two 2 MB chunks).
  const rows = ['x,y,t'];
  for (let t = 0; t < 4; t++)
    for (let i = 0; i < 80_000; i++) rows.push(`${i}.5,${i % 997}.25,${t}`);
  const text = rows.join('\n') + '\n';
  assert.ok(text.length > 4 << 20);
  writeFileSync(path.join(outside, 'big.csv'), text);
  symlinkSync('../outside/big.csv', path.join(spec, 'big.csv'));
  const options = { baseDir: spec, streamMinBytes: 0, workers: 1, frames: '0:2' };
  await assert.rejects(
    renderToFile(csvSpec('big.csv'), path.join(spec, 'big.gif'), options),
    (e: Error) => e instanceof DataAccessError && /"big\.csv" leads to/.test(e.message),
  );
  const before = streamedRunsRead();
  await renderToFile(csvSpec('big.csv'), path.join(spec, 'big.gif'), {
    ...options,
    allowRead: [outside],
  });
  assert.ok(streamedRunsRead() > before, 'the allowed file is read a frame at a time');
});

test(
  'files: only regular files are read: a FIFO, a folder and a device are refused at once',
  {
    timeout: 30_000,
  },
  async () => {
    const { mkdirSync, symlinkSync } = await import('node:fs');
    const { spawnSync } = await import('node:child_process');
    const { DataAccessError } = await import('../../src/data/access.js');
    const { spec } = await linkedFolders();
    assert.equal(spawnSync('mkfifo', [path.join(spec, 'fifo.csv')]).status, 0);
    mkdirSync(path.join(spec, 'folder.csv'));
    symlinkSync('/dev/zero', path.join(spec, 'zero.csv'));
    for (const [url, kind] of [
      ['fifo.csv', 'a named pipe \\(FIFO\\)'],
      ['folder.csv', 'a folder'],
      ['zero.csv', 'a device'],
    ]) {
      await assert.rejects(
        compile(csvSpec(url), { baseDir: spec, allowRead: ['/dev'] }),
        (e: Error) =>
          e instanceof DataAccessError &&
          new RegExp(
            `^"${url}" is ${kind}, not a regular file; vega-frames reads regular files only$`,
          ).test(e.message),
      );
    }
  },
);

test('files: --max-file-bytes caps every file the spec names, data and images', async () => {
  const { spec } = await linkedFolders();
  await assert.rejects(
    compile(csvSpec('real.csv'), { baseDir: spec, limits: { maxFileBytes: 10 } }),
    (e: Error) =>
      e instanceof LimitError &&
      /^the size of the data file "real\.csv" in bytes is 18, over the limit of 10; raise it with --max-file-bytes/.test(
        e.message,
      ),
  );
  await assert.rejects(
    renderToFile(imageSpec('pic.png'), path.join(spec, 'capped.png'), {
      baseDir: spec,
      limits: { maxFileBytes: 1000 },
    }),
    (e: Error) =>
      e instanceof LimitError &&
      /^the size of the image "pic\.png" in bytes is [\d,]+, over the limit of 1,000; raise it with --max-file-bytes/.test(
        e.message,
      ),
  );
  // The default is far above real data.
  assert.equal((await compile(csvSpec('real.csv'), { baseDir: spec })).clock.values.length, 2);
});

test('images: every output refuses an image the access rule refuses, with one message', async () => {
  const { readFileSync } = await import('node:fs');
  const { DataAccessError } = await import('../../src/data/access.js');
  const { spec } = await linkedFolders();
  const refusals = [
    ['link.png', /^image "link\.png" leads to .*outside\/secret\.png through a symbolic link/],
    ['https://example.com/a.png', /^image "https:\/\/example\.com\/a\.png" is a network URL/],
    ['../outside/secret.png', /^image "\.\.\/outside\/secret\.png" is outside the spec's folder/],
  ] as const;
  for (const ext of ['png', 'svg', 'pdf', 'html']) {
    for (const [url, message] of refusals) {
      await assert.rejects(
        renderToFile(imageSpec(url), path.join(spec, `refused.${ext}`), { baseDir: spec }),
        (e: Error) => e instanceof DataAccessError && message.test(e.message),
        `${ext}: ${url}`,
      );
    }
  }
  assert.deepEqual(
    readdirSync(spec).filter((f) => f.startsWith('refused')),
    [],
  );
  // Allowed, SVG and the player carry the image in themselves, and name no local path.
  const png = readFileSync(path.join(spec, 'pic.png')).toString('base64');
  for (const ext of ['svg', 'html']) {
    const out = path.join(spec, `ok.${ext}`);
    await renderToFile(imageSpec('pic.png'), out, { baseDir: spec });
    const text = readFileSync(out, 'utf8');
    assert.ok(text.includes(`data:image/png;base64,${png}`), `${ext} embeds the image`);
    assert.ok(!text.includes(spec), `${ext} names no local path`);
  }
});

test('images: the player holds each image the chart shows, computed URLs too, and fetches none', async () => {
  const { readFileSync, copyFileSync } = await import('node:fs');
  const { spec } = await linkedFolders();
  copyFileSync(path.join(spec, 'pic.png'), path.join(spec, 'pic-1.png'));
  const chart = {
    data: { values: [{ k: 0 }, { k: 1 }] },
    width: 100,
    height: 80,
    mark: { type: 'image', width: 50, height: 40 },
    encoding: {
      url: { value: { expr: "'pic' + (frame_index > 0 ? '-1' : '') + '.png'" } },
      x: { value: 50 },
      y: { value: 40 },
      frame: { field: 'k' },
    },
  };
  const out = path.join(spec, 'computed.html');
  await renderToFile(chart, out, { baseDir: spec });
  const payload = JSON.parse(
    /<script class="vf-payload" type="application\/json">(.*?)<\/script>/s.exec(
      readFileSync(out, 'utf8'),
    )![1],
  ) as { images: Record<string, string> };
  assert.deepEqual(Object.keys(payload.images).sort(), ['pic-1.png', 'pic.png']);
  for (const href of Object.values(payload.images)) assert.match(href, /^data:image\/png;base64,/);
});

/** Where an expression can sit: the spec (`BAD` marks the expression) and its JSON path. */
const BAD = 'process.exit(3)';
const unit = {
  data: { values: [{ a: 1, t: 0 }] },
  mark: 'point',
  encoding: { x: { field: 'a', type: 'quantitative' }, frame: { field: 't' } },
};
const placements: [string, Record<string, unknown>, string, RegExp?][] = [
  [
    'a filter in and',
    { transform: [{ filter: { and: ['datum.a > 0', BAD] } }] },
    '$.transform[0].filter.and[1]',
  ],
  [
    'a filter in not(or)',
    { transform: [{ filter: { not: { or: [{ field: 'a', equal: 1 }, BAD] } } }] },
    '$.transform[0].filter.not.or[1]',
  ],
  [
    "a condition's test in and",
    {
      encoding: {
        ...unit.encoding,
        color: { condition: { test: { and: [BAD] }, value: 'red' }, value: 'blue' },
      },
    },
    '$.encoding.color.condition.test.and[0]',
  ],
  [
    'a field predicate with an expression value',
    { transform: [{ filter: { field: 'a', equal: { expr: BAD } } }] },
    '$.transform[0].filter.equal.expr',
  ],
  [
    'an event selector filter',
    { params: [{ name: 's', select: { type: 'point', on: `click[${BAD}]` } }] },
    '$.params[0].select.on',
    /in the event stream "click\[process\.exit\(3\)\]"/,
  ],
  [
    'a between filter of an event selector',
    {
      params: [
        {
          name: 's',
          select: {
            type: 'interval',
            translate: `[pointerdown[${BAD}], window:pointerup] > window:pointermove!`,
          },
        },
      ],
    },
    '$.params[0].select.translate',
  ],
  [
    "an event stream object's filter",
    {
      params: [
        {
          name: 's',
          select: { type: 'point', on: { type: 'click', filter: ['event.shiftKey', BAD] } },
        },
      ],
    },
    '$.params[0].select.on.filter[1]',
  ],
  [
    'a legend binding stream',
    {
      params: [
        {
          name: 's',
          select: { type: 'point', fields: ['a'] },
          bind: { legend: `dblclick[${BAD}]` },
        },
      ],
    },
    '$.params[0].bind.legend',
  ],
  [
    'a toggle',
    { params: [{ name: 's', select: { type: 'point', toggle: BAD } }] },
    '$.params[0].select.toggle',
  ],
  [
    'a labelExpr',
    {
      encoding: {
        ...unit.encoding,
        x: { field: 'a', type: 'quantitative', axis: { labelExpr: BAD } },
      },
    },
    '$.encoding.x.axis.labelExpr',
  ],
  [
    'an href value',
    { encoding: { ...unit.encoding, href: { value: { expr: BAD } } } },
    '$.encoding.href.value.expr',
  ],
  ['a mark property', { mark: { type: 'point', size: { expr: BAD } } }, '$.mark.size.expr'],
  ['a param expr', { params: [{ name: 'p', expr: BAD }] }, '$.params[0].expr'],
  [
    'a custom format type',
    {
      config: { customFormatTypes: true },
      encoding: {
        ...unit.encoding,
        x: { field: 'a', type: 'quantitative', axis: { formatType: 'process.exit' } },
      },
    },
    '$.encoding.x.axis.formatType',
  ],
];

for (const [where, part, at, extra] of placements) {
  test(`an expression is checked wherever it sits: ${where}`, async () => {
    await assert.rejects(compile({ ...unit, ...part }), (e: Error) => {
      assert.ok(e instanceof CompileError, e.message);
      assert.equal(e.path, at);
      assert.match(e.message, /the expression "process\.exit\([^"]*\)".* is not allowed/);
      if (extra) assert.match(e.message, extra);
      return true;
    });
  });
}

test('event streams, toggles, selection tests and data that looks like expressions still compile', async () => {
  const spec = {
    // `price [USD, net]` reads field "USD, net" of field "price ", as Vega reads field paths.
    data: {
      values: [{ a: 1, t: 0, expr: 'not an expression (data)', 'price ': { 'USD, net': 2 } }],
    },
    params: [
      {
        name: 's',
        select: {
          type: 'point',
          on: 'click[event.altKey]',
          toggle: 'event.shiftKey',
          clear: 'dblclick',
        },
        bind: 'legend',
      },
      { name: 'b', select: { type: 'interval', translate: true, zoom: 'wheel![event.ctrlKey]' } },
    ],
    transform: [
      {
        filter: {
          and: ['datum.a > 0', { param: 's', empty: true }, "vlSelectionTest('s_store', datum)"],
        },
      },
      { regression: 'a', on: 'price [USD, net]' },
    ],
    mark: 'point',
    encoding: {
      x: { field: 'a', type: 'quantitative' },
      color: { field: 'a', type: 'nominal' },
      frame: { field: 't' },
    },
  };
  await compile(spec);
  const { CompileError: E } = await import('../../src/compile/messages.js');
  await assert.rejects(
    compile({ ...unit, params: [{ name: 's', select: { type: 'point', on: 'click[' } }] }),
    (e: Error) =>
      e instanceof E &&
      e.path === '$.params[0].select.on' &&
      /the event stream "click\[" is not a Vega event selector/.test(e.message),
  );
});

test("the walker knows every property Vega-Lite's schema gives an expression, a predicate or an event stream", async () => {
  const { readFileSync } = await import('node:fs');
  const { SHAPES } = await import('../../src/compile/expressions.js');
  type Node = Record<string, unknown>;
  const defs = (
    JSON.parse(readFileSync('schemas/vega-frames.schema.json', 'utf8')) as {
      definitions: Record<string, Node>;
    }
  ).definitions;
  const REFS: Record<string, string> = {
    '#/definitions/Expr': 'expression',
    '#/definitions/PredicateComposition': 'predicate',
    '#/definitions/Stream': 'stream',
  };
  /** The shapes a property's schema allows (through anyOf, array items and references, not objects). */
  const shapes = (s: Node, out = new Set<string>(), seen = new Set<string>()): Set<string> => {
    const description = typeof s.description === 'string' ? s.description : '';
    const types = ([] as unknown[]).concat(s.type ?? []);
    if (typeof s.$ref === 'string' && REFS[s.$ref]) out.add(REFS[s.$ref]);
    else if (typeof s.$ref === 'string' && !seen.has(s.$ref)) {
      const def = defs[s.$ref.replace('#/definitions/', '')];
      if (def && !def.properties) shapes(def, out, seen.add(s.$ref));
    } else if (
      types.includes('string') &&
      /\[(a )?(Vega )?expression\]|^Vega expression/i.test(description)
    )
      out.add('expression');
    else if (types.includes('string') && /\[(Vega )?event stream/i.test(description))
      out.add('stream');
    else if (types.includes('string') && !s.enum && !s.const) out.add('text');
    for (const branch of (s.anyOf ?? []) as Node[]) shapes(branch, out, seen);
    if (s.items && typeof s.items === 'object') shapes(s.items as Node, out, seen);
    return out;
  };
  const found = new Map<string, Set<string>>();
  const plainText = new Set<string>();
  const visit = (def: string, node: Node): void => {
    for (const [name, prop] of Object.entries((node.properties ?? {}) as Record<string, Node>)) {
      const s = shapes(prop);
      // Beside an event stream object, a string is the same stream as a selector.
      if (s.has('stream')) s.delete('text');
      for (const shape of s) {
        if (shape === 'text') {
          if (name in SHAPES) plainText.add(`${def}.${name}`);
        } else found.set(name, (found.get(name) ?? new Set()).add(shape));
      }
    }
    for (const branch of (node.anyOf ?? []) as Node[]) visit(def, branch);
  };
  for (const [name, def] of Object.entries(defs)) visit(name, def);
  // Each such property is in SHAPES, with a shape that takes what the schema allows (a
  // predicate's string is an expression; an event stream object's filter is one or a list).
  for (const [name, set] of found) {
    const shape = SHAPES[name];
    assert.ok(shape, `${name} holds ${[...set].join(', ')} and is not in SHAPES`);
    for (const s of set)
      assert.ok(
        s === shape || (shape === 'predicate' && s === 'expression'),
        `${name}: ${s} in the schema, ${shape} in SHAPES`,
      );
  }
  // Names in SHAPES the schema does not give an expression: Vega's own, which a spec may carry.
  assert.deepEqual(
    Object.keys(SHAPES)
      .filter((n) => !found.has(n))
      .sort(),
    ['events', 'signal', 'update'],
  );
  // Names in SHAPES the schema also uses for plain text: the walker tells them apart.
  assert.deepEqual([...plainText].sort(), ['LoessTransform.on', 'RegressionTransform.on']);
});

test('links: SVG output keeps web links (nothing is read) and refuses script URLs', async () => {
  const { readFileSync } = await import('node:fs');
  const { DataAccessError } = await import('../../src/data/access.js');
  const linked = (href: string) => ({
    data: { values: [{ a: 1 }] },
    mark: 'point',
    encoding: { x: { field: 'a', type: 'quantitative' }, href: { value: href } },
  });
  const out = path.join(dir, 'linked.svg');
  await renderToFile(linked('https://example.com/x'), out);
  assert.match(readFileSync(out, 'utf8'), /<a [^>]*href="https:\/\/example\.com\/x"/);
  await assert.rejects(
    renderToFile(linked('javascript:alert(1)'), path.join(dir, 'script.svg')),
    (e: Error) =>
      e instanceof DataAccessError && /^link "javascript:alert\(1\)" is refused/.test(e.message),
  );
});
