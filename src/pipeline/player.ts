/**
 * The HTML player: one offline page that plays every output frame (player/html.ts).
 */
import type { FramePlan } from '../data/plan.js';
import { OptionError } from '../spec/errors.js';
import { planDrawing } from '../render/drawing.js';
import { writeFileAtomically } from '../encode/atomic.js';
import { playerHtml } from '../player/html.js';
import type { RenderOptions, RenderResult } from './options.js';
import { pipelineMessage } from './messages.js';

export async function writePlayer(
  plan: FramePlan,
  outPath: string,
  options: RenderOptions,
): Promise<RenderResult> {
  if (options.frames) throw new OptionError(pipelineMessage.playerHoldsEveryFrame());
  // 6. scales: the page's Vega draws every mark, from domains fixed here.
  const drawing = await planDrawing(plan, { forPlayer: true });
  await writeFileAtomically(outPath, Buffer.from(await playerHtml(drawing, { fps: options.fps })));
  return { frames: plan.timeline.length, width: 0, height: 0, warnings: plan.warnings };
}
