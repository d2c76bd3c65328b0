/**
 * The base of every error a user can act on: a bad spec, option, data file or limit (exit
 * 2), or a render that failed with good input, such as a missing ffmpeg (exit 1). The
 * command line maps any UserError to its exit code and prints its message without a stack
 * trace; anything else (a TypeError, a RangeError, a plain Error) is a fault of the program.
 * Here in support/ so that every stage, encode/ included, may throw one.
 */

/** 2: the input (spec, options, data, limits) is at fault; 1: the render failed on good input. */
export type UserExitCode = 1 | 2;

export interface UserErrorOptions extends ErrorOptions {
  /** The JSON path the message is about, e.g. `$.layer[0].encoding.x`. */
  jsonPath?: string;
}

/**
 * Subclasses keep their own names and constructors; one whose input was fine but whose
 * render failed overrides `exitCode` to 1. The code is a getter, the class's and not each
 * instance's, so that an error printed whole (VF_DEBUG=1) shows only what it says.
 */
export class UserError extends Error {
  /** The command line's exit code for this error. */
  get exitCode(): UserExitCode {
    return 2;
  }

  /** The JSON path the message is about, e.g. `$.layer[0].encoding.x`, when there is one. */
  declare jsonPath?: string;

  constructor(message?: string, options?: UserErrorOptions) {
    super(message, options);
    if (options?.jsonPath !== undefined) this.jsonPath = options.jsonPath;
  }
}
