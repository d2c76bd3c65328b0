/**
 * Plans are values: once compile, plan or drawing returns one, no later stage changes it.
 * Each plan is rendered every way the pipeline renders one (an animation's frames, a still,
 * the player page, the info of its marks), and compared with a copy taken before.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { compile, renderToFile } from '../../src/api.js';
import type { FramePlan } from '../../src/data/plan.js';
import { withoutUnreadFrameColumns } from '../../src/data/plan.js';
import { planDrawing } from '../../src/render/drawing.js';
import { FrameRenderer } from '../../src/render/frame-renderer.js';
import { describeMarks } from '../../src/render/mark-report.js';
import { playerHtml } from '../../src/player/html.js';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';

const SPECS = new URL('../../specs/', import.meta.url).pathname;

/** The plan as text: typed arrays as arrays, so a changed row or column shows. */
function snapshot(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    ArrayBuffer.isView(v) ? Array.from(v as unknown as ArrayLike<number>) : v,
  );
}

async function renderEveryWay(plan: FramePlan): Promise<void> {
  describeMarks(plan);
  withoutUnreadFrameColumns(plan);
  for (const options of [{}, { noFastPath: true }]) {
    const drawing = await planDrawing(plan, options);
    const renderer = await FrameRenderer.create(drawing);
    try {
      for (const k of [0, Math.floor(plan.timeline.length / 2), plan.timeline.length - 1])
        await renderer.render(k);
      if (options.noFastPath) await renderer.renderSvg(0);
    } finally {
      renderer.finalize();
    }
  }
  await playerHtml(await planDrawing(plan, { forPlayer: true }));
}

for (const name of ['motion-bounce', 'motion-rescale', 'coin-flips', 'umap-epochs']) {
  test(`${name}: rendering every way leaves its plan as it was`, async () => {
    const plan = await compile(path.join(SPECS, `${name}.yaml`));
    const before = snapshot(plan);
    await renderEveryWay(plan);
    assert.equal(snapshot(plan), before);
  });
}

test('a drawing plan is frozen, and unread frame columns leave a new plan', async () => {
  const plan = await compile(path.join(SPECS, 'umap-epochs.yaml'));
  const drawing = await planDrawing(plan);
  assert.ok(Object.isFrozen(drawing));
  const framed = plan.planned.find((s) => s.frame)!;
  const slim = withoutUnreadFrameColumns(plan);
  const slimFramed = slim.planned[plan.planned.indexOf(framed)];
  assert.notEqual(slim, plan);
  assert.ok(framed.table.names.includes(framed.frame!.field), 'the original keeps its column');
  assert.ok(!slimFramed.table.names.includes(framed.frame!.field), 'the new plan drops it');
});

test('--fps is part of the plan: the timeline is built once, at the render fps', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'vf-plan-'));
  try {
    const spec = path.join(SPECS, 'motion-timing.yaml');
    const plan = await compile(spec);
    const seconds = plan.timeline.reduce((s, f) => s + 1 / plan.animation.fps + f.extra, 0);
    const fps = plan.animation.fps * 2;
    const result = await renderToFile(spec, path.join(dir, 'a.gif'), { fps });
    // The same length in seconds at twice the frames a second: about twice the frames.
    const doubled = result.frames / plan.timeline.length;
    assert.ok(
      doubled > 1.5 && doubled <= 2.1,
      `frames ${result.frames} vs ${plan.timeline.length}`,
    );
    assert.ok(seconds > 0);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
