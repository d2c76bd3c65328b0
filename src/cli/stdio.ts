/**
 * The command in a pipe: `-` as the spec reads it from stdin, and `-o -` writes the output
 * to stdout. An output goes to stdout through a private temporary folder: the writers keep
 * their atomic files, the output budget and their refusals, and stdout gets the finished
 * file's bytes or nothing.
 */
import { createReadStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { trackTempPath, untrackTempPath } from '../encode/atomic.js';
import { type LoadedSpec, parseSpecText } from '../spec/load.js';
import type { VegaFramesSpec } from '../spec/types.js';
import { UsageError } from './args.js';
import { stdoutTempPrefix } from './supervisor.js';

/** How a spec read from stdin is named in messages (`<stdin>:3:7 error at $.mark: …`). */
export const STDIN_NAME = '<stdin>';

/**
 * The spec a command names: a path as it is, `-` parsed from stdin (its line:col kept for
 * messages; relative data URLs resolve in --base, or the working folder).
 */
export async function specArgument(
  arg: string,
  command: string,
  stdin: NodeJS.ReadStream = process.stdin,
): Promise<string | VegaFramesSpec> {
  if (arg !== '-') return arg;
  return (await specFromStdin(command, stdin)).spec as VegaFramesSpec;
}

/** The spec text on stdin, parsed. */
export async function specFromStdin(
  command: string,
  stdin: NodeJS.ReadStream = process.stdin,
): Promise<LoadedSpec> {
  if (stdin.isTTY)
    throw new UsageError(
      `${command} - reads the spec from stdin, which is a terminal: pipe a spec in (cat spec.yaml | vega-frames ${command} - …) or name its file`,
    );
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return parseSpecText(text, STDIN_NAME);
}

/**
 * `-o -` needs --format (there is no extension to tell it), and a format that is one file:
 * PNG frames are a folder. Output to stdout is only that file's bytes: the console's
 * stdout methods go to stderr from here on.
 */
export function checkStdoutFormat(format: string | undefined): void {
  if (format === undefined)
    throw new UsageError(
      '-o - writes to stdout, which has no extension to tell the format: add --format (gif, apng, mp4, webm, html, png, svg or pdf)',
    );
  if (format === 'frames')
    throw new UsageError(
      'PNG frames are a folder of files and cannot go to stdout: write them with -o DIR/, or one frame with --format png --frame N',
    );
  console.log = console.info = console.debug = console.error;
}

/**
 * Runs `write` on a file in a private temporary folder, then copies the file to `stdout`;
 * the folder is removed whatever happens (on a signal too). `format` names the file, and
 * must be a single file's format.
 */
export async function writeToStdout<T>(
  format: string,
  write: (file: string) => Promise<T>,
  stdout: NodeJS.WritableStream = process.stdout,
): Promise<T> {
  const folder = await mkdtemp(path.join(tmpdir(), stdoutTempPrefix(process.pid)));
  trackTempPath(folder);
  try {
    const file = path.join(folder, `output.${format}`);
    const result = await write(file);
    // stdout stays open for whatever the process writes after (nothing, with -o -).
    await pipeline(createReadStream(file), stdout, { end: false });
    return result;
  } finally {
    await rm(folder, { recursive: true, force: true });
    untrackTempPath(folder);
  }
}
