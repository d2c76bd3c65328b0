/**
 * The output formats, chosen in one place: a format's name, how a path names it, and the
 * writer that makes it. A new animated format is a writer in encode/ (an AnimationWriter)
 * and one line in ANIMATION_WRITERS; a new still format, one line in STILL_WRITERS.
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import { OptionError } from '../spec/errors.js';
import type { FrameRenderer } from '../render/frame-renderer.js';
import type { AnimationWriter } from '../encode/sink.js';
import { gifWriter } from '../encode/gif.js';
import { apngWriter, encodePngWith, pngSequenceWriterWith } from '../encode/png.js';
import { canvasPng } from '../render/png.js';
import { videoWriter } from '../encode/video.js';
import { SOFTWARE } from '../support/version.js';
import { pipelineMessage } from './messages.js';

export type AnimatedFormat = 'gif' | 'apng' | 'mp4' | 'webm' | 'frames';
export type StillFormat = 'png' | 'svg' | 'pdf';
export type OutputFormat = AnimatedFormat | StillFormat | 'html';

/** Each animated format's writer (pipeline/animation.ts renders its frames into it). */
export const ANIMATION_WRITERS: Record<AnimatedFormat, AnimationWriter> = {
  gif: gifWriter,
  apng: apngWriter,
  mp4: videoWriter('mp4'),
  webm: videoWriter('webm'),
  // The canvas's encoder for opaque frames: faster than encode/png.ts (docs/performance.md);
  // APNG keeps encode/png.ts, which writes only the rectangle each frame changes.
  frames: pngSequenceWriterWith(canvasPng),
};

/** What a still file records besides the picture. */
export interface StillMeta {
  title?: string;
  /** PNG: pixels per inch (its pHYs chunk). */
  ppi?: number;
}

/** Each still format: frame k of a renderer, as the file's bytes. */
export const STILL_WRITERS: Record<
  StillFormat,
  (renderer: FrameRenderer, k: number, meta: StillMeta) => Promise<Uint8Array>
> = {
  png: async (renderer, k, { title, ppi }) =>
    encodePngWith(
      await renderer.render(k),
      { text: { ...(title ? { Title: title } : {}), Software: SOFTWARE }, ppi },
      canvasPng,
    ),
  svg: async (renderer, k) => Buffer.from(await renderer.renderSvg(k)),
  pdf: (renderer, k, { title }) => renderer.renderPdf(k, { title, creator: SOFTWARE }),
};

export const OUTPUT_FORMATS: readonly OutputFormat[] = [
  ...(Object.keys(ANIMATION_WRITERS) as AnimatedFormat[]),
  ...(Object.keys(STILL_WRITERS) as StillFormat[]),
  'html',
];

export const isAnimated = (f: OutputFormat): f is AnimatedFormat => f in ANIMATION_WRITERS;

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
  throw new OptionError(pipelineMessage.unknownFormat(file));
}
