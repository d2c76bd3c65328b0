/**
 * MP4 (H.264) and WebM (VP9) through ffmpeg: raw RGBA frames are streamed to its stdin (no
 * temporary images on disk) and it writes the atomic output's temp file, which is renamed
 * into place only when ffmpeg succeeds.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, mkdtempSync } from 'node:fs';
import { rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import path from 'node:path';
import {
  countOutput,
  openAtomic,
  trackChild,
  trackTempPath,
  untrackChild,
  untrackTempPath,
} from './atomic.js';
import type { AnimationWriter, FrameSink, RasterFrame } from './sink.js';
import { encodeMessage } from './messages.js';
import { UserError, type UserExitCode } from '../support/user-error.js';

export type VideoFormat = 'mp4' | 'webm';

/** No ffmpeg to encode video with: the input is fine, the machine lacks a tool (exit 1). */
export class FfmpegMissingError extends UserError {
  override get exitCode(): UserExitCode {
    return 1;
  }
}

/** ffmpeg on PATH, else the one shipped in the optional @ffmpeg-installer/ffmpeg package. */
export function findFfmpeg(): string {
  return locateFfmpeg(process.env.PATH ?? '', () => {
    const shipped = createRequire(import.meta.url)('@ffmpeg-installer/ffmpeg') as { path: string };
    return shipped.path;
  });
}

