/**
 * Builds schemas/vega-frames.schema.json: Vega-Lite 6's own JSON schema, extended with
 * the vega-frames additions declared in src/spec/types.ts.
 *
 *   npx tsx scripts/build-schema.ts           # (re)write the schema
 *   npx tsx scripts/build-schema.ts --check   # exit 1 if the committed schema is stale
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createGenerator } from 'ts-json-schema-generator';

type JsonObject = { [key: string]: unknown };
type Definitions = Record<string, JsonObject>;

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
export const schemaPath = `${repoRoot}schemas/vega-frames.schema.json`;
const vegaLiteSchemaPath = `${repoRoot}node_modules/vega-lite/build/vega-lite-schema.json`;
const typesPath = `${repoRoot}src/spec/types.ts`;

/** The types of src/spec/types.ts that become schema definitions. */
const exportedTypes = [
  'FrameFieldDef',
  'AnimationParams',
  'PauseParams',
  'FrameBinParams',
  'FrameSort',
  'TweenParams',
  'EasingName',
  'EasingByChannel',
  'EnterExit',
  'TrailParams',
  'FontFileParams',
] as const;

/** Keywords whose value must be a number; see normalizeNumericKeywords. */
const numericKeywords = [
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'minLength',
  'maxLength',
  'minItems',
  'maxItems',
];

const isObject = (v: unknown): v is JsonObject =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Recursively sorts object keys so the output does not depend on declaration order. */
function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (!isObject(value)) return value;
  const sorted: JsonObject = {};
  for (const key of Object.keys(value).sort()) sorted[key] = sortKeys(value[key]);
  return sorted;
}

/**
 * A JSDoc tag such as `@maximum 100` swallows the lines after it, so the generator emits
 * `"maximum": "100\n__Default value:__ ..."`. Keep the number and move the rest back into
 * the description, which is where it would have been had the tag come last.
 */
function normalizeNumericKeywords(node: unknown): void {
  if (Array.isArray(node)) return node.forEach(normalizeNumericKeywords);
  if (!isObject(node)) return;
  for (const keyword of numericKeywords) {
    const raw = node[keyword];
    if (typeof raw !== 'string') continue;
    const match = /^\s*(-?\d+(?:\.\d+)?)\s*([\s\S]*)$/.exec(raw);
    if (!match) throw new Error(`@${keyword} is not a number: ${JSON.stringify(raw)}`);
    node[keyword] = Number(match[1]);
    const rest = match[2].trim();
    if (rest) {
      const description = typeof node.description === 'string' ? node.description : '';
      node.description = description ? `${description}\n\n${rest}` : rest;
    }
  }
  Object.values(node).forEach(normalizeNumericKeywords);
}

/** JSON Schema definitions for the vega-frames types, from their TypeScript declarations. */
function generateFrameDefinitions(): Definitions {
  const generator = createGenerator({
    path: typesPath,
    tsconfig: `${repoRoot}tsconfig.json`,
    type: '*',
    expose: 'export',
    topRef: true,
    jsDoc: 'extended',
    additionalProperties: false,
    skipTypeCheck: true, // tsc checks the types; this only reads them
  });
  const all = (generator.createSchema('*').definitions ?? {}) as Definitions;
  const picked: Definitions = {};
  for (const name of exportedTypes) {
    if (!all[name]) throw new Error(`${typesPath} does not export ${name}`);
    picked[name] = all[name];
  }
  normalizeNumericKeywords(picked);
  return picked;
}

const ref = (name: string) => ({ $ref: `#/definitions/${name}` });

/** Object schemas reachable from `name` through $ref/anyOf/oneOf/allOf (not properties). */
function objectBranches(definitions: Definitions, name: string, seen = new Set<string>()) {
  const found: JsonObject[] = [];
  const visit = (node: unknown): void => {
    if (!isObject(node)) return;
    if (typeof node.$ref === 'string') {
      const target = node.$ref.replace('#/definitions/', '');
      if (seen.has(target)) return;
      seen.add(target);
      return visit(definitions[target]);
    }
    if (isObject(node.properties)) found.push(node);
    for (const combinator of ['anyOf', 'oneOf', 'allOf']) {
      const branches = node[combinator];
      if (Array.isArray(branches)) branches.forEach(visit);
    }
  };
  visit(ref(name));
  return found;
}

/** Adds `key` to an object schema's properties, keeping them sorted as Vega-Lite does. */
function addProperty(objectSchema: JsonObject, key: string, schema: JsonObject): void {
  const properties = objectSchema.properties as JsonObject;
  objectSchema.properties = sortKeys({ ...properties, [key]: schema });
}

/**
 * Vega-Lite's encoding definitions: whatever the `encoding` property of a unit, layer or
 * top-level spec refers to (Encoding, FacetedEncoding, SharedEncoding in VL 6). Matching on
 * channel names alone would also catch the mark configs, which have `x`, `color` and `time`;
 * requiring the target to have channels skips other `encoding` properties (SortByEncoding).
 */
