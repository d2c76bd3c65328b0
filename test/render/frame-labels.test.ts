/**
 * `{frame}`, `{previous_frame}` and `{next_frame}` as a title shows them in every output
 * frame: the compiled template evaluated by Vega with each output frame's params.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as vega from 'vega';
import { type SpecInput, compile } from '../../src/api.js';
import type { FramePlan } from '../../src/data/plan.js';
import { outputFrameSignals } from '../../src/render/signals.js';

type Json = Record<string, unknown>;

/** Census-like years with a 20-year gap. */
const YEARS = [1952, 1957, 1962, 1967, 1987];

function spec(title: string, animation: Json, values = YEARS, type = 'quantitative'): Json {
  return {
    title,
    data: { values: values.map((t) => ({ t, x: 1 })) },
    mark: 'point',
    encoding: { x: { field: 'x', type: 'quantitative' }, frame: { field: 't', type } },
    animation,
  };
}

/** The title text of every output frame. */
async function titles(s: Json): Promise<{ plan: FramePlan; texts: string[] }> {
  const plan = await compile(s as SpecInput);
  const view = new vega.View(vega.parse(plan.vega as vega.Spec), { renderer: 'none' });
  const texts: string[] = [];
  for (let i = 0; i < plan.timeline.length; i++) {
    for (const [name, value] of Object.entries(outputFrameSignals(plan, i)))
      view.signal(name, value);
    await view.runAsync();
    texts.push(titleText((view.scenegraph() as unknown as { root: Json }).root) ?? '');
  }
  view.finalize();
  return { plan, texts };
}

function titleText(node: Json): string | undefined {
  if (node.role === 'title-text' && Array.isArray(node.items)) {
    const item = node.items[0] as Json | undefined;
    return item ? String(item.text) : undefined;
  }
  for (const child of (node.items ?? []) as Json[]) {
    const found = titleText(child);
    if (found !== undefined) return found;
  }
  return undefined;
}

test('{frame} in an in-between prints at the data frames own precision', async () => {
  const { plan, texts } = await titles(spec('Year: {frame}', { tween: { frames: 2 } }));
  // 4 transitions × 3 steps = 12 steps over 35 years: 5-year steps get 1 or 2 in-betweens.
  assert.ok(
    texts.every((t) => /^Year: \d{4}$/.test(t)),
    texts.join(' | '),
  );
  plan.timeline.forEach((f, i) => {
    const frame = outputFrameSignals(plan, i).frame as number;
    assert.equal(texts[i], `Year: ${Math.round(frame)}`);
    if (f.t === 0) assert.equal(texts[i], `Year: ${YEARS[f.from]}`);
  });
  assert.ok(
    plan.timeline.some((_, i) => !Number.isInteger(outputFrameSignals(plan, i).frame)),
    'some in-between falls between whole years',
  );
  // Data with two decimals: in-betweens show two (6 steps by time: 2 for the 0.25 gap, 4
  // for the 0.5 one).
  const fine = await titles(spec('{frame}', { tween: { frames: 2 } }, [0.25, 0.5, 1]));
  assert.deepEqual(fine.texts, ['0.25', '0.38', '0.5', '0.63', '0.75', '0.88', '1']);
});

test('a format in the template is kept: {frame:.1f}', async () => {
  const { texts } = await titles(spec('{frame:.1f}', { tween: { frames: 2, spacing: 'equal' } }));
  assert.deepEqual(texts.slice(0, 4), ['1952.0', '1953.7', '1955.3', '1957.0']);
});

test('{previous_frame} and {next_frame}: the tween ends, a data frame its own value', async () => {
  const { plan, texts } = await titles(
    spec('{previous_frame} to {next_frame}', {
      tween: { frames: 1, spacing: 'equal', wrap: true },
    }),
  );
  assert.deepEqual(
    plan.timeline.map((f) => (f.t === 0 ? `${f.from}` : `${f.from}>${f.to}`)),
    ['0', '0>1', '1', '1>2', '2', '2>3', '3', '3>4', '4', '4>0'],
  );
  assert.deepEqual(texts, [
    '1952 to 1952',
    '1952 to 1957',
    '1957 to 1957',
    '1957 to 1962',
    '1962 to 1962',
    '1962 to 1967',
    '1967 to 1967',
    '1967 to 1987',
    '1987 to 1987',
    '1987 to 1952', // wrapped: the last frame tweens back into the first
  ]);
  // Ordinal frames: the same values, never interpolated.
  const ordinal = await titles(
    spec(
      '{previous_frame}/{frame}/{next_frame}',
      { tween: { frames: 1 } },
      ['a', 'b'] as never,
      'ordinal',
    ),
  );
  assert.deepEqual(ordinal.texts, ['a/a/a', 'a/b/b', 'b/b/b']);
});

test('temporal frames show {previous_frame} and {next_frame} as dates', async () => {
  const days = ['2024-01-01', '2024-01-03'];
  const { texts } = await titles(
    spec('{previous_frame} → {next_frame}', { tween: { frames: 1 } }, days as never, 'temporal'),
  );
  assert.deepEqual(texts, [
    '2024-01-01 → 2024-01-01',
    '2024-01-01 → 2024-01-03',
    '2024-01-03 → 2024-01-03',
  ]);
});
