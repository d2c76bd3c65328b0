/**
 * One frame as a still file (PNG, SVG or PDF): stages 6–8 for one frame of a plan.
 */
import type { FramePlan } from '../data/plan.js';
import { resolveLimits } from '../spec/limits.js';
import { OptionError } from '../spec/errors.js';
import { planDrawing } from '../render/drawing.js';
import { FrameRenderer } from '../render/frame-renderer.js';
import { describeMarks, markWarnings } from '../render/mark-report.js';
import { writeFileAtomically } from '../encode/atomic.js';
import { STILL_WRITERS, type StillFormat } from './formats.js';
import type { RenderOptions, RenderResult } from './options.js';
import { pipelineMessage } from './messages.js';

/** Frame `options.frame` (default 0) of the plan to `outPath`. */
export async function writeStill(
  plan: FramePlan,
  outPath: string,
  format: StillFormat,
  options: RenderOptions,
): Promise<RenderResult> {
  const warnings = [...plan.warnings];
  // Vector output draws every mark as vectors: only a PNG has a direct path to miss.
  if (format === 'png' && !options.noFastPath) warnings.push(...markWarnings(describeMarks(plan)));
  // 6. scales. Vector formats draw every mark as vectors: Vega must hold every row.
  const drawing = await planDrawing(plan, { noFastPath: options.noFastPath || format !== 'png' });
  // 7. render.
  const renderer = await FrameRenderer.create(drawing, {
    scale: options.scale,
    maxPixels: resolveLimits(options.limits).maxPixels,
  });
  try {
    const k = options.frame ?? 0;
    if (k < 0 || k >= renderer.frameCount) {
      throw new OptionError(pipelineMessage.frameOutOfRange(k, renderer.frameCount));
    }
    if (options.fitWidth !== undefined) await renderer.fitWidth(k, options.fitWidth);
    // 8. encode.
    const bytes = await STILL_WRITERS[format](renderer, k, { title: plan.title, ppi: options.ppi });
    await writeFileAtomically(outPath, bytes);
    return { frames: 1, width: 0, height: 0, warnings };
  } finally {
    renderer.finalize();
  }
}
