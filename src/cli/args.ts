/**
 * The command line's options: one table says each option's type, its group and line in
 * --help and the commands that take it; node:util.parseArgs reads argv by it, and the
 * refusals (an unknown option, a missing value) are this module's sentences, exit 2.
 */
import { parseArgs as parseArgv } from 'node:util';
import { quote } from '../spec/errors.js';
import { UserError } from '../support/user-error.js';

export class UsageError extends UserError {}

/** The --help sections options are listed under, in this order. */
export const OPTION_GROUPS = [
  'Output',
  'Frames and timing',
  'Size and colour',
  'Reading data',
  'Speed',
  'Messages',
  'Limits (for untrusted specs; raise them for specs you trust)',
] as const;
export type OptionGroup = (typeof OPTION_GROUPS)[number];

export type CommandName = 'render' | 'validate' | 'schema' | 'info' | 'join' | 'preview';

export interface OptionDef {
  /** Takes a value (`--fps 20`, `--fps=20`): its name in --help; a flag has none. */
  value?: string;
  /** May be given several times; the values collect into an array. */
  multiple?: boolean;
  /** One letter: `-o`. */
  short?: string;
  group: OptionGroup;
  /** The --help line; further lines are indented under it. */
  help: string;
  commands: readonly CommandName[];
}

const R: readonly CommandName[] = ['render'];
/** The options of the commands that read a spec and its data alike. */
const READS: readonly CommandName[] = ['render', 'info', 'preview'];
/** The limits of a render, which a preview's renders take too. */
const RENDERS: readonly CommandName[] = ['render', 'preview'];

