/**
 * Vega expression functions over RE2 and with size bounds: the same results as Vega's own
 * (JavaScript's) on ordinary patterns, linear time on a catastrophic one, and a sentence
 * instead of an allocation past a bound.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as vega from 'vega';
import '../../src/render/bounded-functions.js';

/** Evaluates an expression the way a spec's `calculate` is evaluated: through a View. */
async function evaluate(expr: string): Promise<unknown> {
  const errors: string[] = [];
  const logger = {
    level: () => logger,
    error: (e: unknown) => (errors.push(e instanceof Error ? e.message : String(e)), logger),
    warn: () => logger,
    info: () => logger,
    debug: () => logger,
  };
  const view = new vega.View(vega.parse({ signals: [{ name: 'out', update: expr }] } as never), {
    renderer: 'none',
    logger: logger as never,
  });
  try {
    await view.runAsync();
  } catch (e) {
    errors.push((e as Error).message);
  }
  if (errors.length) throw new Error(errors[0]);
  return view.signal('out');
}

const CASES: [string, unknown][] = [
  ["test(/^a.c$/i, 'AbC')", true],
  ["test('b+', 'abbbc')", true],
  ["test(/x/, 'abc')", false],
  ["replace('a1 b2 c3', /(\\w)(\\d)/g, '[$2$1 $&]')", '[1a a1] [2b b2] [3c c3]'],
  ["replace('a1 b2', /(\\w)(\\d)/, '$2')", '1 b2'],
  ["replace('aaa', /a*/g, '-')", '--'],
  ["replace('abc', /x*/g, '-')", '-a-b-c-'],
  ["replace('a.b.c', '.', '$&$&')", 'a$&$&b.c'],
  ["replace('2024-01-05', /(?<y>\\d+)-(?<m>\\d+)/, '$<m>/$<y>')", '01/2024-05'],
  ["split('x1y22z', /\\d+/)", ['x', 'y', 'z']],
  ["split('x1y22z', /(\\d)+/)", ['x', '1', 'y', '2', 'z']],
  ["split('abc', /(?:)/)", ['a', 'b', 'c']],
  ["split('abc', /(?:)/, 2)", ['a', 'b']],
  ["split('', /,/)", ['']],
  ["split('a,b,,c', ',')", ['a', 'b', '', 'c']],
  ["split(' a  b ', /\\s*/)", ['', 'a', 'b', '']],
  ['sequence(3)', [0, 1, 2]],
  ['sequence(1, 7, 2)', [1, 3, 5]],
  ["pad('7', 3, '0', 'left')", '007'],
];

test('expression functions: RE2 and the bounds give the results JavaScript gives', async () => {
  for (const [expr, expected] of CASES) {
    assert.deepEqual(await evaluate(expr), expected, expr);
    // The reference: the same call on JavaScript's own engine, where one applies.
    const native =
      /^(replace|split)\('((?:[^'\\]|\\.)*)', (\/.*\/[a-z]*|'[^']*')(?:, (.*))?\)$/.exec(expr);
    if (native && native[3].startsWith('/')) {
      const [, fn, input, pattern, arg] = native;
      const re = eval(pattern) as RegExp;
      const js =
        fn === 'replace'
          ? input.replace(re, eval(arg) as string)
          : input.split(re, arg === undefined ? undefined : Number(arg));
      assert.deepEqual(js, expected, `JavaScript's own ${expr}`);
    }
  }
});

test('expression functions: a catastrophic pattern runs in linear time', async () => {
  const started = performance.now();
  const input = `${'a'.repeat(20_000)}!`;
  assert.equal(await evaluate(`test(/^(a+)+$/, '${input}')`), false);
  assert.equal(await evaluate(`replace('${input}', /(a|aa)+$/, 'x')`), input);
  assert.ok(performance.now() - started < 2_000, 'RE2 answers at once');
});

test('expression functions: sizes past a bound and patterns RE2 cannot run are refused', async () => {
  await assert.rejects(
    evaluate('sequence(0, 1e9)'),
    /sequence\(0, 1000000000\) would make 1,000,000,000 values, over the 1,000,000/,
  );
  await assert.rejects(evaluate('sequence(0, 1, 0.0000001)'), /would make 10,000,000 values/);
  await assert.rejects(evaluate("pad('x', 1e8)"), /pad\(\) to 100,000,000 characters is over/);
  // Under the bound in length, but each missing character is padded with 5,000.
  await assert.rejects(
    evaluate("pad('', 100000, pad('', 5000, 'x'))"),
    /pad\(\) to 100,000 characters with a 5,000-character pad string would make 500,000,000 characters, over the 100,000/,
  );
  assert.equal(await evaluate("length(pad('ab', 20, 'xyz', 'center'))"), 56);
  await assert.rejects(
    evaluate("timeSequence('millisecond', datetime(2000, 0, 1), datetime(2020, 0, 1))"),
    /timeSequence\("millisecond", …\) would make about 631,152,000,000 values/,
  );
  await assert.rejects(
    evaluate("replace(pad('x', 1000, 'x'), /x/g, pad('y', 2000, 'y'))"),
    /replace\(\) would make a string of over 100,000 characters/,
  );
  await assert.rejects(
    evaluate("test(/(a)\\1/, 'aa')"),
    /uses a feature vega-frames does not run .*backreferences/,
  );
});
