/**
 * The shape of parsed JSON and YAML objects (specs, Vega specs, data rows), which every
 * stage walks: one definition, in support/ so that any folder may import it.
 */

/** A JSON object: its members by name, each of any JSON value (unchecked). */
export type Json = Record<string, unknown>;

/** Whether `v` is a JSON object: an object that is neither null nor an array. */
export const isObject = (v: unknown): v is Json =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
