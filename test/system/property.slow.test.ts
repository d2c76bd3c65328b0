/**
 * Property-based: random specs over random data either render (and the GIF decodes with
 * the frames the plan has) or stop with one of the engine's clear errors, never a crash
 * such as a TypeError, and never a hang.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { type SpecInput, compile, renderToFile, LimitError, OptionError } from '../../src/api.js';
import { SpecError, SpecErrors } from '../../src/spec/errors.js';
import { CompileError } from '../../src/compile/messages.js';
import { FacetError } from '../../src/compile/facet.js';
import { DataLoadError } from '../../src/data/load.js';
import { decodeGif } from '../helpers/gif-decode.js';
import { VegaRuntimeError } from '../../src/render/view.js';
import { FormatError } from '../../src/encode/format-error.js';

const dir = mkdtempSync(path.join(tmpdir(), 'vf-prop-'));

const value = fc.oneof(
  fc.integer({ min: -1000, max: 1000 }),
  fc.double({ min: -1e6, max: 1e6, noNaN: true }),
  fc.constantFrom(null, 'NaN', '', 'x', 0, 1e300, -0, -1e308, Number.MAX_VALUE, 'Infinity'),
);
const row = fc.record({
  a: value,
  b: fc.constantFrom('p', 'q', 'r', null, ''),
  t: fc.oneof(fc.integer({ min: 0, max: 4 }), fc.constant(null)),
  d: fc.constantFrom('2024-01-01', '2024-02-15', 'not a date', null),
});
// Now and then a field name Vega reads as a path, or takes for a property of every object.
const field = fc.oneof(
  { arbitrary: fc.constantFrom('a', 'b', 't', 'd', 'missing'), weight: 12 },
  {
    arbitrary: fc.constantFrom("a'b", 'a["b', 'a]', '', '.', 'a.b', 'constructor', '__proto__'),
    weight: 1,
  },
);
const channel = fc.record(
  {
    field,
    type: fc.constantFrom('quantitative', 'nominal', 'ordinal', 'temporal'),
  },
  { requiredKeys: ['field'] },
);
const spec = fc.record(
  {
    data: fc.record({ values: fc.array(row, { minLength: 0, maxLength: 40 }) }),
    mark: fc.constantFrom(
      'point',
      'circle',
      'square',
      'bar',
      'line',
      'area',
      'rect',
      'text',
      'tick',
      'rule',
    ),
    encoding: fc.record(
      {
        x: channel,
        y: channel,
        color: channel,
        size: channel,
        key: fc.record({ field: fc.constantFrom('a', 'b', 't', 'd', 'missing') }),
        frame: fc.record(
          {
            field: fc.constantFrom('t', 'a', 'b', 'd', 'missing'),
            type: fc.constantFrom('quantitative', 'ordinal', 'nominal', 'temporal'),
            cumulative: fc.boolean(),
          },
          { requiredKeys: ['field'] },
        ),
      },
      { requiredKeys: [] },
    ),
    width: fc.integer({ min: 1, max: 300 }),
    height: fc.integer({ min: 1, max: 300 }),
    animation: fc.record(
      {
        fps: fc.double({ min: 0.5, max: 60, noNaN: true }),
        loop: fc.boolean(),
        // Motion: tweens, effects, trails, reveal, rescale and timing in any combination.
        tween: fc.record(
          {
            frames: fc.integer({ min: 0, max: 3 }),
            easing: fc.oneof(
              fc.constantFrom('linear', 'cubic-in-out', 'elastic-out', 'bounce'),
              fc.record({ x: fc.constantFrom('quad-in', 'back-out'), default: fc.constant('sin') }),
            ),
          },
          { requiredKeys: [] },
        ),
        enter: fc.constantFrom('fade', 'grow', 'fly', ['fade', 'fly-left'], 'none'),
        exit: fc.constantFrom('fade', 'grow', 'fly-top', ['grow', 'fade']),
        trail: fc.record(
          { mode: fc.constantFrom('wake', 'all'), frames: fc.integer({ min: 1, max: 3 }) },
          { requiredKeys: [] },
        ),
        reveal: fc.boolean(),
        rescale: fc.subarray(['x', 'y', 'color', 'size']),
        hold: fc.constantFrom(0, 0.3),
        rewind: fc.boolean(),
      },
      { requiredKeys: [] },
    ),
  },
  { requiredKeys: ['data', 'mark', 'encoding'] },
);

/**
 * The engine's own errors, each a sentence for the user. Not RangeError or TypeError: a
 * stack overflow or an invalid array length is a RangeError too, and a crash all the same.
 */
const clearError = (e: unknown) =>
  e instanceof SpecError ||
  e instanceof SpecErrors ||
  e instanceof CompileError ||
  e instanceof FacetError ||
  e instanceof DataLoadError ||
  e instanceof LimitError ||
  e instanceof OptionError ||
  e instanceof FormatError ||
  e instanceof VegaRuntimeError;

test('random specs render or fail with a clear error', { timeout: 180_000 }, async () => {
  let rendered = 0;
  let refused = 0;
  await fc.assert(
    fc.asyncProperty(spec, async (s) => {
      const out = path.join(dir, 'out.gif');
      try {
        await renderToFile(s as SpecInput, out, { workers: 1, limits: { timeoutSeconds: 30 } });
      } catch (e) {
        assert.ok(clearError(e), `unclear ${(e as Error).constructor.name}: ${(e as Error).stack}`);
        // A sentence: more than a word, and none of JavaScript's own phrasing.
        const text = (e as Error).message;
        assert.ok(text.length > 10, text);
        assert.doesNotMatch(
          text,
          /Cannot read propert|is not a function|is not defined|Maximum call stack|Invalid (typed )?array length|undefined \(reading/,
        );
        refused++;
        return;
      }
      const plan = await compile(s as SpecInput);
      const gif = decodeGif(readFileSync(out));
      assert.equal(gif.frameCount, plan.timeline.length);
      rendered++;
    }),
    // A fixed seed keeps CI repeatable; VF_PROP_SEED and VF_PROP_RUNS explore further.
    {
      numRuns: Number(process.env.VF_PROP_RUNS ?? 60),
      seed: Number(process.env.VF_PROP_SEED ?? 20261122),
    },
  );
  // The generator must exercise both outcomes, or it tests little.
  assert.ok(rendered > 5 && refused > 5, `rendered ${rendered}, refused ${refused}`);
});