/** The first executable `ffmpeg` in `pathEnv`, else `shipped()`'s, else a clear error. */
export function locateFfmpeg(pathEnv: string, shipped: () => string | undefined): string {
  const executable = (file: string) => {
    try {
      accessSync(file, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  };
  for (const dir of pathEnv.split(path.delimiter)) {
    if (dir && executable(path.join(dir, 'ffmpeg'))) return path.join(dir, 'ffmpeg');
  }
  let bundled: string | undefined;
  try {
    bundled = shipped();
  } catch {
    bundled = undefined; // the optional package is not installed
  }
  if (bundled && executable(bundled)) return bundled;
  throw new FfmpegMissingError(encodeMessage.ffmpegMissing());
}

export interface VideoOptions {
  format: VideoFormat;
  width: number;
  height: number;
  fps: number;
  /** Quality: lower is better. Defaults: 18 for H.264, 31 for VP9. */
  crf?: number;
  /** Written as the container's title tag. */
  title?: string;
  /** Written as the encoder/comment tag. */
  comment?: string;
  /** Colour under transparent pixels (H.264 and our VP9 settings have no alpha). */
  background: [number, number, number];
}

/** Even dimensions (yuv420p halves chroma both ways): odd sizes gain one background row/column. */
export function evenSize(width: number, height: number): { width: number; height: number } {
  return { width: width + (width % 2), height: height + (height % 2) };
}

function ffmpegArgs(o: VideoOptions, out: string, size: { width: number; height: number }) {
  const codec =
    o.format === 'mp4'
      ? // veryfast: much faster than medium, a slightly smaller file at crf 18, and frames
        // we cannot tell apart side by side.
        ['-c:v', 'libx264', '-preset', 'veryfast', '-crf', String(o.crf ?? 18)]
      : // cpu-used 4: over twice as fast as libvpx's default at about the same size; row-mt
        // spreads rows over the cores.
        [
          '-c:v',
          'libvpx-vp9',
          '-b:v',
          '0',
          '-crf',
          String(o.crf ?? 31),
          '-deadline',
          'good',
          '-cpu-used',
          '4',
          '-row-mt',
          '1',
        ];
  const meta = [
    ...(o.title ? ['-metadata', `title=${o.title}`] : []),
    ...(o.comment ? ['-metadata', `comment=${o.comment}`] : []),
  ];
  return [
    '-hide_banner',
    '-loglevel',
    'error',
    '-f',
    'rawvideo',
    '-pix_fmt',
    'rgba',
    '-s',
    `${size.width}x${size.height}`,
    '-framerate',
    String(o.fps),
    '-i',
    'pipe:0',
    ...codec,
    '-pix_fmt',
    'yuv420p',
    ...(o.format === 'mp4' ? ['-movflags', '+faststart'] : []),
    // No random track IDs or version strings: the same frames give the same bytes.
    '-fflags',
    '+bitexact',
    ...meta,
    '-f',
    o.format,
    '-y',
    out,
  ];
}

/** A video written atomically: nothing appears at `path` unless ffmpeg finishes cleanly. */
export async function createVideoSink(path: string, options: VideoOptions): Promise<FrameSink> {
  const ffmpeg = findFfmpeg();
  const size = evenSize(options.width, options.height);
  const file = await openAtomic(path);
  let child: ChildProcess;
  let stderr = '';
  let exited: Promise<number | null>;
  try {
    child = spawn(ffmpeg, ffmpegArgs(options, file.tempPath, size), {
      stdio: ['pipe', 'ignore', 'pipe'],
    });
    trackChild(child);
    child.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
    exited = new Promise((resolve, reject) => {
      child.on('error', reject);
      child.on('close', resolve);
    });
    exited.finally(() => untrackChild(child)).catch(() => undefined);
    exited.catch(() => undefined);
    child.stdin!.on('error', () => undefined); // a dead ffmpeg is reported through `exited`
  } catch (e) {
    await file.abort();
    throw e;
  }
  const padded = new Uint8Array(size.width * size.height * 4);
  const failure = async (what: string) => {
    const code = await exited.catch((e: Error) => e.message);
    return new Error(encodeMessage.ffmpegFailed(what, code, stderr));
  };
  let next = 0;
  let counted = 0;
  return {
    async write(frame: RasterFrame, index: number) {
      let err: unknown;
      if (index !== next)
        err = new Error(`video frames must arrive in order: ${next}, got ${index}`);
      else {
        next++;
        const bytes = opaqueFrame(frame, size, options.background, padded);
        // ffmpeg writes the file itself: count what it has written so far.
        const written = await stat(file.tempPath).then(
          (st) => st.size,
          () => 0,
        );
        try {
          countOutput(written - counted);
          counted = written;
        } catch (limit) {
          err = limit;
        }
        if (err === undefined) {
          try {
            if (child.exitCode !== null) throw new Error('exited');
            // Wait until ffmpeg has taken the bytes: the buffer is reused for the next frame.
            await new Promise<void>((resolve, reject) =>
              child.stdin!.write(bytes, (e) => (e ? reject(e) : resolve())),
            );
          } catch {
            // ffmpeg is gone or going (EPIPE, a destroyed stream): its own message says why.
            err = await failure('stopped early');
          }
        }
      }
      if (err === undefined) return;
      child.kill('SIGKILL');
      await exited.catch(() => undefined);
      await file.abort();
      throw err;
    },
    async finish() {
      child.stdin!.end();
      const code = await exited.catch(() => -1);
      try {
        countOutput((await stat(file.tempPath)).size - counted);
      } catch (e) {
        await file.abort();
        throw e;
      }
      if (code !== 0) {
        const err = await failure('failed');
        await file.abort();
        throw err;
      }
      await file.commit();
    },
    async abort() {
      child.kill('SIGKILL');
      await exited.catch(() => undefined);
      await file.abort();
    },
  };
}

/**
 * The frame at the video's (even) size, composited over the background: video has no
 * alpha here, and ffmpeg's own conversion would drop it, not blend it. Reuses `out`.
 */
function opaqueFrame(
  frame: RasterFrame,
  size: { width: number; height: number },
  bg: [number, number, number],
  out: Uint8Array,
): Uint8Array {
  const { width, height, rgba } = frame;
  for (let i = 0; i < out.length; i += 4) {
    out[i] = bg[0];
    out[i + 1] = bg[1];
    out[i + 2] = bg[2];
    out[i + 3] = 255;
  }
  const rows = Math.min(height, size.height);
  const cols = Math.min(width, size.width);
  for (let y = 0; y < rows; y++) {
    let s = y * width * 4;
    let o = y * size.width * 4;
    for (let x = 0; x < cols; x++, s += 4, o += 4) {
      const a = rgba[s + 3];
      if (a === 255) {
        out[o] = rgba[s];
        out[o + 1] = rgba[s + 1];
        out[o + 2] = rgba[s + 2];
      } else if (a > 0) {
        out[o] = (rgba[s] * a + bg[0] * (255 - a) + 127) / 255;
        out[o + 1] = (rgba[s + 1] * a + bg[1] * (255 - a) + 127) / 255;
        out[o + 2] = (rgba[s + 2] * a + bg[2] * (255 - a) + 127) / 255;
      }
    }
  }
  return out;
}

/**
 * Joins videos rendered as slices of one animation (same spec and options, so the same
 * codec settings) into one, losslessly: ffmpeg's concat demuxer with stream copy, no
 * re-encoding. Written atomically.
 */
export async function joinVideos(parts: string[], out: string, format: VideoFormat): Promise<void> {
  const ffmpeg = findFfmpeg();
  const file = await openAtomic(out);
  let dir: string | undefined;
  try {
    // Made synchronously and registered at once: a signal handler never runs in between.
    dir = mkdtempSync(path.join(tmpdir(), 'vega-frames-join-'));
    trackTempPath(dir);
    const list = path.join(dir, 'parts.txt');
    const quote = (p: string) => `'${path.resolve(p).replace(/'/g, "'\\''")}'`;
    await writeFile(list, parts.map((p) => `file ${quote(p)}\n`).join(''));
    const args = ['-hide_banner', '-loglevel', 'error', '-f', 'concat', '-safe', '0', '-i', list];
    args.push('-c', 'copy', ...(format === 'mp4' ? ['-movflags', '+faststart'] : []));
    args.push('-f', format, '-y', file.tempPath);
    const child = spawn(ffmpeg, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    trackChild(child);
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
    const code = await new Promise<number | null>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', resolve);
    }).finally(() => untrackChild(child));
    if (code !== 0) throw new Error(encodeMessage.ffmpegJoinFailed(code, stderr));
    await file.commit();
  } catch (e) {
    await file.abort();
    throw e;
  } finally {
    if (dir !== undefined) {
      await rm(dir, { recursive: true, force: true });
      untrackTempPath(dir);
    }
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

/**
 * MP4 (H.264) or WebM (VP9) output. Video runs at a constant rate: a hold or pause is the
 * frame repeated, the rounding accumulated from the whole animation's start so the whole
 * lasts as long as the GIF, however it is sliced.
 */
export function videoWriter(format: VideoFormat): AnimationWriter {
  return {
    sampleFrames: (all) => [all[0]],
    async open(outPath, job) {
      const { width, height } = job.samples[0];
      const video = await createVideoSink(outPath, {
        format,
        width,
        height,
        fps: job.fps,
        crf: job.crf,
        title: job.title,
        comment: job.software,
        background: job.background,
      });
      const repeats = videoRepeats([...job.extraSecondsBefore, ...job.extraSeconds], job.fps);
      const sink = repeatFrames(video, repeats.slice(job.startFrame));
      return { sink, width, height };
    },
  };
}
