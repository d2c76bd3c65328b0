/**
 * Validates a spec against schemas/vega-frames.schema.json and turns ajv's raw output into
 * a few readable SpecErrors.
 *
 * Vega-Lite's schema is mostly `anyOf`: a spec is a unit, layer, facet, repeat or concat
 * spec, a channel a field, datum or value definition, a mark a name or an object, and so
 * on. ajv reports why every branch failed, which for one typo can be dozens of errors.
 * They are distilled in three steps:
 *  1. The top-level spec kind is chosen from the keys present (`layer` → a layer spec) and
 *     the spec validated against that one definition.
 *  2. At each failed `anyOf`, outermost first, the value is validated against every branch
 *     on its own, and only the branches that got furthest are kept: fewest problems at the
 *     node itself (wrong type, unknown or missing properties), then fewest in all.
 *  3. What remains is described node by node: allowed values with a "did you mean", the
 *     expected type, the unknown property with the closest known one, and so on.
 */
import type { ErrorObject } from 'ajv';
import { closestMatch, formatJsonPath, SpecError, SpecErrors } from './errors.js';
import type { LoadedSpec } from './load.js';
import { precompiledValidator } from './precompiled.js';
import { startWorker } from '../support/start-worker.js';
import {
  definitionPointer,
  isSchemaNode,
  namedAlternatives,
  objectShapes,
  pointerOfNode,
  rootDefinitionRef,
  validatorAt,
} from './schema.js';
import type { VegaFramesSpec } from './types.js';
import { type Json, isObject } from '../support/json.js';
import { specMessage } from './messages.js';

/** A problem before it is given a source position. */
interface Problem {
  segments: (string | number)[];
  reason: string;
  expected?: string;
  hint?: string;
}

/**
 * Validates a spec; an empty array means it is valid. `schemaValid`: the precompiled
 * validator's verdict when it ran elsewhere (isValidInWorker).
 */
export function validateSpec(
  spec: unknown,
  loaded?: LoadedSpec,
  schemaValid?: boolean,
): SpecError[] {
  // Valid specs (the common case) are confirmed by the precompiled validator in ~ms; the
  // ajv distiller below, which compiles the schema (~1 s), runs only when something is wrong.
  if (isObject(spec) && (schemaValid ?? precompiledValidator()?.(spec))) {
    return toSpecErrors(frameFieldProblems(spec), loaded);
  }
  const problems: Problem[] = isObject(spec)
    ? [...describe(schemaErrors(spec), spec), ...frameFieldProblems(spec)]
    : [{ segments: [], reason: specMessage.specIs(describeValue(spec)), expected: 'an object' }];
  return toSpecErrors(dedupe(problems), loaded);
}

/** The precompiled validator run on one spec in a thread of its own (isValidInWorker). */
export interface WorkerValidation {
  /** Whether the verdict is in. */
  readonly done: boolean;
  /** Valid or not; undefined when the thread could not say (no precompiled validator). */
  verdict(): Promise<boolean | undefined>;
  /** Stops the thread; its verdict is then undefined. */
  stop(): void;
}

/**
 * The precompiled validator's verdict on `spec`, from a thread of its own that exits after:
 * its heap, with the validator's ~40 MiB, goes with it instead of staying in the render's
 * peak memory.
 */
export function isValidInWorker(spec: unknown): WorkerValidation {
  let verdict: boolean | undefined;
  let done = false;
  let stopped = false;
  const worker = startWorker(import.meta.url, './validate-worker', { workerData: { spec } }, false);
  worker.on(
    'message',
    (valid: boolean | null) => (verdict = stopped ? undefined : (valid ?? undefined)),
  );
  worker.on('error', () => undefined);
  const exited = new Promise<boolean | undefined>((resolve) =>
    worker.on('exit', () => {
      done = true;
      resolve(verdict);
    }),
  );
  return {
    get done() {
      return done;
    },
    verdict: () => exited,
    stop: () => {
      stopped = true;
      verdict = undefined;
      void worker.terminate();
    },
  };
}

/** Like validateSpec, but throws every problem at once as SpecErrors. */
export function validateOrThrow(
  spec: unknown,
  loaded?: LoadedSpec,
  schemaValid?: boolean,
): VegaFramesSpec {
  const errors = validateSpec(spec, loaded, schemaValid);
  if (errors.length > 0) throw new SpecErrors(errors);
  return spec as VegaFramesSpec;
}

