#!/usr/bin/env node
/**
 * The command line: render, validate, schema, info. User errors print one clear message
 * per problem and exit 2 (bad spec, data or usage) or 1 (a render that failed); stack
 * traces only with VF_DEBUG=1.
 */
import { realpathSync } from 'node:fs';
import { access, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SpecError, SpecErrors, formatSpecError } from '../spec/errors.js';
import { loadSpecFile } from '../spec/load.js';
import { validateSpec } from '../spec/validate.js';
import { assertNotAnInput, installCleanupHandlers, openAtomic } from '../encode/atomic.js';
import { joinGifs } from '../encode/gif-join.js';
import { joinVideos } from '../encode/video.js';
import { type Limits, parseByteSize } from '../spec/limits.js';
import { OUTPUT_FORMATS, type OutputFormat, info, renderToFile } from '../api.js';
import { markLine } from '../render/mark-report.js';
import { COMMANDS, type CommandName, UsageError, helpText, numberFlag, parseArgs } from './args.js';
import { PROGRESS_MODES, type ProgressMode, createProgress } from './progress.js';
import { styleFlags } from './style-flags.js';
import {
  checkStdoutFormat,
  specArgument,
  specFromStdin,
  STDIN_NAME,
  writeToStdout,
} from './stdio.js';
import { PREVIEW_RENDER_COMMAND, renderPreviewVersion, servePreview } from './preview.js';
import { reportError } from './report.js';

/** A command's --help on stdout. */
function printHelp(command: CommandName): number {
  console.log(helpText(command));
  return 0;
}

function byteSizeFlag(flags: Record<string, unknown>, name: string): number | undefined {
  const raw = flags[name];
  if (raw === undefined) return undefined;
  try {
    return parseByteSize(String(raw));
  } catch (e) {
    throw new UsageError(`--${name} ${(e as Error).message}`);
  }
}

/** --max-file-bytes: render and info read the spec's files alike. */
const maxFileBytesFlag = (flags: Parameters<typeof numberFlag>[0]) =>
  numberFlag(
    flags,
    'max-file-bytes',
    (n) => Number.isInteger(n) && n > 0,
    'a whole number of bytes',
  );

function progressFlag(value: unknown): ProgressMode | undefined {
  if (value === undefined) return undefined;
  if ((PROGRESS_MODES as readonly unknown[]).includes(value)) return value as ProgressMode;
  throw new UsageError(`--progress "${String(value)}" is not ${PROGRESS_MODES.join(', ')}`);
}

function asFlag(value: unknown): 'animation' | 'facet' | undefined {
  if (value === undefined) return undefined;
  if (value === 'animation' || value === 'facet') return value;
  throw new UsageError(`--as "${String(value)}" is not animation or facet`);
}

function autoplayFlag(value: unknown): boolean | undefined {
  if (value === undefined) return undefined;
  if (value === 'true' || value === 'false') return value === 'true';
  throw new UsageError(`--player-autoplay "${String(value)}" is not true or false`);
}

/** The limits of a render (render and preview take them). */
function limitFlags(flags: Parameters<typeof numberFlag>[0]): Partial<Limits> {
  return {
    maxPixels: numberFlag(
      flags,
      'max-pixels',
      (n) => Number.isInteger(n) && n > 0,
      'a whole number of pixels',
    ),
    maxFrames: numberFlag(
      flags,
      'max-frames',
      (n) => Number.isInteger(n) && n > 0,
      'a whole number of frames',
    ),
    maxRows: numberFlag(
      flags,
      'max-rows',
      (n) => Number.isInteger(n) && n > 0,
      'a whole number of rows',
    ),
    timeoutSeconds: numberFlag(flags, 'timeout', (n) => n > 0, 'a number of seconds'),
    maxOutputBytes: numberFlag(
      flags,
      'max-output-bytes',
      (n) => Number.isInteger(n) && n > 0,
      'a whole number of bytes',
    ),
    maxMemoryBytes: byteSizeFlag(flags, 'max-memory'),
    stallSeconds: numberFlag(flags, 'stall-timeout', (n) => n > 0, 'a number of seconds'),
    maxFileBytes: maxFileBytesFlag(flags),
  };
}

