import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  closestMatch,
  formatJsonPath,
  formatSpecError,
  SpecError,
  SpecErrors,
} from '../../src/spec/errors.js';
import { loadSpecFile, parseSpecText } from '../../src/spec/load.js';
import { compileMilliseconds, validatorAt } from '../../src/spec/schema.js';
import { precompiledValidator } from '../../src/spec/precompiled.js';

/** The whole schema checked by ajv itself (compiled here, not precompiled). */
const schemaErrorsOnly = (spec: unknown) => validatorAt('')(spec) as boolean;
import { isValidInWorker, validateOrThrow, validateSpec } from '../../src/spec/validate.js';
import { compile } from '../../src/api.js';

const fixtures = fileURLToPath(new URL('../fixtures/', import.meta.url));

/** Every problem with a fixture: thrown while loading, or reported by validation. */
async function problemsOf(path: string): Promise<SpecError[]> {
  try {
    const loaded = await loadSpecFile(path);
    return validateSpec(loaded.spec, loaded);
  } catch (error) {
    if (error instanceof SpecError) return [error];
    throw error;
  }
}

interface Expected {
  path: string;
  line: number;
  col: number;
  message: string;
  /** How many errors the fixture yields in all; 1 unless said. */
  count?: number;
}

/** Each file in test/fixtures/bad/ and the first error it must produce. */
const badFixtures: Record<string, Expected> = {
  'yaml-syntax.yaml': { path: '$', line: 5, col: 3, message: 'YAML syntax error: Flow map' },
  'broken.json': { path: '$', line: 6, col: 3, message: 'JSON syntax error' },
  'duplicate-key.yaml': { path: '$.mark', line: 5, col: 1, message: 'duplicate key "mark"' },
  'mark-typo.yaml': {
    path: '$.mark',
    line: 2,
    col: 1,
    message: '"pointt" is not allowed; expected one of "boxplot", "errorbar", "errorband", "arc"',
  },
  'colour.yaml': {
    path: '$.encoding.colour',
    line: 5,
    col: 3,
    message: 'unknown property "colour" (did you mean "color"?)',
  },
  'type-enum.yaml': {
    path: '$.encoding.x.type',
    line: 7,
    col: 5,
    message:
      '"quantitive" is not allowed; expected one of "quantitative", "ordinal", "temporal", ' +
      '"nominal" (did you mean "quantitative"?)',
  },
  'frame-no-field.yaml': {
    path: '$.encoding.frame',
    line: 5,
    col: 3,
    message: 'missing required property "field"',
  },
  'frame-empty-field.json': {
    path: '$.encoding.frame.field',
    line: 5,
    col: 16,
    message: 'the field name is empty',
  },
  'fps-zero.yaml': {
    path: '$.animation.fps',
    line: 6,
    col: 3,
    message: '0 is out of range; expected a number > 0',
  },
  'fps-string.json': {
    path: '$.animation.fps',
    line: 6,
    col: 5,
    message: 'got the string "fast"; expected a number',
  },
  'crf-string.yaml': {
    path: '$.animation.crf',
    line: 7,
    col: 3,
    message: 'got the string "22"; expected an integer',
  },
  'crf-range.yaml': {
    path: '$.animation.crf',
    line: 7,
    col: 3,
    message: '60 is out of range; expected a number <= 51',
  },
  'loop-yes.yaml': {
    path: '$.animation.loop',
    line: 7,
    col: 3,
    message: 'got the string "yes"; expected a boolean or a number',
  },
  'animation-unknown.yaml': {
    path: '$.animation.speed',
    line: 7,
    col: 3,
    message:
      'unknown property "speed"; expected one of "as", "background", "columns", "crf", "dither", "duration", "enter", "exit", "fps", "hold", "loop", "nframes", "pause", "rescale", "reveal", "rewind", "trail", "tween"',
  },
  'layer-mark.yaml': {
    path: '$.layer[1].mark.type',
    line: 6,
    col: 13,
    message: '"pont" is not allowed; expected one of "arc", "area", "bar"',
  },
  'missing-data.yaml': { path: '$', line: 1, col: 1, message: 'missing required property "data"' },
  'frame-cumulative.yaml': {
    path: '$.encoding.frame.cumulative',
    line: 4,
    col: 26,
    message: 'got the string "yes"; expected a boolean',
    count: 2,
  },
  'concat-colour.json': {
    path: '$.hconcat[1].encoding.colour',
    line: 5,
    col: 36,
    message: 'did you mean "color"?',
  },
};