function toSpecErrors(problems: Problem[], loaded?: LoadedSpec): SpecError[] {
  const errors = problems.map(
    ({ segments, reason, expected, hint }) =>
      new SpecError(reason, {
        path: formatJsonPath(segments),
        file: loaded?.file,
        expected,
        hint,
        ...loaded?.locate(segments),
      }),
  );
  // Report in source order, as an editor would list them.
  return errors.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.col ?? 0) - (b.col ?? 0));
}

function dedupe(problems: Problem[]): Problem[] {
  const seen = new Set<string>();
  return problems.filter((problem) => {
    const key = `${formatJsonPath(problem.segments)}\0${problem.reason}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

// --- Step 1: validate as the kind of spec its keys say it is ----------------------------

function schemaErrors(spec: Json): ErrorObject[] {
  const kind = closestDefinition(spec, namedAlternatives(rootDefinitionRef()));
  if (!kind) return [];
  return resolveAlternatives(validate(definitionPointer(kind), spec, ''), spec);
}

/**
 * The definition whose properties best fit the object's keys: fewest unknown keys plus
 * fewest missing required ones. A layer spec has `layer`, a unit spec `mark`, and so on.
 */
function closestDefinition(value: Json, names: string[]): string | undefined {
  const keys = Object.keys(value);
  let best: string | undefined;
  let bestScore = Infinity;
  for (const name of names) {
    const shapes = objectShapes(name);
    const known = new Set(shapes.flatMap((shape) => Object.keys(shape.properties as Json)));
    const required = Array.isArray(shapes[0]?.required) ? (shapes[0].required as string[]) : [];
    const score =
      keys.filter((key) => !known.has(key)).length +
      required.filter((key) => !(key in value)).length;
    if (score < bestScore) [best, bestScore] = [name, score];
  }
  return best;
}

/** ajv's errors for `value` against the schema node at `pointer`, rebased to `at`. */
function validate(pointer: string, value: unknown, at: string): ErrorObject[] {
  const validator = validatorAt(pointer);
  validator(value);
  // Copy: the validator's `errors` is overwritten by the next call.
  return (validator.errors ?? []).map((error) => ({
    ...error,
    instancePath: at + error.instancePath,
  }));
}

// --- Step 2: at each failed anyOf, keep the branches that got furthest ------------------

const isChoice = (error: ErrorObject) => error.keyword === 'anyOf' || error.keyword === 'oneOf';

const isAtOrUnder = (pointer: string) => (error: ErrorObject) =>
  error.instancePath === pointer || error.instancePath.startsWith(`${pointer}/`);

function resolveAlternatives(errors: ErrorObject[], spec: Json): ErrorObject[] {
  const choices = errors.filter(isChoice);
  if (choices.length === 0) return errors;
  // The outermost choice: the shallowest node, and there the one ajv reported last.
  const depth = (error: ErrorObject) => error.instancePath.split('/').length;
  const shallowest = Math.min(...choices.map(depth));
  const choice = choices.filter((error) => depth(error) === shallowest).at(-1) as ErrorObject;
  const at = choice.instancePath;
  const pointer = pointerOfNode(choice.parentSchema);
  const branches = choice.schema;
  if (pointer === undefined || !Array.isArray(branches)) {
    // Cannot re-validate this choice (should not happen): drop its summary, keep the rest.
    return resolveAlternatives(
      errors.filter((error) => error !== choice),
      spec,
    );
  }

  const value = valueAt(spec, at);
  const outcomes = branches.map((_, index) =>
    resolveAlternatives(validate(`${pointer}/${choice.keyword}/${index}`, value, at), spec),
  );
  const scores = outcomes.map((outcome) => branchScore(outcome, at));
  const best = scores.reduce((a, b) => (compareScores(a, b) <= 0 ? a : b));
  const kept = outcomes.filter((_, index) => compareScores(scores[index], best) === 0).flat();
  return resolveAlternatives([...errors.filter((error) => !isAtOrUnder(at)(error)), ...kept], spec);
}

type Score = [atNode: number, total: number];

const compareScores = (a: Score, b: Score) => a[0] - b[0] || a[1] - b[1];

/**
 * How badly a branch failed for the value at `at`. A wrong type there counts double; an
 * unknown or missing property there, or a wrong value one level down (usually a
 * discriminator such as `type: "boxplot"`), counts once. Alternative allowed values at
 * one node count as one problem, so a mark name branch ties with a composite-mark one.
 */
function branchScore(errors: ErrorObject[], at: string): Score {
  const problems = new Map<string, number>();
  const base = at.split('/').length;
  for (const error of errors) {
    const depth = error.instancePath.split('/').length - base;
    const isValue = isValueError(error);
    const detail = String(error.params.missingProperty ?? error.params.additionalProperty ?? '');
    const key = `${error.instancePath}|${isValue ? 'value' : error.keyword}|${detail}`;
    let weight = 0;
    if (depth === 0) weight = error.keyword === 'type' ? 2 : 1;
    else if (depth === 1 && isValue) weight = 1;
    problems.set(key, Math.max(problems.get(key) ?? 0, weight));
  }
  const weights = [...problems.values()];
  return [weights.reduce((sum, weight) => sum + weight, 0), weights.length];
}

// --- Step 3: describe what is left, node by node --------------------------------------

/** Summary keywords: they only say that every branch below them failed. */
const summaryKeywords = new Set(['anyOf', 'oneOf', 'if']);

function describe(errors: ErrorObject[], spec: Json): Problem[] {
  const kept = errors.filter((error) => !summaryKeywords.has(error.keyword));
  const byNode = new Map<string, ErrorObject[]>();
  for (const error of kept) {
    byNode.set(error.instancePath, [...(byNode.get(error.instancePath) ?? []), error]);
  }
  return [...byNode.entries()].flatMap(([pointer, nodeErrors]) =>
    describeNode(pointerSegments(pointer, spec), nodeErrors, valueAt(spec, pointer)),
  );
}

/**
 * Errors at one node, grouped by the schema (anyOf branch) that reported them. By content:
 * errors from separate validations carry separate copies of the same schema node.
 */
function branchesOf(errors: ErrorObject[]): ErrorObject[][] {
  const branches = new Map<string, ErrorObject[]>();
  for (const error of errors) {
    const key = schemaKey(error.parentSchema);
    branches.set(key, [...(branches.get(key) ?? []), error]);
  }
  return [...branches.values()];
}

const schemaKeys = new WeakMap<object, string>();

function schemaKey(schema: unknown): string {
  if (!isSchemaNode(schema)) return String(schema);
  let key = schemaKeys.get(schema);
  if (key === undefined) schemaKeys.set(schema, (key = JSON.stringify(schema)));
  return key;
}

const isValueError = (error: ErrorObject) => error.keyword === 'enum' || error.keyword === 'const';

function describeNode(segments: (string | number)[], errors: ErrorObject[], value: unknown) {
  const branches = branchesOf(errors);
  // The value has a type some branch accepts but is not one of its allowed values: list
  // the allowed values of every such branch (a mark may be "point" or "boxplot" alike).
  const valueBranches = branches.filter((branch) => branch.every(isValueError));
  if (valueBranches.length > 0) return [allowedValuesProblem(segments, valueBranches, value)];
  // Every branch wants another type: say which types would do.
  if (branches.every((branch) => branch.length === 1 && branch[0].keyword === 'type')) {
    const types = branches.flatMap((branch) => String(branch[0].params.type).split(','));
    return [typeProblem(segments, types, value)];
  }
  const closest = branches.reduce((best, branch) => (branch.length < best.length ? branch : best));
  return closest.map((error) => describeError(segments, error, value));
}

function describeError(segments: (string | number)[], error: ErrorObject, value: unknown): Problem {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties': {
      const property = String(params.additionalProperty);
      const allowed = Object.keys((error.parentSchema?.properties ?? {}) as Json);
      const suggestion = closestMatch(property, allowed);
      return {
        segments: [...segments, property],
        reason: specMessage.unknownProperty(property),
        expected: allowed.length <= 20 ? oneOf(allowed) : undefined,
        hint: suggestion ? specMessage.didYouMean(suggestion) : undefined,
      };
    }
    case 'required':
      return {
        segments,
        reason: specMessage.missingProperty(String(params.missingProperty)),
      };
    case 'type':
      return typeProblem(segments, String(params.type).split(','), value);
    case 'enum':
    case 'const':
      return allowedValuesProblem(segments, [[error]], value);
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return {
        segments,
        reason: specMessage.outOfRange(value),
        expected: `a number ${String(params.comparison)} ${String(params.limit)}`,
      };
    default:
      return { segments, reason: error.message ?? specMessage.failsKeyword(error.keyword) };
  }
}

function typeProblem(segments: (string | number)[], types: string[], value: unknown): Problem {
  const unique = [...new Set(types)];
  const article = (type: string) => (/^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`);
  const names = unique.map((type) => (type === 'null' ? 'null' : article(type)));
  return { segments, reason: specMessage.got(describeValue(value)), expected: names.join(' or ') };
}

/**
 * Lists the allowed values of the given branches. A branch whose values include all of
 * another's is skipped: Vega-Lite's field `type` is one of four, its datum `type` those
 * four and "geojson", and the narrower list is the useful one.
 */
function allowedValuesProblem(
  segments: (string | number)[],
  branches: ErrorObject[][],
  value: unknown,
): Problem {
  const valueLists = branches.map((branch) =>
    branch.flatMap((error): unknown[] =>
      error.keyword === 'const' ? [error.params.allowedValue] : error.params.allowedValues,
    ),
  );
  const isWider = (list: unknown[]) =>
    valueLists.some(
      (other) => other.length < list.length && other.every((value) => list.includes(value)),
    );
  const allowed = [...new Set(valueLists.filter((list) => !isWider(list)).flat())];
  const suggestion =
    typeof value === 'string'
      ? closestMatch(
          value,
          allowed.filter((v): v is string => typeof v === 'string'),
        )
      : undefined;
  return {
    segments,
    reason: specMessage.notAllowed(value),
    expected: allowed.length === 1 ? JSON.stringify(allowed[0]) : oneOf(allowed),
    hint: suggestion ? specMessage.didYouMean(suggestion) : undefined,
  };
}

function oneOf(values: unknown[]): string {
  const shown = values.slice(0, 20).map((value) => JSON.stringify(value));
  return `one of ${shown.join(', ')}${values.length > shown.length ? ', ...' : ''}`;
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (value === undefined) return 'nothing';
  const preview = JSON.stringify(value);
  const shown = preview.length > 40 ? `${preview.slice(0, 37)}...` : preview;
  return `${typeof value === 'string' ? 'the string' : `the ${typeof value}`} ${shown}`;
}

/** `/layer/1/mark` → `['layer', 1, 'mark']`, with numbers where the data has arrays. */
function pointerSegments(pointer: string, data: unknown): (string | number)[] {
  const segments: (string | number)[] = [];
  let current = data;
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    const segment = Array.isArray(current) ? Number(key) : key;
    segments.push(segment);
    current = isObject(current) || Array.isArray(current) ? (current as Json)[key] : undefined;
  }
  return segments;
}