async function cmdRender(argv: string[]): Promise<number> {
  const { positionals, flags } = parseArgs(argv, 'render');
  if (flags.help) return printHelp('render');
  if (positionals.length !== 1)
    throw new UsageError('render takes one spec file: vega-frames render SPEC -o OUT.gif');
  // /dev/stdout is a link to whatever fd 1 is; the output goes there as with -o -.
  const out = flags.output === '/dev/stdout' ? '-' : (flags.output as string | undefined);
  if (!out) throw new UsageError('render needs an output file: -o OUT.gif');
  const quiet = flags.quiet === true;
  const progress = createProgress(process.stderr, { quiet, mode: progressFlag(flags.progress) });
  const format = flags.format as string | undefined;
  if (format !== undefined && !(OUTPUT_FORMATS as readonly string[]).includes(format))
    throw new UsageError(`--format "${format}" is not one of ${OUTPUT_FORMATS.join(', ')}`);
  if (out === '-') checkStdoutFormat(format);
  const ppi = numberFlag(flags, 'ppi', (n) => n >= 18 && n <= 1152, 'a resolution in [18, 1152]');
  if (ppi !== undefined && flags.scale !== undefined)
    throw new UsageError('give --scale or --ppi, not both');
  const style = await styleFlags(flags);
  const start = performance.now();
  const input = await specArgument(positionals[0], 'render');
  const render = (file: string) =>
    renderToFile(input, file, {
      validateInWorker: true,
      format: format as OutputFormat | undefined,
      crf: numberFlag(
        flags,
        'crf',
        (n) => Number.isInteger(n) && n >= 0 && n <= 63,
        'an integer 0–63',
      ),
      background: flags.background as string | undefined,
      ...style,
      as: asFlag(flags.as),
      limits: limitFlags(flags),
      columns: numberFlag(
        flags,
        'columns',
        (n) => Number.isInteger(n) && n >= 1 && n <= 100,
        'a whole number of panels from 1 to 100',
      ),
      fps: numberFlag(
        flags,
        'fps',
        (n) => n > 0 && n <= 100,
        'a number of frames per second in (0, 100]',
      ),
      ppi,
      scale:
        ppi !== undefined
          ? ppi / 72
          : numberFlag(flags, 'scale', (n) => n > 0 && n <= 16, 'a scale factor in (0, 16]'),
      frame: numberFlag(
        flags,
        'frame',
        (n) => Number.isInteger(n) && n >= 0,
        'a frame index (0, 1, 2, …)',
      ),
      frames: flags.frames as string | undefined,
      baseDir: flags.base as string | undefined,
      allowRead: flags['allow-read'] as string[] | undefined,
      noFastPath: flags['no-fast-path'] === true,
      autoplay: autoplayFlag(flags['player-autoplay']),
      fragment: flags.fragment === true || undefined,
      workers: numberFlag(
        flags,
        'workers',
        (n) => Number.isInteger(n) && n >= 1 && n <= 64,
        'a whole number of threads from 1 to 64',
      ),
      onFrame: (done, total) => progress.update(done, total),
    });
  const result = out === '-' ? await writeToStdout(format!, render) : await render(out);
  for (const w of result.warnings) progress.warn(w);
  const secs = (performance.now() - start) / 1000;
  progress.done(
    `${out === '-' ? 'stdout' : out}: ${result.frames} frame${result.frames === 1 ? '' : 's'} in ${secs.toFixed(1)} s (${((secs * 1000) / result.frames).toFixed(0)} ms/frame)`,
    {
      output: out,
      frames: result.frames,
      width: result.width,
      height: result.height,
      seconds: Number(secs.toFixed(2)),
    },
  );
  return 0;
}

async function cmdValidate(argv: string[]): Promise<number> {
  const { positionals, flags } = parseArgs(argv, 'validate');
  if (flags.help) return printHelp('validate');
  if (positionals.length === 0) throw new UsageError('validate takes one or more spec files');
  let failed = 0;
  for (const file of positionals) {
    try {
      const loaded = file === '-' ? await specFromStdin('validate') : await loadSpecFile(file);
      const errors = validateSpec(loaded.spec, loaded);
      if (errors.length) {
        failed++;
        for (const e of errors) console.error(formatSpecError(e));
      } else console.log(`${file === '-' ? STDIN_NAME : file}: valid`);
    } catch (e) {
      if (!(e instanceof SpecError || e instanceof SpecErrors)) throw e;
      failed++;
      console.error(formatSpecError(e));
    }
  }
  return failed ? 2 : 0;
}

