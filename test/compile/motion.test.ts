/**
 * Motion options that would do nothing warn, at their JSON path, with what to do: enter and
 * exit without tweens, tween frames beside a duration or a fitted total, grow on a mark it
 * cannot size, trails of rows a path draws, a wake's size with mode "all". And what rescale
 * rewrites in a scale.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { type SpecInput, compile } from '../../src/api.js';
import { rewriteForMotion } from '../../src/compile/motion.js';

type Json = Record<string, unknown>;

const values = [
  { id: 'a', t: 0, x: 1, y: 2 },
  { id: 'a', t: 1, x: 2, y: 3 },
  { id: 'b', t: 1, x: 3, y: 1 },
];

function spec(mark: string | Json, animation: Json, extra: Json = {}): SpecInput {
  return {
    data: { values },
    mark,
    encoding: {
      x: { field: 'x', type: 'quantitative' },
      y: { field: 'y', type: 'quantitative' },
      key: { field: 'id' },
      frame: { field: 't', type: 'quantitative' },
    },
    animation,
    ...extra,
  } as SpecInput;
}

const warningsOf = async (s: SpecInput) => (await compile(s)).warnings;

test('enter and exit without tweens warn that they do nothing', async () => {
  const warnings = await warningsOf(spec('point', { enter: ['fade', 'grow'], exit: 'fly' }));
  assert.deepEqual(warnings, [
    'at $.animation.enter: animation.enter "fade", "grow" does nothing without tweens: rows come in from one data frame to the next, with no frames in between to show the effect; add tween (e.g. tween: {frames: 5}) or remove enter.',
    'at $.animation.exit: animation.exit "fly" does nothing without tweens: rows go out from one data frame to the next, with no frames in between to show the effect; add tween (e.g. tween: {frames: 5}) or remove exit.',
  ]);
  // A total the engine fits in-betweens into makes tweens; "none" is no effect.
  assert.deepEqual(await warningsOf(spec('point', { enter: 'grow', nframes: 5 })), []);
  assert.deepEqual(await warningsOf(spec('point', { enter: 'none' })), []);
});

test('tween frames beside a duration, or beside a fitted total, warn which one is used', async () => {
  assert.deepEqual(await warningsOf(spec('point', { tween: { frames: 4, duration: 1 } })), [
    'at $.animation.tween.duration: animation.tween has both frames (4) and duration (1 s); frames is used and duration ignored: keep one.',
  ]);
  assert.deepEqual(await warningsOf(spec('point', { tween: { frames: 4 }, nframes: 9 })), [
    'at $.animation.tween.frames: animation.tween.frames is ignored: animation.nframes fits the in-between frames to the total instead; keep one.',
  ]);
  assert.deepEqual(await warningsOf(spec('point', { tween: { frames: 4 } })), []);
});

test('a tween without frames or duration warns that it draws no in-betweens', async () => {
  assert.deepEqual(
    await warningsOf(spec('point', { tween: { easing: 'bounce', wrap: true }, enter: 'fade' })),
    [
      'at $.animation.enter: animation.enter "fade" does nothing without tweens: rows come in from one data frame to the next, with no frames in between to show the effect; add tween (e.g. tween: {frames: 5}) or remove enter.',
      'at $.animation.tween: animation.tween has no frames or duration, so no in-between frame is drawn and its easing and wrap do nothing; give tween.frames (in-betweens per tween) or tween.duration (seconds).',
    ],
  );
  assert.deepEqual(await warningsOf(spec('point', { tween: { frames: 0 } })), [
    'at $.animation.tween: animation.tween has no frames or duration, so no in-between frame is drawn; give tween.frames (in-betweens per tween) or tween.duration (seconds).',
  ]);
  assert.deepEqual(await warningsOf(spec('point', { tween: { easing: 'bounce' } })), [
    'at $.animation.tween: animation.tween has no frames or duration, so no in-between frame is drawn and its easing does nothing; give tween.frames (in-betweens per tween) or tween.duration (seconds).',
  ]);
  assert.deepEqual(
    await warningsOf(spec('point', { tween: { easing: 'bounce' }, nframes: 9 })),
    [],
  );
  assert.deepEqual(await warningsOf(spec('point', { tween: { duration: 0.5 } })), []);
});

test('grow on a mark it cannot size warns with the mark and its unit; on others it is silent', async () => {
  const line = await warningsOf(
    spec('line', { tween: { frames: 2 }, enter: 'grow', exit: 'grow' }),
  );
  assert.deepEqual(line, [
    'at $.animation.enter: animation.enter "grow" does not apply to the line mark at $: grow sizes points, text, bars, areas and rects; its rows come and go at full size.',
    'at $.animation.exit: animation.exit "grow" does not apply to the line mark at $: grow sizes points, text, bars, areas and rects; its rows come and go at full size.',
  ]);
  const layered: SpecInput = {
    data: { values },
    encoding: {
      x: { field: 'x', type: 'quantitative' },
      y: { field: 'y', type: 'quantitative' },
      key: { field: 'id' },
      frame: { field: 't', type: 'quantitative' },
    },
    layer: [
      { mark: 'bar' },
      { mark: 'rule' },
      { mark: 'text', encoding: { text: { field: 'id' } } },
    ],
    animation: { tween: { frames: 2 }, enter: 'grow' },
  } as SpecInput;
  assert.deepEqual(await warningsOf(layered), [
    'at $.animation.enter: animation.enter "grow" does not apply to the rule mark at $.layer[1]: grow sizes points, text, bars, areas and rects; its rows come and go at full size.',
  ]);
  for (const mark of ['point', 'bar', 'area', 'rect', 'text', 'tick', 'square'])
    assert.deepEqual(
      await warningsOf(
        spec(mark, { tween: { frames: 2 }, enter: 'grow' }, mark === 'text' ? {} : {}),
      ),
      [],
      mark,
    );
});

test('a trail of rows a line draws warns; a wake size with mode "all" warns', async () => {
  assert.deepEqual(await warningsOf(spec('line', { trail: { frames: 3 } })), [
    'at $.animation.trail: animation.trail draws no copies of the data the line mark at $ draws: copies of its rows would join into its path. Give the marks to trail data of their own (a layer with its own data).',
  ]);
  assert.deepEqual(await warningsOf(spec('point', { trail: { mode: 'all', size: 0.5 } })), [
    'at $.animation.trail.size: animation.trail.size shrinks a wake only; with mode "all" every copy keeps its size: remove size, or use mode "wake".',
  ]);
  assert.deepEqual(await warningsOf(spec('point', { trail: { frames: 3, size: 0.5 } })), []);
});

test('a wake length with mode "all" warns: every earlier data frame is kept', async () => {
  assert.deepEqual(await warningsOf(spec('point', { trail: { mode: 'all', frames: 3 } })), [
    'at $.animation.trail.frames: animation.trail.frames is the length of a wake; with mode "all" every earlier data frame stays: remove frames, or use mode "wake".',
  ]);
});

test('rescale of a scale whose domain the spec gives warns at its entry', async () => {
  const fixed = spec(
    'point',
    { rescale: ['y', 'x'], tween: { frames: 2 } },
    {
      encoding: {
        x: { field: 'x', type: 'quantitative', scale: { domain: [0, 10] } },
        y: { field: 'y', type: 'quantitative' },
        key: { field: 'id' },
        frame: { field: 't', type: 'quantitative' },
      },
    },
  );
  assert.deepEqual(await warningsOf(fixed), [
    "at $.animation.rescale[1]: animation.rescale names x, but the spec gives the x scale's domain, so it stays fixed: remove x from rescale, or the domain.",
  ]);
});

test('rescale of a channel the chart has no scale for is an error, with the nearest name', async () => {
  const typo = spec(
    'point',
    { rescale: ['colour'] },
    {
      encoding: {
        x: { field: 'x', type: 'quantitative' },
        y: { field: 'y', type: 'quantitative' },
        color: { field: 'id', type: 'nominal' },
        frame: { field: 't', type: 'quantitative' },
      },
    },
  );
  await assert.rejects(
    compile(typo as never),
    (e: Error) =>
      e.message ===
      'animation.rescale names "colour", but the chart has no colour scale (did you mean "color"?) (it has: x, y, color)',
  );
});

test('a rescaled scale named in ranges reads its domain and its range from signals', async () => {
  const vega: Json = {
    scales: [
      {
        name: 'color',
        type: 'ordinal',
        domain: { data: 'd', field: 'c' },
        range: 'category',
        reverse: true,
      },
      { name: 'shape', type: 'ordinal', domain: { data: 'd', field: 'c' }, range: 'symbol' },
    ],
  };
  rewriteForMotion(vega, new Set(), new Set(), () => true, ['color', 'shape'], ['color']);
  const [color, shape] = vega.scales as Json[];
  assert.deepEqual(color.domain, { signal: 'vf_domain_color' });
  assert.deepEqual(color.range, { signal: 'vf_range_color' });
  // The signal's colours are in the scale's order already.
  assert.equal(color.reverse, undefined);
  assert.deepEqual(shape.domain, { signal: 'vf_domain_shape' });
  assert.equal(shape.range, 'symbol');
});
