/** The look a render's options ask for: a theme and a config, for compileSpec. */
import type { StyleOptions } from '../compile/index.js';
import { OptionError } from '../spec/errors.js';
import { validateSpec } from '../spec/validate.js';
import { type Json, isObject } from '../support/json.js';
import type { CompileOptions } from './options.js';
import { pipelineMessage } from './messages.js';

export function styleOf(options: CompileOptions): StyleOptions {
  if (options.config !== undefined && !isObject(options.config))
    throw new OptionError(pipelineMessage.configNotObject());
  if (options.config !== undefined) checkConfigOption(options.config);
  for (const key of ['width', 'height'] as const) {
    const v = options[key];
    if (v !== undefined && !(Number.isFinite(v) && v > 0))
      throw new OptionError(pipelineMessage.figureSize(key, v));
  }
  return {
    theme: options.theme,
    config: options.config as Json | undefined,
    width: options.width,
    height: options.height,
  };
}

/**
 * Each config object checked, as the JSON it held then: a config is checked once, not again
 * by every render given it (small multiples compile twice) nor after the command checked
 * its file at its line:col (`configChecked`), unless it has changed since.
 */
const checked = new WeakMap<object, string>();

/** Records a config as checked against the schema by its caller. */
export function configChecked(config: Record<string, unknown>): void {
  checked.set(config, JSON.stringify(config));
}

/**
 * Checks a config option against the schema's config, as the spec's own `config` is: a typo
 * is an OptionError naming its path (`config.axis.labelAngel`), not a property Vega-Lite skips.
 */
function checkConfigOption(config: Record<string, unknown>): void {
  const json = JSON.stringify(config);
  if (checked.get(config) === json) return;
  const errors = validateSpec({ data: { values: [] }, mark: 'point', config });
  if (errors.length > 0)
    throw new OptionError(
      pipelineMessage.configInvalid(
        errors.map((e) => `${e.path.replace(/^\$\./, '')}: ${e.message}`),
      ),
    );
  checked.set(config, json);
}
