/**
 * Output formats and the animated render: frames from a FrameSource, in order, into the
 * sink for the format (GIF, APNG, MP4, WebM, a PNG sequence).
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import type { FramePlan } from './compile/index.js';
import { type FrameSourceOptions, openFrameSource } from './frame-source.js';
import type { SpawnedWorkers } from './pool/pool.js';
import { parseColor } from './render/colors.js';
import type { FrameSink, RasterFrame } from './encode/frames.js';
import { createGifSink } from './encode/gif.js';
import { buildPalette, type RGB } from './encode/palette.js';
import { createApngSink, createPngSequenceSink } from './encode/png.js';
import { frameDelaysMs } from './encode/timing.js';
import { createVideoSink } from './encode/video.js';
import { SOFTWARE } from './version.js';
import { checkDeadline, checkMemory } from './spec/limits.js';
import { OptionError, quote } from './spec/errors.js';

export type AnimatedFormat = 'gif' | 'apng' | 'mp4' | 'webm' | 'frames';
export type StillFormat = 'png' | 'svg' | 'pdf';
export type OutputFormat = AnimatedFormat | StillFormat | 'html';

export const OUTPUT_FORMATS: readonly OutputFormat[] = [
  'gif',
  'apng',
  'mp4',
  'webm',
  'frames',
  'png',
  'svg',
  'pdf',
  'html',
];

export const isAnimated = (f: OutputFormat): f is AnimatedFormat =>
  ['gif', 'apng', 'mp4', 'webm', 'frames'].includes(f);

/**
 * The format an output path asks for: its extension, or a PNG sequence for a folder
 * (a path ending in "/", or an existing folder).
 */
export function formatFromPath(file: string): OutputFormat {
  if (/[\\/]$/.test(file)) return 'frames';
  try {
    if (statSync(file).isDirectory()) return 'frames';
  } catch {
    // does not exist yet: the extension decides
  }
  const ext = path.extname(file).slice(1).toLowerCase();
  if ((OUTPUT_FORMATS as readonly string[]).includes(ext) && ext !== 'frames')
    return ext as OutputFormat;
  throw new OptionError(
    `cannot tell the output format from ${quote(file)}: use .gif, .apng, .mp4, .webm, .html, .png, .svg, .pdf, or a folder ending in "/" for PNG frames (or --format)`,
  );
}

export interface AnimationOptions extends FrameSourceOptions {
  fps?: number;
  /** The resolution PNG frames and APNG record, in pixels per inch (default 72). */
  ppi?: number;
  /** Video quality (lower is better). */
  crf?: number;
  onFrame?: (done: number, total: number) => void;
  /** Wall-clock budget in seconds (Infinity: none), counted from `startedAt` (ms). */
  timeoutSeconds?: number;
  /** Resident memory the process may hold, checked before each frame is written. */
  maxMemoryBytes?: number;
  startedAt?: number;
  /**
   * The step of the selection (`--frames a:b:step`); by default the step between its first
   * two frames. See `wholeAnimation`.
   */
  step?: number;
}

export interface AnimationResult {
  frames: number;
  width: number;
  height: number;
}

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

