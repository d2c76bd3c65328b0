/**
 * An animation written to a file (GIF, APNG, MP4, WebM, a folder of PNG frames): stages 6–8
 * of the pipeline for one plan. The frames come from a frame supply (this thread and render
 * workers) in order, one at a time, into the writer its format names (formats.ts).
 */
import { type FramePlan, withoutUnreadFrameColumns } from '../data/plan.js';
import { describeMarks, markWarnings } from '../render/mark-report.js';
import { parseColor } from '../render/colors.js';
import type { RasterFrame } from '../encode/sink.js';
import { gifDelayWarning } from '../encode/timing.js';
import { checkDeadline, checkLimit, checkMemory, resolveLimits } from '../spec/limits.js';
import { SOFTWARE } from '../support/version.js';
import type { SpawnedWorkers } from '../pool/pool.js';
import { openFrameSupply, workersFor } from './frame-supply.js';
import { type AnimatedFormat, ANIMATION_WRITERS } from './formats.js';
import { frameStep, selectFrames } from './frame-selection.js';
import { planDrawing } from '../render/drawing.js';
import { motionTones } from '../render/motion-tones.js';
import type { RenderOptions, RenderResult } from './options.js';

type RGB = [number, number, number];

const rgb = (css: string): RGB => {
  const c = parseColor(css);
  return [c[0], c[1], c[2]];
};

/**
 * The animation a selection of frames is a slice of, and where in it the selection starts:
 * every `step`-th frame of the timeline from the selection's first frame (all of them for
 * `a:b`). Whatever is chosen from frames (the GIF palette's samples, the frame size) and the
 * timing (delays, video repeats, file numbers) come from it, never from the slice, so slices
 * rendered apart and joined give exactly its one render. A selection that is not evenly
 * stepped is a whole of its own.
 */
export function wholeAnimation(
  indices: readonly number[],
  frameCount: number,
  step = indices.length > 1 ? indices[1] - indices[0] : 1,
): { frames: number[]; start: number } {
  const stepped =
    Number.isInteger(step) &&
    step >= 1 &&
    indices.every((k, i) => k === indices[0] + i * step && k < frameCount);
  if (!stepped) return { frames: [...indices], start: 0 };
  const frames: number[] = [];
  for (let k = indices[0] % step; k < frameCount; k += step) frames.push(k);
  return { frames, start: Math.floor(indices[0] / step) };
}

/**
 * Renders the selected frames of `plan` (all, or `options.frames`) to `outPath`. `workers`
 * are render workers started before the data was read, if any.
 */
export async function writeAnimation(
  assembled: FramePlan,
  outPath: string,
  format: AnimatedFormat,
  options: RenderOptions,
  startedAt: number,
  workers?: SpawnedWorkers,
): Promise<RenderResult> {
  const limits = resolveLimits(options.limits);
  const fps = assembled.animation.fps;
  const warnings = [...assembled.warnings];
  if (format === 'gif') {
    const warning = gifDelayWarning(fps);
    if (warning) warnings.push(warning);
  }
  if (!options.noFastPath) warnings.push(...markWarnings(describeMarks(assembled)));
  const plan = withoutUnreadFrameColumns(assembled);
  const indices = selectFrames(options.frames, plan.timeline.length);
  checkLimit(limits, 'maxFrames', indices.length, 'the number of frames to render');
  const workerCount = workersFor(plan, indices.length, options);
  if (workerCount === 0) await workers?.terminate(); // their core is this thread's from here

  // 6. scales: fixed over the whole animation, once, for every thread that renders.
  const drawing = await planDrawing(plan, { noFastPath: options.noFastPath });
  // 7. render, and 8. encode, a frame at a time.
  const supply = await openFrameSupply(
    drawing,
    workerCount,
    {
      scale: options.scale,
      maxPixels: limits.maxPixels,
      stallSeconds: limits.stallSeconds,
    },
    workerCount > 0 ? workers : undefined,
  );
  try {
    // Holds and pauses belong to their frames (a slice without the ends has no pauses).
    const extraSeconds = indices.map((i) => plan.timeline[i].extra);
    const whole = wholeAnimation(indices, plan.timeline.length, frameStep(options.frames));
    const inSlice = new Set(indices);
    const background = parseColor(supply.background);
    const writer = ANIMATION_WRITERS[format];
    // The frames the writer sizes itself by (and a GIF picks its palette from) are frames of
    // the animation: those in this slice are encoded as they are, not rendered again,
    // unless their size is not the animation's.
    const pick = writer.sampleFrames(whole.frames);
    const samples = await supply.samples(pick);
    const opened = await writer.open(outPath, {
      samples,
      fps,
      loop: plan.animation.loop,
      frameCount: indices.length,
      extraSeconds,
      startFrame: whole.start,
      wholeFrameCount: whole.frames.length,
      extraSecondsBefore: whole.frames.slice(0, whole.start).map((k) => plan.timeline[k].extra),
      title: plan.title,
      software: SOFTWARE,
      ppi: options.ppi,
      // --crf overrides the spec's animation.crf.
      crf: options.crf ?? plan.animation.crf,
      background: background[3] === 0 ? [255, 255, 255] : rgb(supply.background),
      scaleColors: supply.scaleColors.map(rgb),
      between: motionTones(plan, drawing.colorMixes),
      dither: plan.animation.dither,
    });
    const { sink, width, height } = opened;
    const rendered = new Map<number, RasterFrame>();
    pick.forEach((k, i) => {
      const s = samples[i];
      if (inSlice.has(k) && s.width === width && s.height === height) rendered.set(k, s);
    });
    supply.setup(width, height, opened.palette);
    try {
      const timeoutSeconds = limits.timeoutSeconds;
      const at = startedAt + timeoutSeconds * 1000;
      let i = 0;
      for await (const frame of supply.frames(indices, rendered)) {
        checkDeadline(at, { timeoutSeconds });
        checkMemory({ maxMemoryBytes: limits.maxMemoryBytes });
        await sink.write(frame, i++);
        options.onFrame?.(i, indices.length);
      }
      await sink.finish();
    } catch (e) {
      await sink.abort();
      throw e;
    }
    return { frames: indices.length, width, height, warnings };
  } finally {
    await supply.close();
  }
}