/** Every option of every command. An option is one entry here, with the commands taking it. */
export const OPTIONS: Record<string, OptionDef> = {
  output: {
    value: 'FILE',
    short: 'o',
    group: 'Output',
    commands: ['render', 'join'],
    help: 'output; the format follows the extension:\n  animation: .gif .apng .mp4 .webm .html, or DIR/ for frame-00001.png …\n  one frame (--frame N): .png .svg .pdf',
  },
  format: {
    value: 'F',
    group: 'Output',
    commands: R,
    help: 'gif, apng, mp4, webm, html, frames, png, svg or pdf (overrides the extension)',
  },
  frame: {
    value: 'N',
    group: 'Output',
    commands: R,
    help: 'the frame for .png/.svg/.pdf output (default 0)',
  },
  as: {
    value: 'facet',
    group: 'Output',
    commands: R,
    help: '.png/.svg/.pdf: the selected frames as small multiples (--frames)',
  },
  columns: {
    value: 'N',
    group: 'Output',
    commands: R,
    help: 'panels per row of the small multiples',
  },
  crf: {
    value: 'N',
    group: 'Output',
    commands: R,
    help: 'video quality, lower is better (overrides animation.crf; H.264 default 18, VP9 31)',
  },
  'player-autoplay': {
    value: 'true|false',
    group: 'Output',
    commands: R,
    help: '.html: start playing once loaded (default true)',
  },
  fragment: {
    group: 'Output',
    commands: R,
    help: ".html: the player alone, a <div> to put in a page or a notebook's output",
  },
  port: {
    value: 'N',
    group: 'Output',
    commands: ['preview'],
    help: 'preview: the port on 127.0.0.1 (default 0: any free port; the URL is printed)',
  },
  frames: {
    value: 'a:b[:step]',
    group: 'Frames and timing',
    commands: R,
    help: 'render a slice of the frames (end exclusive; negatives count from the end)',
  },
  fps: {
    value: 'N',
    group: 'Frames and timing',
    commands: R,
    help: 'frames per second (overrides animation.fps)',
  },
  scale: {
    value: 'N',
    group: 'Size and colour',
    commands: R,
    help: 'device pixels per chart pixel (default 1)',
  },
  ppi: {
    value: 'N',
    group: 'Size and colour',
    commands: R,
    help: 'resolution for raster output: scale = N / 72 (like vl-convert)',
  },
  background: {
    value: 'COLOR',
    group: 'Size and colour',
    commands: R,
    help: 'overrides animation.background (a CSS colour, or transparent)',
  },
  width: {
    value: 'SIZE',
    group: 'Size and colour',
    commands: ['render', 'info'],
    help: 'the whole figure’s width: 3.5in, 8.9cm, 89mm, 252pt or 400px (1 in = 72 px;\n  with --ppi 300, 3.5in is 1050 pixels); the chart is laid out to fill it',
  },
  height: {
    value: 'SIZE',
    group: 'Size and colour',
    commands: ['render', 'info'],
    help: 'the whole figure’s height, as --width',
  },
  'fit-width': {
    value: 'SIZE',
    group: 'Size and colour',
    commands: R,
    help: '.png/.svg/.pdf and small multiples: scale the figure to this width (a column)',
  },
  theme: {
    value: 'NAME',
    group: 'Size and colour',
    commands: ['render', 'info'],
    help: 'a vega-themes theme: dark, excel, fivethirtyeight, ggplot2, googlecharts,\n  latimes, powerbi, quartz, urbaninstitute, vox, carbonwhite, carbong10/90/100',
  },
  config: {
    value: 'FILE',
    group: 'Size and colour',
    commands: ['render', 'info'],
    help: "a Vega-Lite config (JSON or YAML): over the theme, under the spec's config",
  },
  'font-dir': {
    value: 'DIR',
    multiple: true,
    group: 'Size and colour',
    commands: ['render', 'info'],
    help: 'register the .ttf/.otf files in DIR (repeatable), as the spec’s fonts: does',
  },
  base: {
    value: 'DIR',
    group: 'Reading data',
    commands: READS,
    help: "folder relative data URLs resolve in (default: the spec's folder)",
  },
  'allow-read': {
    value: 'DIR',
    multiple: true,
    group: 'Reading data',
    commands: READS,
    help: 'also allow reading data from DIR (repeatable)',
  },
  workers: {
    value: 'N',
    group: 'Speed',
    commands: R,
    help: 'render threads (default: one per core, at most 4; 1 = this thread)',
  },
  'no-fast-path': {
    group: 'Speed',
    commands: R,
    help: 'let Vega draw every mark (slower; for comparison)',
  },
  quiet: {
    short: 'q',
    group: 'Messages',
    commands: ['render', 'join'],
    help: 'no progress or summary',
  },
  progress: {
    value: 'MODE',
    group: 'Messages',
    commands: R,
    help: 'auto (a bar on a terminal, else a line every 5 s), lines, or json (a JSON object a line)',
  },
  json: {
    group: 'Messages',
    commands: ['info'],
    help: 'info: print what it finds as JSON',
  },
  path: {
    group: 'Output',
    commands: ['schema'],
    help: "schema: print the installed schema file's absolute path (for a spec's $schema)",
  },
  help: {
    short: 'h',
    group: 'Messages',
    commands: ['render', 'validate', 'schema', 'info', 'join', 'preview'],
    help: 'this help; after a command, that command’s',
  },
  'max-pixels': {
    value: 'N',
    group: 'Limits (for untrusted specs; raise them for specs you trust)',
    commands: RENDERS,
    help: 'device pixels in a frame (default 16,777,216 = 4096²)',
  },
  'max-frames': {
    value: 'N',
    group: 'Limits (for untrusted specs; raise them for specs you trust)',
    commands: RENDERS,
    help: 'frames to render (default 10,000)',
  },
  'max-rows': {
    value: 'N',
    group: 'Limits (for untrusted specs; raise them for specs you trust)',
    commands: RENDERS,
    help: 'data rows over all sources (default 100,000,000)',
  },
  timeout: {
    value: 'S',
    group: 'Limits (for untrusted specs; raise them for specs you trust)',
    commands: READS,
    help: 'stop after S seconds, writing nothing (default: none)',
  },
  'max-output-bytes': {
    value: 'N',
    group: 'Limits (for untrusted specs; raise them for specs you trust)',
    commands: RENDERS,
    help: 'bytes written in all (default 2 GiB)',
  },
  'max-memory': {
    value: 'SIZE',
    group: 'Limits (for untrusted specs; raise them for specs you trust)',
    commands: READS,
    help: 'memory the render may hold, e.g. 4g (default 2g); over it, it stops',
  },
  'stall-timeout': {
    value: 'S',
    group: 'Limits (for untrusted specs; raise them for specs you trust)',
    commands: READS,
    help: "stop when one step (a frame's evaluation) runs S seconds (default 60)",
  },
  'max-file-bytes': {
    value: 'N',
    group: 'Limits (for untrusted specs; raise them for specs you trust)',
    commands: READS,
    help: 'bytes of one data or image file the spec names (default 1 GiB)',
  },
};