async function cmdSchema(argv: string[]): Promise<number> {
  const { positionals, flags } = parseArgs(argv, 'schema');
  if (flags.help) return printHelp('schema');
  if (positionals.length) throw new UsageError('schema takes no arguments');
  const file = fileURLToPath(new URL('../../schemas/vega-frames.schema.json', import.meta.url));
  // The file itself, for a spec's `$schema` that works from any folder.
  if (flags.path) {
    process.stdout.write(`${file}\n`);
    return 0;
  }
  process.stdout.write(await readFile(file, 'utf8'));
  return 0;
}

async function cmdInfo(argv: string[]): Promise<number> {
  const { positionals, flags } = parseArgs(argv, 'info');
  if (flags.help) return printHelp('info');
  if (positionals.length !== 1) throw new UsageError('info takes one spec file');
  // Checked here; the supervisor keeps them.
  numberFlag(flags, 'timeout', (n) => n > 0, 'a number of seconds');
  numberFlag(flags, 'stall-timeout', (n) => n > 0, 'a number of seconds');
  const i = await info(await specArgument(positionals[0], 'info'), {
    ...(await styleFlags(flags)),
    baseDir: flags.base as string | undefined,
    allowRead: flags['allow-read'] as string[] | undefined,
    limits: {
      maxFileBytes: maxFileBytesFlag(flags),
      maxMemoryBytes: byteSizeFlag(flags, 'max-memory'),
    },
  });
  if (flags.json) return (console.log(JSON.stringify(i, null, 2)), 0);
  const values =
    i.frameLabels.length > 12
      ? [...i.frameLabels.slice(0, 6), '…', ...i.frameLabels.slice(-3)]
      : i.frameLabels;
  console.log(
    i.frames === i.dataFrames
      ? `frames: ${i.frames} (${i.seconds.toFixed(2)} s a play)`
      : `frames: ${i.frames} output frames from ${i.dataFrames} data frames (${i.seconds.toFixed(2)} s a play)`,
  );
  console.log(`frame values: ${values.join(', ')}`);
  console.log(`size: ${i.width}×${i.height} px`);
  for (const s of i.sources) {
    console.log(
      `data ${s.url ?? '(inline)'}: ${s.rows} rows${s.framed ? ', partitioned by frame' : ''}, ${s.streamed ? 'read a frame at a time' : `${(s.bytes / 2 ** 20).toFixed(1)} MiB of columns`}`,
    );
    console.log(`  columns: ${s.columns.map((c) => `${c.name} (${c.type})`).join(', ')}`);
  }
  if (i.marks.length) console.log('marks:');
  for (const m of i.marks) console.log(`  ${markLine(m)}`);
  const mib = (b: number) => `${Math.round(b / 2 ** 20)} MiB`;
  console.log(
    `memory: ${mib(i.memory.dataBytes)} of data in memory; a GIF render peaks around ${mib(i.memory.estimatedPeakBytes)} (${i.memory.renderThreads} render thread${i.memory.renderThreads === 1 ? '' : 's'}; a rough estimate)`,
  );
  for (const w of i.warnings) console.log(`warning: ${w}`);
  return 0;
}

async function cmdJoin(argv: string[]): Promise<number> {
  const { positionals, flags } = parseArgs(argv, 'join');
  if (flags.help) return printHelp('join');
  const out = flags.output as string | undefined;
  if (!out) throw new UsageError('join needs an output file: -o OUT.gif');
  if (positionals.length === 0)
    throw new UsageError(
      'join takes the GIF parts in order: vega-frames join a.gif b.gif -o all.gif',
    );
  const ext = path.extname(out).slice(1).toLowerCase();
  if (!['gif', 'mp4', 'webm'].includes(ext))
    throw new UsageError('join writes GIF, MP4 or WebM: -o must end in .gif, .mp4 or .webm');
  const mismatch = positionals.find((p) => path.extname(p).slice(1).toLowerCase() !== ext);
  if (mismatch) throw new UsageError(`join needs parts of one format: ${mismatch} is not .${ext}`);
  await assertNotAnInput(
    out,
    positionals.map((p) => ({ path: p, what: `the part ${p}` })),
  );
  if (ext !== 'gif') {
    for (const p of positionals) await access(p); // a missing part: a clear ENOENT, exit 2
    await joinVideos(positionals, out, ext as 'mp4' | 'webm');
    if (!flags.quiet) console.error(`${out}: joined ${positionals.length} parts`);
    return 0;
  }
  const parts = await Promise.all(
    positionals.map(async (name) => ({ name, bytes: new Uint8Array(await readFile(name)) })),
  );
  const chunks = joinGifs(parts);
  const file = await openAtomic(out);
  try {
    for (const c of chunks) await file.write(c);
    await file.commit();
  } catch (e) {
    await file.abort();
    throw e;
  }
  if (!flags.quiet) console.error(`${out}: joined ${positionals.length} parts`);
  return 0;
}

