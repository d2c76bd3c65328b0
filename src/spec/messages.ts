/**
 * Every message spec/ gives the user, as a function returning the sentence (after
 * Vega-Lite's src/log/message.ts and compile/messages.ts): reading a spec file, what the
 * schema refuses, and the limits a render runs under. A SpecError adds the JSON path and
 * line:col, and "; expected …" after these. Counts and sizes arrive written as
 * limits.ts's formatCount and formatBytes write them, so that this file imports nothing
 * that imports it.
 */
import { quote } from './errors.js';

export const specMessage = {
  // Reading a spec file (load.ts).
  cannotReadSpec: (reason: string) => `cannot read spec: ${reason}`,
  jsonSyntax: (reason: string) => `JSON syntax error: ${reason}`,
  yamlSyntax: (reason: string) => `YAML syntax error: ${reason}`,
  invalidYaml: (reason: string) => `invalid YAML: ${reason}`,
  duplicateKey: (key: string | number | undefined) =>
    key === undefined ? 'duplicate key' : `duplicate key ${quote(key)}`,
  aliasCycle: () => 'a YAML alias refers to a node that contains it',
  aliasesExpand: (nodes: number, mib: number) =>
    `the YAML's aliases expand it to over ${nodes.toLocaleString('en')} nodes or ${mib} MiB of text; a spec that large is refused`,
  tooDeep: (depth: number) =>
    `the spec nests deeper than ${depth} levels of objects and arrays; no chart needs that many`,
  /** `kind`: what the spec is instead of an object ("an array", "a string"); none when empty. */
  notAnObject: (kind: string | undefined) =>
    `the spec ${kind === undefined ? 'is empty' : `is ${kind}`}`,

  // What the schema refuses (validate.ts); `described` is a value as describeValue words it.
  specIs: (described: string) => `the spec is ${described}`,
  unknownProperty: (property: string) => `unknown property ${quote(property)}`,
  missingProperty: (property: string) => `missing required property "${property}"`,
  outOfRange: (value: unknown) => `${JSON.stringify(value)} is out of range`,
  failsKeyword: (keyword: string) => `fails ${keyword}`,
  got: (described: string) => `got ${described}`,
  notAllowed: (value: unknown) =>
    `${typeof value === 'string' ? quote(value) : JSON.stringify(value)} is not allowed`,
  emptyFieldName: () => 'the field name is empty',
  didYouMean: (suggestion: string) => `did you mean "${suggestion}"?`,

  // Limits (limits.ts); `flag` is the option that raises the limit.
  overLimit: (what: string, value: string, limit: string, flag: string) =>
    `${what} is ${value}, over the limit of ${limit}; raise it with ${flag} if you trust this spec`,
  memoryOverLimit: (held: string, most: string, flag: string) =>
    `the render holds ${held} of memory, over the limit of ${most}; raise it with ${flag} if you trust this spec (nothing was written)`,
  tookTooLong: (seconds: number, flag: string) =>
    `the render took longer than ${seconds} s (${flag}); nothing was written`,
  stalled: (seconds: number, what: string, flag: string) =>
    `${what} ran ${seconds} s without finishing and was stopped; nothing was written. The spec asks for more work than a chart needs (an expression over many rows, a large transform); raise the limit with ${flag} if you trust it`,
  notASize: (text: string) =>
    `"${text}" is not a size: give bytes, or a number with k, m, g or t (e.g. 2g, 1536m)`,
};