export interface CommandDef {
  usage: string;
  summary: string;
  /** Command lines a user can copy, each shown as `$ vega-frames …`. */
  examples: string[];
}

export const COMMANDS: Record<CommandName, CommandDef> = {
  render: {
    usage: 'render SPEC -o OUT [options]',
    summary: 'render the animation, or one frame',
    examples: [
      'render specs/umap-epochs.yaml -o out/umap.gif',
      'render specs/coin-flips.yaml --frame 6 -o out/f6.png --ppi 144',
    ],
  },
  validate: {
    usage: 'validate SPEC...',
    summary: 'check specs against the schema',
    examples: ['validate specs/*.yaml'],
  },
  schema: {
    usage: 'schema [--path]',
    summary: 'print the JSON Schema',
    examples: ['schema > vega-frames.schema.json', 'schema --path'],
  },
  info: {
    usage: 'info SPEC [options]',
    summary: 'frames, frame values, size, data, marks',
    examples: ['info specs/umap-epochs.yaml --json'],
  },
  join: {
    usage: 'join PART... -o OUT.gif|mp4|webm',
    summary: 'join slices rendered with --frames, losslessly',
    examples: ['join part-1.gif part-2.gif -o all.gif'],
  },
  preview: {
    usage: 'preview SPEC [options]',
    summary: 'the player on 127.0.0.1, rendered again as the spec or its data change',
    examples: ['preview specs/coin-flips.yaml --port 8080'],
  },
};

export interface ParsedArgs {
  positionals: string[];
  flags: Record<string, string | boolean | string[]>;
}

/**
 * Reads a command's arguments: options as OPTIONS defines them for `command` (`--name V`,
 * `--name=V`, `-o V`, grouped letters `-qo V`), the rest positionals (`-` among them; all
 * after `--`). A value is taken whatever it looks like (`--frames -10:`). An option the
 * command does not take, a missing value, or a value given to a flag is a UsageError.
 */