/** Renders the frames `indices` of `plan` to `outPath` in an animated format. */
export async function renderAnimation(
  plan: FramePlan,
  outPath: string,
  format: AnimatedFormat,
  indices: number[],
  options: AnimationOptions,
  spawned?: SpawnedWorkers,
): Promise<AnimationResult> {
  const source = await openFrameSource(plan, indices.length, options, spawned);
  try {
    const fps = options.fps ?? plan.animation.fps;
    // Holds and pauses belong to their frames (a slice without the ends has no pauses).
    const extraSeconds = indices.map((i) => plan.timeline[i].extra);
    const whole = wholeAnimation(indices, plan.timeline.length, options.step);
    const inSlice = new Set(indices);
    const background = parseColor(source.background);
    const opaqueBg: RGB = background[3] === 0 ? [255, 255, 255] : rgb(source.background);
    const title = plan.title;
    const text = { ...(title ? { Title: title } : {}), Software: SOFTWARE };

    let sink: FrameSink;
    const rendered = new Map<number, RasterFrame>();
    let width: number;
    let height: number;
    if (format === 'gif') {
      // One global palette: the colour scales' colours exactly, the rest quantized from
      // the first, middle and last frames of the whole animation, whichever slice this is
      // (a slice renders the up to three it lacks as well).
      const all = whole.frames;
      const pick = [...new Set([all[0], all[all.length >> 1], all[all.length - 1]])];
      const samples = await source.samples(pick);
      // The scales' colours exactly when a GIF's 256 hold them with the background and the
      // spare slot; more (a colour scale over a long domain) are quantized like the rest.
      const scaleColors = source.scaleColors.map(rgb);
      const exact = new Set(scaleColors.map((c) => c.join())).size + 2 <= 256;
      const palette = buildPalette({
        requiredColors: exact ? scaleColors : [],
        sample: samples,
        background: opaqueBg,
        spareSlot: true,
      });
      ({ width, height } = samples[0]);
      // The samples are frames of the animation: encode them as they are, not rendered again
      // (W3's 18 frames: 3 fewer renders), unless their size is not the animation's.
      pick.forEach((k, i) => {
        const s = samples[i];
        if (inSlice.has(k) && s.width === width && s.height === height) rendered.set(k, s);
      });
      source.setup(width, height, { colors: [...palette.colors], background: palette.background });
      sink = await createGifSink(outPath, {
        width,
        height,
        fps,
        loop: plan.animation.loop,
        extraSeconds,
        startFrame: whole.start,
        frameCount: indices.length,
        palette,
        comment: SOFTWARE,
      });
    } else {
      // The whole animation's first frame sets the size; when it is this one's first too it
      // is encoded as it is, not rendered again.
      const [first] = await source.samples([whole.frames[0]]);
      ({ width, height } = first);
      if (inSlice.has(whole.frames[0])) rendered.set(whole.frames[0], first);
      source.setup(width, height);
      if (format === 'apng') {
        sink = await createApngSink(outPath, {
          width,
          height,
          ppi: options.ppi,
          frameCount: indices.length,
          delaysMs: frameDelaysMs(indices.length, {
            fps,
            extraSeconds,
            startFrame: whole.start,
          }),
          plays:
            plan.animation.loop === true
              ? 0
              : plan.animation.loop === false
                ? 1
                : plan.animation.loop,
          text,
        });
      } else if (format === 'frames') {
        sink = await createPngSequenceSink(outPath, {
          frameCount: indices.length,
          startFrame: whole.start,
          wholeFrameCount: whole.frames.length,
          text,
          ppi: options.ppi,
        });
      } else {
        const video = await createVideoSink(outPath, {
          format,
          width,
          height,
          fps,
          crf: options.crf,
          title,
          comment: SOFTWARE,
          background: opaqueBg,
        });
        // Video runs at a constant rate: a hold or pause is the frame repeated, the
        // rounding accumulated from the whole animation's start so the whole lasts as long
        // as the GIF, however it is sliced.
        const before = whole.frames.slice(0, whole.start).map((k) => plan.timeline[k].extra);
        sink = repeatFrames(
          video,
          videoRepeats([...before, ...extraSeconds], fps).slice(whole.start),
        );
      }
    }

    try {
      const timeoutSeconds = options.timeoutSeconds ?? Infinity;
      const at = (options.startedAt ?? Date.now()) + timeoutSeconds * 1000;
      let i = 0;
      for await (const frame of source.frames(indices, rendered)) {
        checkDeadline(at, { timeoutSeconds });
        checkMemory({ maxMemoryBytes: options.maxMemoryBytes ?? Infinity });
        await sink.write(frame, i++);
        options.onFrame?.(i, indices.length);
      }
      await sink.finish();
    } catch (e) {
      await sink.abort();
      throw e;
    }
    return { frames: indices.length, width, height };
  } finally {
    await source.close();
  }
}

/** Extra copies of each frame at a constant `fps`, rounded on the running total. */
export function videoRepeats(extraSeconds: number[], fps: number): number[] {
  let seconds = 0;
  let written = 0;
  return extraSeconds.map((extra) => {
    seconds += 1 / fps + extra;
    const end = Math.max(written + 1, Math.round(seconds * fps - 1e-9));
    const copies = end - written - 1;
    written = end;
    return copies;
  });
}

/** A sink that writes frame i `extra[i]` more times. */
function repeatFrames(sink: FrameSink, extra: number[]): FrameSink {
  let written = 0;
  return {
    async write(frame: RasterFrame, index: number) {
      const copies = 1 + extra[index];
      for (let c = 0; c < copies; c++) await sink.write(frame, written++);
    },
    finish: () => sink.finish(),
    abort: () => sink.abort(),
  };
}
