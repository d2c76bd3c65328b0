/**
 * Every message encode/ gives the user, as a function returning the sentence (after
 * Vega-Lite's src/log/message.ts and compile/messages.ts): what an output format cannot
 * hold, where an output cannot be written, the output budget, ffmpeg, and joining parts.
 * encode/ knows raster frames and files only, so these name paths, sizes and flags; an
 * encoder's contract with its callers (frames in order, sizes that match) stays a plain
 * Error or RangeError where it is checked.
 */
import path from 'node:path';

export const encodeMessage = {
  // What a format cannot hold (timing.ts, gif.ts).
  frameTooLong: (frame: number, seconds: number, fps: number, format: string, most: number) =>
    `frame ${frame} would show for ${seconds < 1e9 ? seconds.toLocaleString('en') : seconds.toExponential(1)} s (at ${fps} fps, with its pauses and holds), and ${format} frame shows for at most ${most} s: raise animation.fps (or --fps) or shorten animation.pause and animation.hold`,
  gifLoop: (loop: boolean | number) =>
    `animation.loop ${loop}: a GIF plays a whole number of times from 1 to 65,536 (true loops it forever)`,
  gifTooLarge: (width: number, height: number) =>
    `a frame is ${width}×${height} pixels, and a GIF is at most 65,535 pixels wide and high: make the chart smaller (width, height, --scale) or write .mp4, .apng or PNG frames`,

  // The output budget (atomic.ts).
  outputOverLimit: (limit: number) =>
    `the output is over the limit of ${limit.toLocaleString('en')} bytes; raise it with --max-output-bytes if you trust this spec (nothing was written)`,

  // Where an output file cannot go (atomic.ts); `kind` says what is there, e.g. "a socket".
  outputIsFolder: (target: string) =>
    `Output path is a folder, not a file: ${target}. Name a file inside it, such as ${path.join(target, 'out.gif')}, or end the path with "/" to write PNG frames into it.`,
  outputNotRegular: (target: string, kind: string) =>
    `Output path is ${kind}, not a regular file: ${target}. vega-frames writes a temporary file and renames it into place, which would replace it; give the path of a regular file instead.`,
  /** `to`: where the link points, when it could be read. */
  outputIsLink: (target: string, to: string | undefined) =>
    `Output path is a symbolic link: ${target}${to === undefined ? '' : ` (to ${to})`}. vega-frames neither writes through links nor replaces them; write to the file or folder it points to directly, or remove the link.`,
  /** `same`: the input's own path, when the output path reaches it another way. */
  outputIsInput: (target: string, what: string, same: string | undefined) =>
    `Output path ${target} is ${what}${same === undefined ? '' : ` (the same file as ${same})`}; writing the output there would replace it. Choose another output path.`,
  outputFolderHoldsInput: (target: string, what: string, real: string) =>
    `Output folder ${target} holds ${what} (${real}); writing the frames there would replace it. Choose another folder.`,

  // Where an output folder cannot go, or could not be replaced (atomic.ts).
  folderIsRoot: (target: string) =>
    `Output folder is the root of a file system: ${target}. A folder output replaces its folder as a whole; write into a new folder inside it, such as ${path.join(target, 'frames')}.`,
  folderNotAFolder: (target: string, contents: string, kind: string) =>
    `Output folder for ${contents} is ${kind}, not a folder: ${target}. Give the path of a folder, or move the file out of the way.`,
  folderIsCurrent: (target: string) =>
    `Output folder is the current folder: ${target}. A folder output replaces its folder as a whole; write into a new folder inside it, such as ${path.join(target, 'frames')}${path.sep}.`,
  /** `foreign`: the entries vega-frames did not write, sorted. */
  folderHoldsOthers: (target: string, foreign: readonly string[], contents: string) => {
    const others =
      foreign.length === 1
        ? ''
        : ` and ${foreign.length - 1} other entr${foreign.length === 2 ? 'y' : 'ies'}`;
    return `Output folder ${target} holds "${foreign[0]}"${others}, which vega-frames did not write. The folder is replaced as a whole, so it must be new, empty or hold only ${contents}: move "${foreign[0]}" out, or choose another folder.`;
  },
  folderBlocked: (folder: string, blocker: string, kind: string) =>
    `Output folder ${folder} cannot be created: ${blocker} is ${kind}, not a folder. Choose a path inside a folder, or move ${blocker} out of the way.`,
  folderMissing: (folder: string) =>
    `Output folder does not exist: ${folder}. Create it first (mkdir -p), or choose an existing folder.`,
  folderIsFile: (folder: string) =>
    `Output folder is not a folder: ${folder}. Choose a path inside a folder.`,
  folderNotWritable: (folder: string, code: string, consequence: string) =>
    `Output folder is not writable: ${folder} (${code}), so ${consequence}; ${
      code === 'EROFS'
        ? 'it is on a read-only file system: choose a folder on a writable one'
        : 'make it writable (chmod u+w) or choose another folder'
    }.`,
  tempFolderGone: (parent: string, temp: string, target: string, code: string) =>
    `The folder ${parent} or the hidden folder ${path.basename(temp)} in it, where the new files of ${target} were being written, was moved or removed during the render (${code}). ${target} was left as it was; run the render again, and leave ${parent} alone until it finishes.`,
  noSpace: (target: string, code: string) =>
    `No space left for the files of ${target} (${code}); ${target} was left as it was. Free some space on that disk, or write to another one.`,
  folderBusy: (target: string) =>
    `Output folder ${target} is in use or a mount point (EBUSY), so it cannot be replaced; write into a new folder inside it, such as ${path.join(target, 'frames')}${path.sep}.`,
  folderWrittenMeanwhile: (target: string, code: string) =>
    `Output folder ${target} was written by another program during the render (${code}), so it was left as it is. Run the render again once that program is done, or choose another folder.`,
  folderNotRestored: (target: string, why: string, old: string) =>
    `Cannot move the new files into ${target} (${why}), nor the earlier ones back: they are in ${old}. Rename that folder to ${path.basename(target)} to restore them.`,
  // The machine's failures (exit 1): an error code the messages above do not know.
  cannotCreateIn: (folder: string, why: string) =>
    `Cannot create a file in output folder ${folder}: ${why}`,
  cannotWriteFiles: (target: string, temp: string, why: string) =>
    `Cannot write the files of ${target} in ${temp}: ${why}`,
  cannotReplaceFolder: (target: string, why: string) =>
    `Cannot replace the output folder ${target}: ${why}`,
  cannotMoveIn: (target: string, why: string) => `Cannot move the new files into ${target}: ${why}`,

  // ffmpeg (video.ts).
  ffmpegMissing: () =>
    'MP4/WebM output needs ffmpeg, and there is none: not on PATH, and the optional npm ' +
    'package @ffmpeg-installer/ffmpeg is not installed. Install either (apt install ffmpeg, ' +
    'or npm install @ffmpeg-installer/ffmpeg), or write a .gif or .apng instead.',
  ffmpegFailed: (what: string, code: unknown, stderr: string) =>
    `ffmpeg ${what} (exit ${code}): ${stderr.trim() || 'no message'}`,
  ffmpegJoinFailed: (code: number | null, stderr: string) =>
    `ffmpeg could not join the parts (exit ${code}): ${stderr.trim()}`,

  // Joining GIF parts (gif-join.ts); `name` is the part's file name.
  gifTruncated: (name: string) => `${name}: truncated (data runs past the end)`,
  notAGif: (name: string) => `${name}: not a GIF`,
  gifNoTrailer: (name: string) => `${name}: truncated (no trailer)`,
  gifUnexpectedBlock: (name: string, tag: number, at: number) =>
    `${name}: unexpected block 0x${tag.toString(16)} at byte ${at}`,
  gifNoFrames: (name: string) => `${name}: has no frames`,
  joinNothing: () => 'join needs at least one GIF',
  joinSizes: (
    name: string,
    width: number,
    height: number,
    firstName: string,
    firstWidth: number,
    firstHeight: number,
  ) =>
    `${name} is ${width}×${height} but ${firstName} is ${firstWidth}×${firstHeight}; slices of one animation share a size`,
};