/** The options each version of a preview renders with, as the API takes them. */
function previewRenderOptions(flags: Parameters<typeof numberFlag>[0]) {
  return {
    validateInWorker: true,
    limits: limitFlags(flags),
    baseDir: flags.base as string | undefined,
    allowRead: flags['allow-read'] as string[] | undefined,
  };
}

async function cmdPreview(argv: string[]): Promise<number> {
  const { positionals, flags } = parseArgs(argv, 'preview');
  if (flags.help) return printHelp('preview');
  if (positionals.length !== 1)
    throw new UsageError('preview takes one spec file: vega-frames preview SPEC');
  if (positionals[0] === '-')
    throw new UsageError('preview watches a spec file: it cannot read one from stdin (-)');
  const port = numberFlag(
    flags,
    'port',
    (n) => Number.isInteger(n) && n >= 0 && n <= 65535,
    'a port number from 0 to 65535',
  );
  previewRenderOptions(flags); // a bad limit is refused now, not at every version
  // Each version's render gets the options as given, but the port.
  const renderArgs = Object.entries(flags).flatMap(([name, value]) =>
    name === 'port' ? [] : [value].flat().map((v) => `--${name}=${v}`),
  );
  return servePreview({ specPath: positionals[0], port: port ?? 0, renderArgs });
}

/** One version of a preview, in its supervised child: `preview-render [options] -- SPEC OUT`. */
async function cmdPreviewRender(argv: string[]): Promise<number> {
  const { positionals, flags } = parseArgs(argv, 'preview');
  if (positionals.length !== 2)
    throw new UsageError(`${PREVIEW_RENDER_COMMAND} takes a spec file and an output file`);
  await renderPreviewVersion(positionals[0], positionals[1], previewRenderOptions(flags));
  return 0;
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'render':
        return await cmdRender(rest);
      case 'validate':
        return await cmdValidate(rest);
      case 'schema':
        return await cmdSchema(rest);
      case 'info':
        return await cmdInfo(rest);
      case 'join':
        return await cmdJoin(rest);
      case 'preview':
        return await cmdPreview(rest);
      case PREVIEW_RENDER_COMMAND:
        return await cmdPreviewRender(rest);
      case undefined:
      case '-h':
      case '--help':
      case 'help':
        // `vega-frames help render` is `vega-frames render --help`.
        if (rest[0] !== undefined && Object.hasOwn(COMMANDS, rest[0]))
          return printHelp(rest[0] as CommandName);
        console.log(helpText());
        return command === undefined ? 2 : 0;
      case '--version':
        console.log(
          JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8'))
            .version,
        );
        return 0;
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (e) {
    const { exitCode, text } = reportError(e);
    console.error(text);
    if (process.env.VF_DEBUG) console.error(e);
    return exitCode;
  }
}

/** Runs the command line as a process: cleanup on signals, exit code when done. */
export function runCli(argv: string[]): void {
  // A preview stops by itself on a signal (its renders, its temp folder), and exits 0.
  if (argv[0] !== 'preview') installCleanupHandlers();
  // `vega-frames schema | head` closes the pipe early: that is not an error.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(0);
    throw e;
  });
  // exitCode, not exit(): let stdout drain (a piped schema is larger than one write).
  main(argv).then((code) => (process.exitCode = code));
}

/** Whether this process was started with this file (through any symlink to it). */
function invokedDirectly(): boolean {
  if (!process.argv[1]) return false;
  try {
    return realpathSync(process.argv[1]) === fileURLToPath(import.meta.url);
  } catch {
    return false;
  }
}

// `node dist/cli/main.js` runs the unbundled modules; the `vega-frames` command is cli/bin.js.
// A bin link made when this file was the command (npx keeps them in its cache) still
// leads here, and must still run.
if (invokedDirectly()) runCli(process.argv.slice(2));