function encodingDefinitionNames(definitions: Definitions): string[] {
  const names = new Set<string>();
  for (const definition of Object.values(definitions)) {
    const properties = definition.properties;
    const encoding = isObject(properties) ? properties.encoding : undefined;
    if (!isObject(encoding) || typeof encoding.$ref !== 'string') continue;
    const name = encoding.$ref.replace('#/definitions/', '');
    const channels = definitions[name]?.properties;
    if (isObject(channels) && 'x' in channels && 'color' in channels) names.add(name);
  }
  if (names.size < 3) throw new Error(`found only ${[...names]} as encoding definitions`);
  return [...names].sort();
}

export function buildSchema(): JsonObject {
  const vegaLite = JSON.parse(readFileSync(vegaLiteSchemaPath, 'utf8')) as JsonObject;
  const definitions = structuredClone(vegaLite.definitions) as Definitions;
  const frameDefinitions = generateFrameDefinitions();
  for (const name of Object.keys(frameDefinitions)) {
    if (definitions[name]) throw new Error(`Vega-Lite already defines ${name}`);
  }
  Object.assign(definitions, frameDefinitions);

  const rootRef = vegaLite.$ref as string;
  const topLevelName = rootRef.replace('#/definitions/', '');
  for (const spec of objectBranches(definitions, topLevelName)) {
    addProperty(spec, 'animation', {
      ...ref('AnimationParams'),
      description: 'How the frames play: frames per second, looping and pauses.',
    });
    addProperty(spec, 'fonts', {
      type: 'array',
      items: { anyOf: [{ type: 'string' }, ref('FontFileParams')] },
      description:
        "Font files text is drawn in, relative to the spec's folder: TrueType or OpenType, " +
        'registered by the family their file names (or `family`), so a figure renders the ' +
        'same on every machine.',
    });
    // Editors and our docs point `$schema` at a local file, not only at a URI.
    addProperty(spec, '$schema', {
      description: 'URL or path of the JSON schema of this spec, for editor validation.',
      type: 'string',
    });
  }

  // Vega's own mark configs, which Vega-Lite's schema does not list but passes on to Vega
  // as they are (vega-themes' themes set them): a spec may set them too.
  for (const key of ['group', 'path', 'shape', 'symbol']) {
    addProperty(definitions.Config as JsonObject, key, {
      ...ref('MarkConfig'),
      description:
        `Vega's default properties for its ${key} marks, passed to Vega as they are ` +
        '(Vega-Lite has no such config of its own).',
    });
  }

  // The one mark option of our own: how a rect grid drawn as an image is scaled.
  addProperty(definitions.MarkDef as JsonObject, 'smooth', {
    type: 'boolean',
    description:
      'Rect marks on a grid of cells (x and y on band scales: a heatmap, an image from a ' +
      'matrix), which vega-frames draws as one image per frame: `true` smooths the image as ' +
      'it is scaled to the grid, `false` draws each cell as a block of pixels.\n\n' +
      '__Default value:__ blocks while a cell covers at least one pixel; smoothed ' +
      '(averaged) when cells are smaller than pixels.',
  });

  const frameDescription = (channel: string) =>
    channel === 'frame'
      ? 'The frame channel: one animation frame per distinct value of `field`.'
      : "Vega-Lite 6's animation channel, read by vega-frames as an alias of `frame`.";
  for (const name of encodingDefinitionNames(definitions)) {
    const definition = definitions[name];
    for (const channel of ['frame', 'time']) {
      addProperty(definition, channel, {
        ...ref('FrameFieldDef'),
        description: frameDescription(channel),
      });
    }
  }

  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'vega-frames spec',
    description:
      'A Vega-Lite 6 specification plus a `frame` encoding channel and a top-level ' +
      '`animation` block, rendered by vega-frames to an animated GIF. ' +
      `Generated by scripts/build-schema.ts from src/spec/types.ts and Vega-Lite's schema.`,
    $ref: rootRef,
    definitions: sortKeys(definitions),
  };
}

export const serializeSchema = (schema: JsonObject) => `${JSON.stringify(schema, null, 2)}\n`;

/** True when the schema file on disk matches what the generator produces now. */
export function isSchemaCurrent(): boolean {
  let committed = '';
  try {
    committed = readFileSync(schemaPath, 'utf8');
  } catch {
    return false;
  }
  return committed === serializeSchema(buildSchema());
}

function main(argv: string[]): number {
  if (argv.includes('--check')) {
    if (isSchemaCurrent()) return 0;
    console.error(`${schemaPath} is stale; run: npx tsx scripts/build-schema.ts`);
    return 1;
  }
  const text = serializeSchema(buildSchema());
  writeFileSync(schemaPath, text);
  console.log(`wrote ${schemaPath} (${(Buffer.byteLength(text) / 1024).toFixed(0)} KiB)`);
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = main(process.argv.slice(2));
}
