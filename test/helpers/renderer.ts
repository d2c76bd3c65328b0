/**
 * A renderer of a plan as the pipeline makes one: its drawing plan (stage 6), then the
 * renderer (stage 7).
 */
import type { FramePlan } from '../../src/data/plan.js';
import { planDrawing } from '../../src/render/drawing.js';
import { FrameRenderer, type RendererOptions } from '../../src/render/frame-renderer.js';

export async function rendererFor(
  plan: FramePlan,
  options: RendererOptions & { noFastPath?: boolean } = {},
): Promise<FrameRenderer> {
  const { noFastPath, ...rest } = options;
  return FrameRenderer.create(await planDrawing(plan, { noFastPath }), rest);
}
