/**
 * The command's look and paper-size options: `--theme`, `--config FILE`, `--font-dir`,
 * `--width`/`--height` (a figure size in in, cm, mm, pt or px) and `--fit-width`, turned
 * into the API's RenderOptions.
 */
import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { quote, SpecError, SpecErrors } from '../spec/errors.js';
import { parseSpecText } from '../spec/load.js';
import { validateSpec } from '../spec/validate.js';
import type { RenderOptions } from '../pipeline/options.js';
import { configChecked } from '../pipeline/style.js';
import { type ParsedArgs, UsageError } from './args.js';

/** Chart pixels (1/72 in, a point) per unit: at 72 ppi a chart pixel is a device pixel. */
const PER_UNIT: Record<string, number> = { in: 72, cm: 72 / 2.54, mm: 72 / 25.4, pt: 1, px: 1 };

/** A length as chart pixels: `3.5in`, `8.9cm`, `89mm`, `252pt`, `400px` or `400` (pixels). */
export function parseLength(text: string, option: string): { pixels: number } {
  const m = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*(in|cm|mm|pt|px)?\s*$/i.exec(text);
  const pixels = m ? Number(m[1]) * PER_UNIT[(m[2] ?? 'px').toLowerCase()] : NaN;
  if (!m || !(pixels > 0) || pixels > 100_000)
    throw new UsageError(
      `--${option} ${quote(text)} is not a length: a number with in, cm, mm, pt or px (e.g. 3.5in, 8.9cm, 600px)`,
    );
  return { pixels };
}

/** A Vega-Lite config file (JSON or YAML), as vl-convert's --config reads one. */
async function configFile(file: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'a folder, not a file'
          : (e as Error).message;
    throw new UsageError(`--config ${quote(file)}: ${reason}`);
  }
  let value: unknown;
  try {
    value = parseYaml(text);
  } catch (e) {
    throw new UsageError(`--config ${quote(file)} is not JSON or YAML: ${(e as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new UsageError(`--config ${quote(file)} must hold an object (a Vega-Lite config)`);
  checkConfig(value as Record<string, unknown>, text, file);
  // Checked here at its line:col in the file: the render does not check it again.
  configChecked(value as Record<string, unknown>);
  return value as Record<string, unknown>;
}

/**
 * Checks a config file against the schema's config, as the spec's own `config` is: a typo
 * is an error at its path in the file and its line:col, not a property Vega-Lite skips.
 */
function checkConfig(config: Record<string, unknown>, text: string, file: string): void {
  const source = parseSpecText(text, file);
  const errors = validateSpec(
    { data: { values: [] }, mark: 'point', config },
    { ...source, locate: (segments) => source.locate(segments.slice(1)) },
  );
  if (errors.length === 0) return;
  throw new SpecErrors(
    errors.map(
      (e) =>
        new SpecError(e.reason, {
          path: e.path.replace(/^\$\.config/, '$'),
          file,
          line: e.line,
          col: e.col,
          expected: e.expected,
          hint: e.hint,
        }),
    ),
  );
}

export async function styleFlags(
  flags: ParsedArgs['flags'],
): Promise<Pick<RenderOptions, 'theme' | 'config' | 'fontDirs' | 'width' | 'height' | 'fitWidth'>> {
  const length = (name: string) =>
    typeof flags[name] === 'string' ? parseLength(flags[name], name).pixels : undefined;
  return {
    theme: flags.theme as string | undefined,
    config: typeof flags.config === 'string' ? await configFile(flags.config) : undefined,
    fontDirs: flags['font-dir'] as string[] | undefined,
    width: length('width'),
    height: length('height'),
    fitWidth: length('fit-width'),
  };
}
