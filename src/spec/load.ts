/**
 * Reads a spec from JSON or YAML text into a plain object, keeping a map back to the
 * source so later errors (schema, data, compile) can point at a line and column.
 */
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import type { Document, Node as YamlNode } from 'yaml';
import { formatJsonPath, SpecError } from './errors.js';
import type { JsonPathSegments } from './errors.js';
import { specMessage } from './messages.js';

export type SpecFormat = 'json' | 'yaml';

export interface SourcePosition {
  /** 1-based. */
  line: number;
  /** 1-based. */
  col: number;
}

export interface LoadedSpec {
  spec: Record<string, unknown>;
  file?: string;
  format: SpecFormat;
  /**
   * The source position of the node at `path`: the key of an object property, the start
   * of an array item. A path that does not exist (a missing required property, say) maps
   * to its nearest existing ancestor.
   */
  locate(path: JsonPathSegments): SourcePosition | undefined;
}

/** `.json` is JSON and `.yaml`/`.yml` YAML; otherwise a leading `{` means JSON. */
export function detectFormat(text: string, file?: string): SpecFormat {
  const extension = file ? extname(file).toLowerCase() : '';
  if (extension === '.json') return 'json';
  if (extension === '.yaml' || extension === '.yml') return 'yaml';
  return text.trimStart().startsWith('{') ? 'json' : 'yaml';
}

export async function loadSpecFile(path: string): Promise<LoadedSpec> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    const reason =
      (cause as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : 'unreadable';
    throw new SpecError(specMessage.cannotReadSpec(reason), { path: '$', file: path });
  }
  return parseSpecText(text, path, detectFormat(text, path));
}

export function parseSpecText(text: string, file?: string, format?: SpecFormat): LoadedSpec {
  const source = text.replace(/^\uFEFF/, ''); // a byte-order mark is not content
  checkBracketDepth(source, file);
  const resolvedFormat = format ?? detectFormat(source, file);
  const lineCounter = new LineCounter();
  // JSON is YAML, so one parser gives source positions for both formats.
  const document = parseDocument(source, { lineCounter, prettyErrors: false });
  const positionOf = (offset: number): SourcePosition => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, col };
  };

  let spec: unknown;
  if (resolvedFormat === 'json') {
    spec = parseJson(source, file, positionOf);
    // YAML is laxer than JSON, so only its duplicate-key check adds anything here.
    const duplicate = document.errors.find((error) => error.code === 'DUPLICATE_KEY');
    if (duplicate) throw duplicateKeyError(document, duplicate.pos[0], file, positionOf);
  } else {
    const [error] = document.errors;
    if (error?.code === 'DUPLICATE_KEY') {
      throw duplicateKeyError(document, error.pos[0], file, positionOf);
    }
    if (error) throw yamlSyntaxError(error.message, error.pos[0], file, positionOf);
    checkExpandedSize(document, file, positionOf);
    try {
      spec = document.toJS({ maxAliasCount: 1000 });
    } catch (cause) {
      throw new SpecError(specMessage.invalidYaml((cause as Error).message), { path: '$', file });
    }
  }

  checkDepth(spec, file);
  if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) {
    const kind = spec === null || spec === undefined ? undefined : describeKind(spec);
    throw new SpecError(specMessage.notAnObject(kind), {
      path: '$',
      file,
      expected: 'an object with a mark, layer or concat',
      ...positionOf(0),
    });
  }

  const loaded: LoadedSpec = {
    spec: spec as Record<string, unknown>,
    file,
    format: resolvedFormat,
    locate: (path) => {
      const offset = locateOffset(document, path);
      return offset === undefined ? undefined : positionOf(offset);
    },
  };
  parsedSpecs.set(loaded.spec, loaded);
  return loaded;
}

/** Each spec object parseSpecText made, with where its nodes are in the text. */
const parsedSpecs = new WeakMap<object, LoadedSpec>();

/**
 * The text a spec object was parsed from (by parseSpecText), if it was: a spec handed on as
 * an object (read from stdin, say) keeps its messages' line:col.
 */
export function loadedSpecOf(spec: object): LoadedSpec | undefined {
  return parsedSpecs.get(spec);
}

