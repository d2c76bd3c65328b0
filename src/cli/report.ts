/**
 * How the command reports the error that ended a command: its text for stderr and its exit
 * code. The command and the live preview's page both show errors this way.
 */
import { SpecError, SpecErrors, formatSpecError } from '../spec/errors.js';
import { CompileError } from '../compile/index.js';
import { UserError } from '../support/user-error.js';
import { UsageError } from './args.js';

/** What the command line prints for the error that ended a command, and its exit code. */
export interface ErrorReport {
  exitCode: number;
  /** For stderr: one message, and for a fault of the program a line asking to report it. */
  text: string;
}

/**
 * Errors a user can act on are UserErrors: one message, no stack trace, their own exit code
 * (2 for a bad spec, option, data file or limit; 1 for a render that failed on good input).
 * A missing file is bad input too. Any other error is a render that failed (exit 1); only
 * the program's own classes count as the user's, so a RangeError or TypeError from deep
 * inside (a stack overflow, an invalid array length) is a fault of the program, whatever
 * its message says.
 */
export function reportError(e: unknown): ErrorReport {
  if (e instanceof UserError) return { exitCode: e.exitCode, text: userMessage(e) };
  if (e instanceof Error && (e as NodeJS.ErrnoException).code === 'ENOENT')
    return { exitCode: 2, text: `error: ${e.message}` };
  const lines = [`render failed: ${(e as Error).message ?? e}`];
  // JavaScript's own errors (a TypeError, a stack overflow, an invalid array length) are
  // faults of vega-frames; the rest here (a full disk, a worker that died) the machine's.
  if (
    e instanceof TypeError ||
    e instanceof RangeError ||
    e instanceof ReferenceError ||
    e instanceof SyntaxError
  )
    lines.push(
      'This is a bug in vega-frames: please report it with the spec and its data (VF_DEBUG=1 shows where it happened).',
    );
  return { exitCode: 1, text: lines.join('\n') };
}

/** A UserError's message: spec errors with their line:col, usage with the help hint. */
function userMessage(e: UserError): string {
  if (e instanceof SpecError || e instanceof SpecErrors) return formatSpecError(e);
  if (e instanceof UsageError) return `${e.message}\nRun vega-frames --help for usage.`;
  if (e.jsonPath) {
    const at =
      e instanceof CompileError && e.line !== undefined
        ? `${[e.file ?? '<spec>', e.line, e.col].join(':')} `
        : '';
    return `${at}error at ${e.jsonPath}: ${e.message}`;
  }
  return e.exitCode === 1 ? `render failed: ${e.message}` : `error: ${e.message}`;
}
