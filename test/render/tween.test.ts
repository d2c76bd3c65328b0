/**
 * The rows of each output frame when the animation has motion (render/tween.ts), read as
 * values rather than pixels: data frames as they are, tweens matched by key or by order,
 * numbers eased per channel, categories switched at the midpoint with their colours mixed,
 * enter and exit effects, wake and "all" trails, and the tables a trail is joined into.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { type SpecInput, compile } from '../../src/api.js';
import type { PlannedSource } from '../../src/data/partition.js';
import type { FramePlan } from '../../src/data/plan.js';
import { type ColumnTable, cellValue, tableFromRows } from '../../src/data/table.js';
import { type FrameData, MotionData, concatFrames, mixColors } from '../../src/render/tween.js';
import { pointSpec } from '../helpers/motion.js';

type Json = Record<string, unknown>;

const COLORS: Record<string, string> = { hi: '#ff0000', lo: '#dddddd', b: '#0000ff' };

/** The plan of `pointSpec(values, animation)`, its framed source and its motion data. */
async function motionOf(values: Json[], animation: Json, spec: Json = {}) {
  const plan: FramePlan = await compile({ ...pointSpec(values, animation), ...spec } as SpecInput);
  const source = plan.planned.find((s) => s.partition) as PlannedSource;
  const motion = new MotionData(
    plan,
    [{ scale: 'color', field: 'c' }],
    (_, v) => COLORS[String(v)],
  );
  return { plan, source, frame: (i: number) => motion.frame(source, i) };
}

/** The rows of a frame as records, in drawing order. */
const rowsOf = ({ table, rows }: FrameData) =>
  Array.from(rows, (r) =>
    Object.fromEntries(table.names.map((n) => [n, cellValue(table.columns[n], r)])),
  );
/** One field of every row of a frame. */
const fieldOf = (data: FrameData, name: string) => rowsOf(data).map((r) => r[name]);

// Two points, listed in a different order in each frame; "z" leaves and "n" arrives.
const values = [
  { id: 'a', t: 0, x: 0, y: 0, c: 'hi' },
  { id: 'b', t: 0, x: 10, y: 10, c: 'lo' },
  { id: 'z', t: 0, x: 2, y: 2, c: 'hi' },
  { id: 'b', t: 1, x: 2, y: 6, c: 'b' },
  { id: 'a', t: 1, x: 4, y: 8, c: 'hi' },
  { id: 'n', t: 1, x: 5, y: 5, c: 'hi' },
];

test('a data frame is its own rows of the source table, nothing added', async () => {
  const { plan, source, frame } = await motionOf(values, { tween: { frames: 3 } });
  assert.deepEqual(
    plan.timeline.map((f) => [f.from, f.to, f.t]),
    [
      [0, 0, 0],
      [0, 1, 0.25],
      [0, 1, 0.5],
      [0, 1, 0.75],
      [1, 1, 0],
    ],
  );
  const first = frame(0);
  assert.equal(first.table, source.table);
  assert.deepEqual(fieldOf(first, 'id'), ['a', 'b', 'z']);
  assert.deepEqual(fieldOf(frame(4), 'id'), ['b', 'a', 'n']);
});

test('a tween matches rows by key and interpolates their numbers', async () => {
  const { frame } = await motionOf(values, { tween: { frames: 3 }, enter: 'fade', exit: 'fade' });
  // Exits first, then B's rows in B's order (each with its partner in A).
  const quarter = rowsOf(frame(1));
  assert.deepEqual(
    quarter.map((r) => [r.id, r.x, r.y]),
    [
      ['z', 2, 2],
      ['b', 10 + (2 - 10) * 0.25, 10 + (6 - 10) * 0.25],
      ['a', 1, 2],
      ['n', 5, 5],
    ],
  );
  assert.deepEqual(
    rowsOf(frame(3)).map((r) => [r.id, r.x, r.y]),
    [
      ['z', 2, 2],
      ['b', 4, 7],
      ['a', 3, 6],
      ['n', 5, 5],
    ],
  );
  // Fades: the exit goes 1 → 0 and the entry 0 → 1 with the tween; matched rows are left alone.
  assert.deepEqual(fieldOf(frame(1), 'vf_alpha'), [0.75, null, null, 0.25]);
  assert.deepEqual(fieldOf(frame(3), 'vf_alpha'), [0.25, null, null, 0.75]);
  assert.deepEqual(fieldOf(frame(1), 'vf_grow'), [null, null, null, null]);
});