/** Nodes a YAML spec may expand to once its aliases are followed. */
export const MAX_EXPANDED_NODES = 2_000_000;
/** Characters of scalars a YAML spec may expand to once its aliases are followed. */
export const MAX_EXPANDED_CHARS = 64 * 2 ** 20;

/**
 * Refuses a YAML document whose aliases expand it past MAX_EXPANDED_NODES nodes or
 * MAX_EXPANDED_CHARS characters ("a billion laughs": nine levels of ten aliases are 60
 * bytes of YAML and 10⁹ nodes). The yaml package's alias count bounds how many aliases a
 * document has, not what they expand to; every later step (schema, compile, the column
 * scan) walks the expanded tree. Each anchor's size is counted once, so this is linear in
 * the document.
 */
function checkExpandedSize(
  document: Document,
  file: string | undefined,
  positionOf: (offset: number) => SourcePosition,
): void {
  const sizes = new Map<unknown, { nodes: number; chars: number }>();
  const inProgress = new Set<unknown>();
  const sizeOf = (node: unknown): { nodes: number; chars: number } => {
    if (isAlias(node)) node = node.resolve(document);
    const known = sizes.get(node);
    if (known) return known;
    if (inProgress.has(node)) {
      throw new SpecError(specMessage.aliasCycle(), {
        path: '$',
        file,
        ...positionOf(rangeStart(node) ?? 0),
      });
    }
    inProgress.add(node);
    const size = { nodes: 1, chars: 0 };
    const add = (child: unknown) => {
      const c = sizeOf(child);
      size.nodes += c.nodes;
      size.chars += c.chars;
    };
    if (isMap(node)) {
      for (const pair of node.items) {
        add(pair.key);
        add(pair.value);
      }
    } else if (isSeq(node)) {
      for (const item of node.items) add(item);
    } else if (isScalar(node)) {
      size.chars = typeof node.value === 'string' ? node.value.length : 8;
    }
    inProgress.delete(node);
    sizes.set(node, size);
    if (size.nodes > MAX_EXPANDED_NODES || size.chars > MAX_EXPANDED_CHARS) {
      throw new SpecError(
        specMessage.aliasesExpand(MAX_EXPANDED_NODES, MAX_EXPANDED_CHARS / 2 ** 20),
        {
          path: '$',
          file,
          ...positionOf(rangeStart(node) ?? 0),
        },
      );
    }
    return size;
  };
  sizeOf(document.contents);
}

/**
 * How deeply a spec may nest. Vega-Lite's deepest real specs (a layer in a concat in a facet,
 * with conditions and GeoJSON values) stay under 30 levels; every step after loading (the
 * schema, Vega-Lite, the checks here) walks the spec recursively, and 2,000 levels of
 * `usermeta` overflowed the stack.
 */
export const MAX_SPEC_DEPTH = 100;

/** Bracket nesting a spec's text may have before it is parsed: a guard for the parsers. */
const MAX_TEXT_DEPTH = 1_000;

const depthError = (file: string | undefined) =>
  new SpecError(specMessage.tooDeep(MAX_SPEC_DEPTH), { path: '$', file });

/**
 * The nesting of brackets in the text, outside strings, checked before a parser recurses
 * into it (JSON.parse and the YAML parser overflow the stack on 100,000 levels).
 */
function checkBracketDepth(text: string, file: string | undefined): void {
  let depth = 0;
  let quote = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === '\\' && quote === '"') i++;
      // An apostrophe in a plain YAML scalar ("Driver's age") opens nothing past its line.
      else if (c === quote || (c === '\n' && quote === "'")) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '[' || c === '{') {
      if (++depth > MAX_TEXT_DEPTH) throw depthError(file);
    } else if (c === ']' || c === '}') depth = Math.max(0, depth - 1);
  }
}

/** The nesting of the parsed spec (YAML's indented blocks too), walked without recursion. */
function checkDepth(spec: unknown, file: string | undefined): void {
  const stack: [unknown, number][] = [[spec, 0]];
  const seen = new Set<unknown>();
  while (stack.length) {
    const [node, depth] = stack.pop()!;
    if (typeof node !== 'object' || node === null || seen.has(node)) continue;
    if (depth > MAX_SPEC_DEPTH) throw depthError(file);
    seen.add(node); // a YAML alias shares its node: one walk
    for (const child of Object.values(node)) stack.push([child, depth + 1]);
  }
}