describe('valid specs', () => {
  for (const name of readdirSync(`${fixtures}good`)) {
    it(`accepts good/${name}`, async () => {
      assert.deepEqual((await problemsOf(`${fixtures}good/${name}`)).map(formatSpecError), []);
    });
  }

  it('accepts the time channel as an alias of frame, anywhere', () => {
    const spec = {
      data: { values: [] },
      vconcat: [
        { mark: 'point', encoding: { time: { field: 'epoch', cumulative: true } } },
        { layer: [{ mark: 'line', encoding: { frame: { field: 'epoch', sort: [3, 1, 2] } } }] },
      ],
    };
    assert.deepEqual(validateSpec(spec), []);
  });

  it('accepts any string as $schema', () => {
    const spec = {
      $schema: './schemas/vega-frames.schema.json',
      data: { values: [] },
      mark: 'bar',
    };
    assert.deepEqual(validateSpec(spec), []);
  });

  it('confirms valid specs with the precompiled validator, without compiling the schema', () => {
    assert.ok(precompiledValidator(), 'npm run build generates schemas/vega-frames.validator.cjs');
    validateSpec({ data: { values: [] }, mark: 'bar' });
    assert.equal(compileMilliseconds, undefined);
  });

  it('the precompiled validator agrees with the full check on every fixture', async () => {
    const isValid = precompiledValidator()!;
    for (const dir of ['good', 'bad']) {
      for (const file of readdirSync(`${fixtures}${dir}`)) {
        let loaded;
        try {
          loaded = await loadSpecFile(`${fixtures}${dir}/${file}`);
        } catch {
          continue; // a syntax error: never reaches validation
        }
        const full = schemaErrorsOnly(loaded.spec);
        assert.equal(isValid(loaded.spec), full, `${dir}/${file}`);
      }
    }
  });
});

describe('invalid specs', () => {
  it('has an expectation for every file in fixtures/bad', () => {
    assert.deepEqual(readdirSync(`${fixtures}bad`).sort(), Object.keys(badFixtures).sort());
  });

  for (const [name, expected] of Object.entries(badFixtures)) {
    it(`rejects bad/${name} at ${expected.path}`, async () => {
      const problems = await problemsOf(`${fixtures}bad/${name}`);
      assert.equal(problems.length, expected.count ?? 1, problems.map(formatSpecError).join('\n'));
      const [first] = problems;
      assert.equal(first.path, expected.path);
      assert.deepEqual([first.line, first.col], [expected.line, expected.col]);
      assert.ok(
        first.message.includes(expected.message),
        `${JSON.stringify(first.message)} should include ${JSON.stringify(expected.message)}`,
      );
      assert.equal(first.file, `${fixtures}bad/${name}`);
    });
  }

  it('reports independent problems separately, in source order', () => {
    const loaded = parseSpecText(
      [
        'data: { values: [] }',
        'mark: { type: point, size: big }',
        'encoding:',
        '  x: { field: a, type: quantitive }',
        'animation: { fps: -1, loop: "no" }',
      ].join('\n'),
      'multi.yaml',
    );
    assert.deepEqual(validateSpec(loaded.spec, loaded).map(formatSpecError), [
      'multi.yaml:2:22 $.mark.size: got the string "big"; expected a number or an object',
      'multi.yaml:4:18 $.encoding.x.type: "quantitive" is not allowed; expected one of ' +
        '"quantitative", "ordinal", "temporal", "nominal" (did you mean "quantitative"?)',
      'multi.yaml:5:14 $.animation.fps: -1 is out of range; expected a number > 0',
      'multi.yaml:5:23 $.animation.loop: got the string "no"; expected a boolean or a number',
    ]);
  });

  it('checks frame.field inside nested specs too', () => {
    const spec = {
      data: { values: [] },
      layer: [{ mark: 'point' }, { mark: 'line', encoding: { frame: { field: '  ' } } }],
    };
    const [error, ...rest] = validateSpec(spec);
    assert.equal(rest.length, 0);
    assert.equal(error.path, '$.layer[1].encoding.frame.field');
    assert.equal(error.line, undefined);
  });

  it('rejects properties of the time channel that vega-frames does not read', () => {
    const spec = {
      data: { values: [] },
      mark: 'point',
      encoding: { time: { field: 'e', rescale: true } },
    };
    const [error] = validateSpec(spec);
    assert.equal(error.path, '$.encoding.time.rescale');
  });

  it('rejects a spec that is not an object', () => {
    const [error] = validateSpec(['mark', 'point']);
    assert.equal(error.path, '$');
    assert.match(error.message, /the spec is an array; expected an object/);
  });
});

