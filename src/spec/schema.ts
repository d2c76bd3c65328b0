/**
 * The vega-frames JSON schema at runtime: loaded from schemas/ next to src/ or dist/, and
 * compiled by ajv lazily, once per process, because Vega-Lite's schema is large.
 *
 * Besides the whole schema, the validator can check a value against any node of it by
 * JSON pointer (`/definitions/AnyMark/anyOf/3`), which is how the error distiller asks
 * "how far does this value get in each branch of that anyOf?".
 */
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import type { ValidateFunction } from 'ajv';

export type SchemaNode = { [keyword: string]: unknown };

interface VegaFramesSchema {
  $ref: string;
  definitions: Record<string, SchemaNode>;
}

/** Resolves from src/spec/ under tsx and from dist/spec/ after tsc alike. */
export const schemaUrl = new URL('../../schemas/vega-frames.schema.json', import.meta.url);

const schemaKey = 'vega-frames';

let loadedSchema: VegaFramesSchema | undefined;
let ajv: Ajv | undefined;
let pointersByContent: Map<string, string> | undefined;

/** Milliseconds the first validator took to compile (the whole schema); for diagnostics. */
export let compileMilliseconds: number | undefined;

export function getSchema(): VegaFramesSchema {
  loadedSchema ??= JSON.parse(readFileSync(schemaUrl, 'utf8')) as VegaFramesSchema;
  return loadedSchema;
}

export const isSchemaNode = (value: unknown): value is SchemaNode =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** `['definitions', 'ConcatSpec<GenericSpec>']` → a JSON pointer usable as a URI fragment. */
export const schemaPointer = (...segments: (string | number)[]) =>
  segments
    .map(
      (segment) =>
        `/${encodeURIComponent(String(segment).replace(/~/g, '~0').replace(/\//g, '~1'))}`,
    )
    .join('');

export const definitionPointer = (name: string) => schemaPointer('definitions', name);

/** The `$ref` of the schema root: `#/definitions/TopLevelSpec`. */
export const rootDefinitionRef = () => getSchema().$ref;

/** A validator for the schema node at `pointer`; compiled on first use, then cached by ajv. */
export function validatorAt(pointer: string): ValidateFunction {
  if (!ajv) {
    // Draft-07 like Vega-Lite's schema. `verbose` gives each error its schema and parent
    // schema, which the distiller needs; refs compiled as shared functions (not inlined)
    // halve the compile time and make validators for single anyOf branches cheap.
    ajv = new Ajv({
      allErrors: true,
      strict: false,
      verbose: true,
      validateFormats: false,
      inlineRefs: false,
    });
    ajv.addSchema(getSchema(), schemaKey);
  }
  const started = compileMilliseconds === undefined ? performance.now() : undefined;
  const validate = ajv.getSchema(`${schemaKey}#${pointer}`);
  if (!validate) throw new Error(`the vega-frames schema has no node at ${pointer}`);
  if (started !== undefined) compileMilliseconds = performance.now() - started;
  return validate;
}

/**
 * The pointer of a schema node that ajv reported as an error's parent schema. ajv hands
 * back its own copies of schema nodes, so they are matched by content; nodes with equal
 * content are interchangeable since every $ref in the schema is absolute.
 */
export function pointerOfNode(node: unknown): string | undefined {
  if (!pointersByContent) {
    pointersByContent = new Map();
    const index = (value: unknown, pointer: string): void => {
      if (Array.isArray(value)) return value.forEach((item, i) => index(item, `${pointer}/${i}`));
      if (!isSchemaNode(value)) return;
      // Only nodes with alternatives are ever looked up.
      if (Array.isArray(value.anyOf) || Array.isArray(value.oneOf)) {
        const key = JSON.stringify(value);
        if (!pointersByContent?.has(key)) pointersByContent?.set(key, pointer);
      }
      for (const [key, child] of Object.entries(value))
        index(child, `${pointer}${schemaPointer(key)}`);
    };
    index(getSchema().definitions, '/definitions');
  }
  return pointersByContent.get(JSON.stringify(node));
}

/**
 * The object shapes a definition allows: itself, or each object branch of its anyOf.
 * Vega-Lite's TopLevelRepeatSpec, for one, is an anyOf of two object schemas.
 */
export function objectShapes(definitionName: string): SchemaNode[] {
  const definition = getSchema().definitions[definitionName];
  if (!definition) return [];
  if (isSchemaNode(definition.properties)) return [definition];
  const branches = Array.isArray(definition.anyOf) ? definition.anyOf : [];
  return branches.filter(
    (branch): branch is SchemaNode => isSchemaNode(branch) && isSchemaNode(branch.properties),
  );
}

/**
 * The named definitions a node may be, following `$ref`s and `anyOf`s down to object
 * shapes: `TopLevelSpec` → `TopLevelUnitSpec`, `TopLevelLayerSpec`, ...
 */
export function namedAlternatives(ref: string, seen = new Set<string>()): string[] {
  const name = ref.replace('#/definitions/', '');
  if (seen.has(name)) return [];
  seen.add(name);
  if (objectShapes(name).length > 0) return [name];
  const branches = getSchema().definitions[name]?.anyOf;
  if (!Array.isArray(branches)) return [];
  return branches.flatMap((branch) =>
    isSchemaNode(branch) && typeof branch.$ref === 'string'
      ? namedAlternatives(branch.$ref, seen)
      : [],
  );
}