const describeKind = (value: unknown) => (Array.isArray(value) ? 'an array' : `a ${typeof value}`);

function yamlSyntaxError(
  message: string,
  offset: number,
  file: string | undefined,
  positionOf: (offset: number) => SourcePosition,
): SpecError {
  // The yaml package appends " at line L, column C" (and a code excerpt) itself.
  const reason = message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
  return new SpecError(specMessage.yamlSyntax(reason), { path: '$', file, ...positionOf(offset) });
}

/** A repeated key, at its second occurrence: the first would silently be overwritten. */
function duplicateKeyError(
  document: Document,
  offset: number,
  file: string | undefined,
  positionOf: (offset: number) => SourcePosition,
): SpecError {
  const segments = keyPathAt(document.contents, offset) ?? [];
  const key = segments.at(-1);
  return new SpecError(specMessage.duplicateKey(key), {
    path: formatJsonPath(segments),
    file,
    ...positionOf(offset),
  });
}

/** The path of the object key that starts at `offset`, if any. */
function keyPathAt(node: unknown, offset: number): (string | number)[] | undefined {
  if (isMap(node)) {
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
      if (key === undefined) continue;
      if (rangeStart(pair.key) === offset) return [key];
      const rest = keyPathAt(pair.value, offset);
      if (rest) return [key, ...rest];
    }
  } else if (isSeq(node)) {
    for (const [index, item] of node.items.entries()) {
      const rest = keyPathAt(item, offset);
      if (rest) return [index, ...rest];
    }
  }
  return undefined;
}

/** JSON.parse, with its error turned into a SpecError at the offending line and column. */
function parseJson(
  text: string,
  file: string | undefined,
  positionOf: (offset: number) => SourcePosition,
): unknown {
  try {
    return JSON.parse(text);
  } catch (cause) {
    const message = (cause as Error).message;
    const offset = jsonErrorOffset(message, text);
    const reason = message
      .replace(/ in JSON at position \d+.*$/, '')
      .replace(/, (\.\.\.)?".*$/s, '');
    throw new SpecError(specMessage.jsonSyntax(reason), { path: '$', file, ...positionOf(offset) });
  }
}

/**
 * Where V8's JSON.parse failed. Node 20 says "at position N" for most errors; for an
 * unexpected token it quotes the text instead, the whole of it when short or else 10
 * characters either side of the error behind a leading "...".
 */
function jsonErrorOffset(message: string, text: string): number {
  const atPosition = / at position (\d+)/.exec(message);
  if (atPosition) return Number(atPosition[1]);
  if (message.includes('end of JSON input')) return text.length;
  const quoted =
    /^Unexpected token '([\s\S])', (\.\.\.)?"([\s\S]*?)"(?:\.\.\.)? is not valid JSON/.exec(
      message,
    );
  if (quoted) {
    const [, token, truncated, excerpt] = quoted;
    const start = text.indexOf(excerpt);
    if (start >= 0) return truncated ? start + 10 : start + Math.max(0, excerpt.indexOf(token));
  }
  return 0;
}

/** Offset of the node at `path` in the source, or of its nearest existing ancestor. */
function locateOffset(document: Document, path: JsonPathSegments): number | undefined {
  let node: unknown = document.contents;
  let offset = rangeStart(node);
  for (const segment of path) {
    if (isAlias(node)) node = node.resolve(document);
    if (isMap(node)) {
      const pair = node.items.find(
        (item) => isScalar(item.key) && String(item.key.value) === String(segment),
      );
      if (!pair) break;
      offset = rangeStart(pair.key) ?? offset;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment];
      if (item === undefined) break;
      offset = rangeStart(item) ?? offset;
      node = item;
    } else {
      break;
    }
  }
  return offset;
}

function rangeStart(node: unknown): number | undefined {
  const range = (node as YamlNode | null)?.range;
  return range ? range[0] : undefined;
}