describe('validateOrThrow', () => {
  it('returns a valid spec', () => {
    const spec = { data: { values: [] }, mark: 'point', animation: { fps: 5 } };
    assert.equal(validateOrThrow(spec), spec);
  });

  it('throws every problem at once as SpecErrors', () => {
    const loaded = parseSpecText(
      'data: {values: []}\nmark: pointt\nanimation: {fps: 0}\n',
      'x.yaml',
    );
    assert.throws(
      () => validateOrThrow(loaded.spec, loaded),
      (error: unknown) => {
        assert.ok(error instanceof SpecErrors);
        assert.equal(error.errors.length, 2);
        assert.equal(error.message, error.errors.map(formatSpecError).join('\n'));
        assert.match(error.message, /^x\.yaml:2:1 \$\.mark: /);
        assert.match(error.message, /\nx\.yaml:3:13 \$\.animation\.fps: /);
        return true;
      },
    );
  });
});

describe('validation in a thread of its own (the CLI render)', () => {
  it('gives the precompiled verdict, and the same errors as in this thread', async () => {
    const good = { data: { values: [] }, mark: 'point', animation: { fps: 5 } };
    assert.equal(await isValidInWorker(good).verdict(), true);
    const text = 'data: {values: []}\nmark: pointt\nanimation: {fps: 0}\n';
    const loaded = parseSpecText(text, 'x.yaml');
    assert.equal(await isValidInWorker(loaded.spec).verdict(), false);
    const stopped = isValidInWorker(good);
    stopped.stop();
    assert.equal(await stopped.verdict(), undefined);
    const here = validateSpec(loaded.spec, loaded).map(formatSpecError);
    const there = validateSpec(loaded.spec, loaded, false).map(formatSpecError);
    assert.deepEqual(there, here);
    assert.equal(here.length, 2);
  });

  it('compile: with big data, spec errors still win over what the unchecked spec broke', async () => {
    // 17 MB of data: past the size from which the check runs beside the load.
    const dir = mkdtempSync(path.join(tmpdir(), 'vf-validate-'));
    try {
      writeFileSync(path.join(dir, 'big.csv'), 'a,t\n' + '123456,1\n'.repeat(2_000_000));
      // Not valid, and its data field is missing from the file too (compile fails as well).
      const bad = { data: { url: 'big.csv' }, mark: 'pointt', encoding: { frame: { field: 'z' } } };
      for (const validateInWorker of [false, true]) {
        await assert.rejects(compile(bad, { validateInWorker, baseDir: dir }), (error: unknown) => {
          assert.ok(error instanceof SpecErrors, String(error));
          assert.match(error.message, /\$\.mark/);
          return true;
        });
      }
      const good = { data: { url: 'big.csv' }, mark: 'point', encoding: { frame: { field: 't' } } };
      const plan = await compile(good, { validateInWorker: true, baseDir: dir });
      assert.equal(plan.timeline.length, 1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('errors', () => {
  it('formats one readable line', () => {
    const error = new SpecError('"quantitive" is not allowed', {
      path: '$.encoding.x.type',
      file: 'umap.yaml',
      line: 7,
      col: 5,
      expected: 'one of "quantitative", "ordinal"',
      hint: 'did you mean "quantitative"?',
    });
    assert.equal(
      formatSpecError(error),
      'umap.yaml:7:5 $.encoding.x.type: "quantitive" is not allowed; expected one of ' +
        '"quantitative", "ordinal" (did you mean "quantitative"?)',
    );
    assert.equal(error.reason, '"quantitive" is not allowed');
    assert.equal(formatSpecError(new SpecError('bad', { path: '$' })), '$: bad');
  });

  it('formats JSON paths', () => {
    assert.equal(formatJsonPath([]), '$');
    assert.equal(formatJsonPath(['layer', 1, 'mark']), '$.layer[1].mark');
    assert.equal(formatJsonPath(['data', 'my field']), '$.data["my field"]');
  });

  it('suggests only plausible typos', () => {
    assert.equal(closestMatch('colour', ['color', 'shape', 'size']), 'color');
    assert.equal(closestMatch('Quantitive', ['quantitative', 'ordinal']), 'quantitative');
    assert.equal(closestMatch('speed', ['fps', 'loop', 'pause', 'background']), undefined);
  });
});