export function parseArgs(argv: string[], command: CommandName): ParsedArgs {
  const options = Object.fromEntries(
    Object.entries(OPTIONS)
      .filter(([, o]) => o.commands.includes(command))
      .map(([name, o]) => [
        name,
        {
          type: o.value ? ('string' as const) : ('boolean' as const),
          ...(o.short ? { short: o.short } : {}),
          ...(o.multiple ? { multiple: true } : {}),
        },
      ]),
  );
  // Not strict: the refusals are checked below from the tokens, in this command's words.
  const { tokens } = parseArgv({
    args: argv,
    options,
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  const positionals: string[] = [];
  const flags: ParsedArgs['flags'] = {};
  // `-q=1` reads as the short options -q, -= and -1, and `-o=x.gif` as -o with "=x.gif":
  // the `=` of a short option is found in its argument itself.
  const shortEquals = (token: { index: number; rawName: string }) =>
    /^-[^-]$/.test(token.rawName) && argv[token.index].startsWith(`${token.rawName}=`);
  for (const token of tokens) {
    if (token.kind === 'positional') positionals.push(token.value);
    if (token.kind !== 'option') continue;
    if (shortEquals(token) && Object.hasOwn(options, token.name) && !OPTIONS[token.name].value)
      throw new UsageError(
        `option ${token.rawName} (--${token.name}) takes no value: give ${token.rawName} alone`,
      );
    const def = Object.hasOwn(options, token.name) ? OPTIONS[token.name] : undefined;
    if (!def) {
      const other = OPTIONS[token.name]?.commands;
      throw new UsageError(
        `unknown option ${token.rawName}${other && Object.hasOwn(OPTIONS, token.name) ? ` for ${command} (${other.join(' and ')} take${other.length === 1 ? 's' : ''} it)` : ''}`,
      );
    }
    if (!def.value) {
      if (token.value !== undefined)
        throw new UsageError(`option --${token.name} takes no value: give --${token.name} alone`);
      flags[token.name] = true;
      continue;
    }
    if (token.value === undefined) throw new UsageError(`option --${token.name} needs a value`);
    const value = shortEquals(token) ? token.value.slice(1) : token.value;
    if (def.multiple) flags[token.name] = [...((flags[token.name] as string[]) ?? []), value];
    else flags[token.name] = value;
  }
  return { positionals, flags };
}

export function numberFlag(
  flags: ParsedArgs['flags'],
  name: string,
  check: (n: number) => boolean,
  expected: string,
): number | undefined {
  const raw = flags[name];
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (typeof raw !== 'string' || !Number.isFinite(n) || !check(n)) {
    throw new UsageError(`--${name} ${quote(String(raw))} is not ${expected}`);
  }
  return n;
}

const optionLabel = (name: string, o: OptionDef) =>
  `${o.short ? `-${o.short}, ` : ''}--${name}${o.value ? ` ${o.value}` : ''}`;

/** The options `command` takes (every option for the whole help), by group. */
function optionSections(command?: CommandName): string[] {
  const entries = Object.entries(OPTIONS).filter(
    ([, o]) => !command || o.commands.includes(command),
  );
  const width = Math.max(...entries.map(([name, o]) => optionLabel(name, o).length)) + 2;
  const sections: string[] = [];
  for (const group of OPTION_GROUPS) {
    const inGroup = entries.filter(([, o]) => o.group === group);
    if (!inGroup.length) continue;
    const lines = inGroup.flatMap(([name, o]) => {
      const [first, ...more] = o.help.split('\n');
      return [
        `  ${optionLabel(name, o).padEnd(width)}${first}`,
        ...more.map((m) => `  ${' '.repeat(width)}${m}`),
      ];
    });
    sections.push(`${group}:\n${lines.join('\n')}`);
  }
  return sections;
}

const FOOTER = 'Docs: docs/cli.md. Exit codes: 0 ok, 1 render failed, 2 bad spec, data or usage.';

/** `vega-frames --help`, or `vega-frames COMMAND --help`. */
export function helpText(command?: CommandName): string {
  const names = command ? [command] : (Object.keys(COMMANDS) as CommandName[]);
  const usages = names.map((n) => `vega-frames ${COMMANDS[n].usage}`);
  const width = Math.max(...usages.map((u) => u.length)) + 3;
  const usage = names.map((n, i) => `  ${usages[i].padEnd(width)}${COMMANDS[n].summary}`);
  const examples = names.flatMap((n) => COMMANDS[n].examples.map((e) => `  $ vega-frames ${e}`));
  return [
    'vega-frames: animate Vega-Lite specs with a frame channel',
    `Usage:\n${usage.join('\n')}`,
    ...optionSections(command),
    `Examples:\n${examples.join('\n')}`,
    FOOTER,
  ].join('\n\n');
}
