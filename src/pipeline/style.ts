/** The look a render's options ask for: a theme and a config, for compileSpec. */
import type { StyleOptions } from '../compile/index.js';
import { OptionError } from '../spec/errors.js';
import { type Json, isObject } from '../support/json.js';
import type { CompileOptions } from './options.js';
import { pipelineMessage } from './messages.js';

export function styleOf(options: CompileOptions): StyleOptions {
  if (options.config !== undefined && !isObject(options.config))
    throw new OptionError(pipelineMessage.configNotObject());
  return { theme: options.theme, config: options.config as Json | undefined };
}
