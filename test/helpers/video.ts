/** Test-side video decoding: ffprobe for stream facts, ffmpeg for a frame's pixels. */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { findFfmpeg } from '../../src/encode/video.js';

const require = createRequire(import.meta.url);

/** ffprobe on PATH, else the one in the @ffprobe-installer dev dependency. */
function ffprobePath(): string {
  const onPath = spawnSync('sh', ['-c', 'command -v ffprobe'], { encoding: 'utf8' }).stdout.trim();
  return onPath || (require('@ffprobe-installer/ffprobe') as { path: string }).path;
}

export function probe(file: string) {
  const out = execFileSync(
    ffprobePath(),
    [
      '-v',
      'error',
      '-count_frames',
      '-show_entries',
      'stream=codec_name,width,height,pix_fmt,nb_read_frames:format=duration:format_tags',
      '-of',
      'json',
      file,
    ],
    { encoding: 'utf8' },
  );
  const json = JSON.parse(out) as {
    streams: {
      codec_name: string;
      width: number;
      height: number;
      pix_fmt: string;
      nb_read_frames: string;
    }[];
    format: { duration: string; tags?: Record<string, string> };
  };
  return {
    ...json.streams[0],
    frames: Number(json.streams[0].nb_read_frames),
    format: json.format,
  };
}

/** Frame `k` of a video decoded to RGBA by ffmpeg. */
export function videoFrame(file: string, k: number, width: number, height: number): Uint8Array {
  const raw = execFileSync(
    findFfmpeg(),
    [
      '-v',
      'error',
      '-i',
      file,
      '-vf',
      `select=eq(n\\,${k})`,
      '-frames:v',
      '1',
      '-f',
      'rawvideo',
      '-pix_fmt',
      'rgba',
      '-',
    ],
    { maxBuffer: 64 << 20 },
  );
  assert.equal(raw.length, width * height * 4);
  return new Uint8Array(raw);
}
