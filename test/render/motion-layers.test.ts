/**
 * A shared `encoding: {frame, key}` above a layer with inline data of its own (a label, a
 * year in the corner): the layer without the frame field is drawn whole in every frame, all
 * its rows, and validate, info and render agree; a framed layer without the key field draws
 * every row; without the frame field anywhere, an error.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { type SpecInput, compile, info, validate } from '../../src/api.js';
import { type Frame, renderAll } from '../helpers/motion.js';

type Json = Record<string, unknown>;

const bars = [
  { id: 'a', t: 2000, v: 5 },
  { id: 'b', t: 2000, v: 8 },
  { id: 'a', t: 2010, v: 4 },
  { id: 'c', t: 2010, v: 7 },
];

function layered(animation: Json = { tween: { frames: 3 }, enter: 'grow', exit: 'grow' }): Json {
  return {
    width: 200,
    height: 160,
    data: { values: bars },
    encoding: { frame: { field: 't', type: 'quantitative' }, key: { field: 'id' } },
    layer: [
      {
        mark: { type: 'bar', color: '#00aa00' },
        encoding: {
          x: { field: 'id', type: 'nominal' },
          y: { field: 'v', type: 'quantitative', scale: { domain: [0, 10] } },
        },
      },
      {
        // Two notes: both drawn, though neither has the shared key's field.
        data: {
          values: [
            { label: 'NOTE', y: 14, c: '#ff0000' },
            { label: 'NOTE', y: 34, c: '#0000ff' },
          ],
        },
        mark: { type: 'text', x: 166, baseline: 'middle', fontSize: 14, fontWeight: 'bold' },
        encoding: {
          text: { field: 'label' },
          y: { field: 'y', type: 'quantitative', scale: null },
          color: { field: 'c', type: 'nominal', scale: null },
        },
      },
      {
        data: { values: [{}] },
        mark: { type: 'text', x: 10, y: 10, align: 'left', text: '{frame:.0f}' },
      },
    ],
    config: { axis: { grid: false } },
    animation,
  };
}

const count = (f: Frame, match: (r: number, g: number, b: number) => boolean) => {
  let n = 0;
  for (let i = 0; i < f.rgba.length; i += 4)
    if (match(f.rgba[i], f.rgba[i + 1], f.rgba[i + 2])) n++;
  return n;
};
const red = (r: number, g: number, b: number) => r > 180 && g < 90 && b < 90;
const blue = (r: number, g: number, b: number) => b > 180 && r < 90 && g < 90;
const green = (r: number, g: number, b: number) => g > 120 && r < 90 && b < 90;

for (const animation of [{}, { tween: { frames: 3 }, enter: 'grow', exit: 'grow' }]) {
  const name = Object.keys(animation).length ? 'tweened' : 'without motion';
  test(`a shared frame and key over a layer with inline data: that layer is static (${name})`, async () => {
    const spec = layered(animation);
    await validate(spec as SpecInput);
    const i = await info(spec as SpecInput);
    assert.equal(i.dataFrames, 2);
    assert.deepEqual(
      i.sources.map((s) => [s.rows, s.framed]),
      [
        [4, true],
        [2, false],
        [1, false],
      ],
    );
    const { frames, plan } = await renderAll(spec);
    assert.deepEqual(plan.warnings, []);
    assert.equal(frames.length, i.frames);
    const notes = frames.map((f) => [count(f, red), count(f, blue)]);
    assert.ok(notes[0][0] > 30 && notes[0][1] > 30, `both notes drawn: ${notes[0].join(', ')}`);
    for (const n of notes) assert.deepEqual(n, notes[0], 'the notes are the same in every frame');
    const barPixels = frames.map((f) => count(f, green));
    assert.notEqual(barPixels[0], barPixels[barPixels.length - 1], 'the bars change');
  });
}

test('a framed layer with data of its own, without the shared key field, draws every row', async () => {
  // Two notes a frame, framed by the shared "t", with no "id" to key them by.
  const spec = layered({});
  const notes = (spec.layer as Json[])[1] as Json;
  notes.data = {
    values: [2000, 2010].flatMap((t) => [
      { label: 'NOTE', t, y: 14, c: '#ff0000' },
      { label: 'NOTE', t, y: 34, c: '#0000ff' },
    ]),
  };
  const i = await info(spec as SpecInput);
  assert.deepEqual(
    i.sources.map((s) => s.framed),
    [true, true, false],
  );
  const { frames } = await renderAll(spec);
  for (const f of frames) {
    const drawn = [count(f, red), count(f, blue)];
    assert.ok(drawn[0] > 30 && drawn[1] > 30, `both notes drawn: ${drawn.join(', ')}`);
  }
});

test('a shared frame field that no source has is an error naming the field', async () => {
  const spec = layered();
  (spec.encoding as Json).frame = { field: 'year', type: 'quantitative' };
  await assert.rejects(
    compile(spec as SpecInput),
    /encoding\.frame\.field "year" is not a field of the inline data/,
  );
});