test('without a key, rows are matched by their order in each frame', async () => {
  const spec = pointSpec(values, { tween: { frames: 1 } });
  delete (spec.encoding as Json).key;
  const { frame } = await motionOf(values, { tween: { frames: 1 } }, { encoding: spec.encoding });
  // a↔b, b↔a, z↔n: each pair halfway.
  assert.deepEqual(
    rowsOf(frame(1)).map((r) => [r.x, r.y]),
    [
      [1, 3],
      [7, 9],
      [3.5, 3.5],
    ],
  );
});

test('without enter or exit effects a row appears and vanishes at the midpoint', async () => {
  const { frame } = await motionOf(values, { tween: { frames: 3 } });
  assert.deepEqual(fieldOf(frame(1), 'id'), ['z', 'b', 'a']);
  assert.deepEqual(fieldOf(frame(2), 'id'), ['b', 'a', 'n']);
  assert.deepEqual(fieldOf(frame(3), 'id'), ['b', 'a', 'n']);
  // No effect: nothing fades, grows or flies.
  for (const name of ['vf_alpha', 'vf_grow', 'vf_fly_x', 'vf_fly_y'])
    assert.ok(
      fieldOf(frame(1), name).every((v) => v === null || v === undefined),
      name,
    );
});

test('a category switches at the midpoint, its colour mixed through the tween', async () => {
  const { frame } = await motionOf(values, { tween: { frames: 3 } });
  const b = (i: number) => rowsOf(frame(i)).find((r) => r.id === 'b')!;
  assert.deepEqual([b(1).c, b(2).c, b(3).c], ['lo', 'b', 'b']);
  // #dddddd → #0000ff, a quarter, half and three quarters of the way.
  assert.deepEqual(
    [1, 2, 3].map((i) => b(i).vf_color_color),
    ['rgb(166, 166, 230)', 'rgb(111, 111, 238)', 'rgb(55, 55, 247)'],
  );
  // A row whose category stays the same is drawn by its scale, not mixed.
  assert.equal(rowsOf(frame(1)).find((r) => r.id === 'a')!.vf_color_color, null);
});

test('each channel eases on its own curve: x quad-in, y linear', async () => {
  const mover = [
    { id: 'a', t: 0, x: 0, y: 0, c: 'hi' },
    { id: 'a', t: 1, x: 8, y: 8, c: 'hi' },
  ];
  const { frame } = await motionOf(mover, {
    tween: { frames: 3, easing: { x: 'quad-in', default: 'linear' } },
  });
  assert.deepEqual(
    [1, 2, 3].map((i) => [fieldOf(frame(i), 'x')[0], fieldOf(frame(i), 'y')[0]]),
    [
      [8 * 0.25 ** 2, 2],
      [8 * 0.5 ** 2, 4],
      [8 * 0.75 ** 2, 6],
    ],
  );
});

test('a wake trail draws the previous output frames behind the current one, fainter with age', async () => {
  const mover = [0, 1, 2].map((t) => ({ id: 'a', t, x: t * 4, y: 0, c: 'hi' }));
  const { frame } = await motionOf(mover, {
    tween: { frames: 1 },
    trail: { mode: 'wake', frames: 2, opacity: 0.6 },
  });
  // Output frames: 0, 0→1, 1, 1→2, 2 (x: 0, 2, 4, 6, 8).
  assert.deepEqual(fieldOf(frame(0), 'x'), [0]);
  assert.deepEqual(fieldOf(frame(1), 'x'), [0, 2]);
  assert.deepEqual(fieldOf(frame(3), 'x'), [2, 4, 6]);
  // Oldest first at 0.3, then 0.6; the current frame keeps its own opacity (none: null).
  assert.deepEqual(fieldOf(frame(3), 'vf_alpha'), [0.3, 0.6, null]);
});

