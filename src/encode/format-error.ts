import { UserError } from '../support/user-error.js';

/**
 * What an output format cannot hold, though the spec may ask for it: a frame longer than a
 * GIF's delay field, more plays than its loop field, a frame larger than its size fields.
 * The spec's or the options' doing, so the CLI reports it as bad input; the encoders' other
 * checks (a RangeError) are their callers' contract.
 */
export class FormatError extends UserError {
  override name = 'FormatError';
}