function valueAt(data: unknown, pointer: string): unknown {
  let current = data;
  for (const segment of pointerSegments(pointer, data)) {
    current = isObject(current) || Array.isArray(current) ? (current as Json)[segment] : undefined;
  }
  return current;
}

// --- What the schema cannot say -------------------------------------------------------

/** `frame.field` (and `time.field`) must name a field, so it may not be blank. */
function frameFieldProblems(spec: Json): Problem[] {
  const problems: Problem[] = [];
  const visit = (node: unknown, segments: (string | number)[]): void => {
    if (Array.isArray(node))
      return node.forEach((item, index) => visit(item, [...segments, index]));
    if (!isObject(node)) return;
    for (const [key, child] of Object.entries(node)) {
      if (key === 'encoding' && isObject(child)) checkEncoding(child, [...segments, key]);
      else if (key !== 'data' && key !== 'datasets') visit(child, [...segments, key]);
    }
  };
  const checkEncoding = (encoding: Json, segments: (string | number)[]) => {
    for (const channel of ['frame', 'time']) {
      const definition = encoding[channel];
      // A missing or non-string field is already a schema error.
      if (!isObject(definition) || typeof definition.field !== 'string') continue;
      if (definition.field.trim() !== '') continue;
      problems.push({
        segments: [...segments, channel, 'field'],
        reason: specMessage.emptyFieldName(),
        expected: 'the name of a data field',
      });
    }
  };
  visit(spec, []);
  return problems;
}
