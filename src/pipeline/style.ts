/** The look a render's options ask for: a theme and a config, for compileSpec. */
import type { StyleOptions } from '../compile/index.js';
import { OptionError } from '../spec/errors.js';
import { type Json, isObject } from '../support/json.js';
import type { CompileOptions } from './options.js';
import { pipelineMessage } from './messages.js';

export function styleOf(options: CompileOptions): StyleOptions {
  if (options.config !== undefined && !isObject(options.config))
    throw new OptionError(pipelineMessage.configNotObject());
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
