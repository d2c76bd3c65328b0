import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { buildSchema, isSchemaCurrent, schemaPath } from '../../scripts/build-schema.js';
import { formatSpecError, SpecError } from '../../src/spec/errors.js';
import { loadSpecFile } from '../../src/spec/load.js';
import { validateSpec } from '../../src/spec/validate.js';

type Node = { [keyword: string]: unknown };

const specsDir = fileURLToPath(new URL('../../specs/', import.meta.url));
const committed = JSON.parse(readFileSync(schemaPath, 'utf8')) as {
  definitions: Record<string, Node>;
};
const definitions = committed.definitions;
const propertiesOf = (node: Node) => node.properties as Record<string, Node>;

describe('schemas/vega-frames.schema.json', () => {
  it('is up to date with src/spec/types.ts and Vega-Lite (npx tsx scripts/build-schema.ts)', () => {
    assert.ok(isSchemaCurrent(), 'stale schema: run npx tsx scripts/build-schema.ts');
  });

  it('is a draft-07 schema with a title and no $id', () => {
    const root = buildSchema();
    assert.equal(root.$schema, 'http://json-schema.org/draft-07/schema#');
    assert.equal(typeof root.title, 'string');
    assert.equal(root.$id, undefined);
  });

  it('allows animation and any $schema string in every top-level spec', () => {
    const topLevel = Object.keys(definitions).filter((name) => /^TopLevel\w*Spec$/.test(name));
    const shapes = topLevel.flatMap((name) => {
      const definition = definitions[name];
      return definition.properties ? [definition] : (definition.anyOf as Node[]);
    });
    assert.ok(shapes.length >= 8, topLevel.join());
    for (const shape of shapes) {
      if (!shape.properties) continue; // TopLevelSpec: the anyOf of the others
      assert.deepEqual(propertiesOf(shape).animation.$ref, '#/definitions/AnimationParams');
      assert.equal(propertiesOf(shape).$schema.type, 'string');
      assert.equal(propertiesOf(shape).$schema.format, undefined);
    }
  });

  it('allows frame, and time as its alias, in every encoding', () => {
    for (const name of ['Encoding', 'FacetedEncoding', 'SharedEncoding']) {
      assert.equal(propertiesOf(definitions[name]).frame.$ref, '#/definitions/FrameFieldDef');
      assert.equal(propertiesOf(definitions[name]).time.$ref, '#/definitions/FrameFieldDef');
    }
  });

  it('carries the types, doc comments and numeric bounds of src/spec/types.ts', () => {
    const fps = propertiesOf(definitions.AnimationParams).fps;
    assert.equal(fps.exclusiveMinimum, 0);
    assert.equal(fps.maximum, 100);
    assert.match(String(fps.description), /Default value:__ `10`/);
    assert.equal(propertiesOf(definitions.PauseParams).start.minimum, 0);
    assert.deepEqual(definitions.FrameFieldDef.required, ['field']);
    assert.equal(definitions.FrameFieldDef.additionalProperties, false);
    for (const name of ['FrameBinParams', 'FrameSort']) assert.ok(definitions[name], name);
  });
});

describe('specs/', () => {
  const specs = existsSync(specsDir)
    ? readdirSync(specsDir).filter((name) => /\.(json|ya?ml)$/.test(name))
    : [];
  if (specs.length === 0) it('validates every spec', { skip: 'specs/ has no specs yet' });
  for (const name of specs) {
    it(`${name} is a valid vega-frames spec`, async () => {
      let problems: SpecError[];
      try {
        const loaded = await loadSpecFile(`${specsDir}${name}`);
        problems = validateSpec(loaded.spec, loaded);
      } catch (error) {
        if (!(error instanceof SpecError)) throw error;
        problems = [error];
      }
      assert.deepEqual(problems.map(formatSpecError), []);
    });
  }
});
