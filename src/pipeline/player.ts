/**
 * The HTML player: one offline page, or a fragment of one, that plays every output frame
 * (player/html.ts).
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
  const html = await playerHtml(drawing, {
    fps: options.fps,
    autoplay: options.autoplay,
    fragment: options.fragment,
  });
  await writeFileAtomically(outPath, Buffer.from(html));
  return { frames: plan.timeline.length, width: 0, height: 0, warnings: plan.warnings };
}

/** The player's options a render of another format was given: each a warning. */
export function playerOptionsIgnored(options: RenderOptions, format: string): string[] {
  return [
    ...(options.autoplay !== undefined ? ['--player-autoplay'] : []),
    ...(options.fragment !== undefined ? ['--fragment'] : []),
  ].map((option) => pipelineMessage.playerOptionIgnored(option, format));
}