test('an "all" trail keeps every earlier data frame at the trail opacity', async () => {
  const mover = [0, 1, 2].map((t) => ({ id: 'a', t, x: t * 4, y: 0, c: 'hi' }));
  const { frame } = await motionOf(mover, {
    tween: { frames: 1 },
    trail: { mode: 'all', opacity: 0.25 },
  });
  // In the tween 1→2, data frames 0 and 1 (its origin) stay behind the moving point.
  assert.deepEqual(fieldOf(frame(3), 'x'), [0, 4, 6]);
  assert.deepEqual(fieldOf(frame(3), 'vf_alpha'), [0.25, 0.25, null]);
  // On data frame 2 itself: frames 0 and 1.
  assert.deepEqual(fieldOf(frame(4), 'x'), [0, 4, 8]);
});

test('mixColors: RGB a fraction of the way, alpha when either side has it', () => {
  assert.equal(mixColors('#000000', '#ffffff', 0.5), 'rgb(128, 128, 128)');
  assert.equal(mixColors('#ff0000', '#0000ff', 0), 'rgb(255, 0, 0)');
  assert.equal(mixColors('#ff0000', '#0000ff', 1), 'rgb(0, 0, 255)');
  // Half-transparent red (alpha 0x80 of 0xff) halfway to opaque red: (128 + 127.5) / 255.
  assert.equal(mixColors('#ff000080', '#ff0000', 0.5), 'rgba(255, 0, 0, 0.751)');
  // A side without a colour: the other side once past the midpoint, else transparent.
  assert.equal(mixColors(undefined, '#ff0000', 0.3), 'transparent');
  assert.equal(mixColors(undefined, '#ff0000', 0.7), '#ff0000');
  assert.equal(mixColors('#ff0000', undefined, 0.3), '#ff0000');
});

test('concatFrames joins tables of different columns, scaling only the copies’ opacity', () => {
  const part = (rows: Json[]): FrameData => {
    const table: ColumnTable = tableFromRows(rows);
    return { table, rows: Uint32Array.from(rows, (_, i) => i) };
  };
  const older = part([
    { x: 1, name: 'p', vf_alpha: 0.5 },
    { x: 2, name: 'q', vf_alpha: null },
  ]);
  const current = part([
    { x: 3, name: 'q', extra: true },
    { x: 4, name: 'r', extra: false },
  ]);
  // Rows 1 of `older` only: a copy shows the rows it is given.
  const joined = concatFrames([
    { data: older, alpha: 0.4 },
    { data: { ...older, rows: Uint32Array.of(1) }, alpha: 0.8 },
    { data: current, alpha: NaN },
  ]);
  assert.deepEqual(joined.table.names, ['x', 'name', 'vf_alpha', 'extra']);
  const records = rowsOf(joined);
  assert.deepEqual(
    records.map((r) => [r.x, r.name]),
    [
      [1, 'p'],
      [2, 'q'],
      [2, 'q'],
      [3, 'q'],
      [4, 'r'],
    ],
  );
  // A copy's opacity is its row's own (none: 1) times the copy's; the current frame's stays.
  assert.deepEqual(
    records.map((r) => r.vf_alpha),
    [0.2, 0.4, 0.8, null, null],
  );
  assert.deepEqual(
    records.map((r) => r.extra),
    [null, null, null, true, false],
  );
  assert.equal(joined.table.columns.name.kind, 'string');
  assert.deepEqual(Array.from(joined.rows), [0, 1, 2, 3, 4]);
});
