import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { formatSpecError, SpecError } from '../../src/spec/errors.js';
import { detectFormat, loadSpecFile, parseSpecText } from '../../src/spec/load.js';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));

/** The SpecError that `action` throws. */
function thrown(action: () => unknown): SpecError {
  try {
    action();
  } catch (error) {
    assert.ok(error instanceof SpecError, `expected a SpecError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected a SpecError to be thrown');
}

const yamlSpec = `mark: point
encoding:
  x: { field: a, type: quantitative }
  frame:
    field: epoch
layer:
  - mark: line
  - mark: point
`;

const jsonSpec = `{
  "mark": "point",
  "encoding": {
    "x": { "field": "a", "type": "quantitative" },
    "frame": { "field": "epoch" }
  }
}`;

describe('detectFormat', () => {
  it('goes by the extension, then by a leading brace', () => {
    assert.equal(detectFormat('{}', 'a.yaml'), 'yaml');
    assert.equal(detectFormat('mark: point', 'a.JSON'), 'json');
    assert.equal(detectFormat('mark: point', 'a.yml'), 'yaml');
    assert.equal(detectFormat('  {"mark": "point"}'), 'json');
    assert.equal(detectFormat('mark: point', 'spec.txt'), 'yaml');
  });
});

describe('parseSpecText', () => {
  it('reads YAML and JSON into the same plain object', () => {
    const yaml = parseSpecText(yamlSpec, 'a.yaml');
    const json = parseSpecText(jsonSpec, 'a.json');
    assert.equal(yaml.format, 'yaml');
    assert.equal(json.format, 'json');
    assert.equal(json.file, 'a.json');
    assert.deepEqual(json.spec.encoding, yaml.spec.encoding);
  });

  it('honours an explicit format over the file name', () => {
    assert.equal(parseSpecText(jsonSpec, 'spec.yaml', 'json').format, 'json');
  });

  it('locates object keys and array items, 1-based', () => {
    const { locate } = parseSpecText(yamlSpec, 'a.yaml');
    assert.deepEqual(locate([]), { line: 1, col: 1 });
    assert.deepEqual(locate(['mark']), { line: 1, col: 1 });
    assert.deepEqual(locate(['encoding', 'x', 'type']), { line: 3, col: 18 });
    assert.deepEqual(locate(['encoding', 'frame', 'field']), { line: 5, col: 5 });
    assert.deepEqual(locate(['layer', 1]), { line: 8, col: 5 });
    assert.deepEqual(locate(['layer', 1, 'mark']), { line: 8, col: 5 });
  });

  it('locates nodes in JSON too', () => {
    const { locate } = parseSpecText(jsonSpec, 'a.json');
    assert.deepEqual(locate(['encoding', 'x', 'type']), { line: 4, col: 26 });
    assert.deepEqual(locate(['encoding', 'frame']), { line: 5, col: 5 });
  });

  it('falls back to the nearest existing ancestor for a missing node', () => {
    const { locate } = parseSpecText(yamlSpec, 'a.yaml');
    assert.deepEqual(locate(['encoding', 'frame', 'type']), { line: 4, col: 3 });
    assert.deepEqual(locate(['layer', 7, 'mark']), { line: 6, col: 1 });
    assert.deepEqual(locate(['nope']), { line: 1, col: 1 });
  });

  it('ignores a byte-order mark', () => {
    const loaded = parseSpecText(`\uFEFF${jsonSpec}`, 'a.json');
    assert.equal(loaded.spec.mark, 'point');
    assert.deepEqual(loaded.locate(['mark']), { line: 2, col: 3 });
  });

  it('turns YAML syntax errors into a SpecError with line and column', () => {
    const error = thrown(() =>
      parseSpecText('mark: point\nencoding:\n  x: [1, 2\ny: 3\n', 's.yaml'),
    );
    assert.equal(error.path, '$');
    assert.equal(error.line, 4);
    assert.equal(error.col, 1);
    assert.match(error.message, /^YAML syntax error: /);
    assert.doesNotMatch(error.message, /\n/);
    assert.match(formatSpecError(error), /^s\.yaml:4:1 \$: YAML syntax error/);
  });

  it('rejects duplicate keys, pointing at the second one', () => {
    const yaml = thrown(() => parseSpecText('mark: point\nencoding:\n  x: 1\n  x: 2\n', 's.yaml'));
    assert.equal(yaml.path, '$.encoding.x');
    assert.deepEqual([yaml.line, yaml.col], [4, 3]);
    assert.match(yaml.message, /duplicate key "x"/);
    const json = thrown(() => parseSpecText('{"mark": "point",\n "mark": "bar"}', 's.json'));
    assert.equal(json.path, '$.mark');
    assert.deepEqual([json.line, json.col], [2, 2]);
  });

  it('turns JSON syntax errors into a SpecError with line and column', () => {
    const trailingComma = thrown(() => parseSpecText('{\n  "mark": "point",\n}', 's.json'));
    assert.deepEqual([trailingComma.line, trailingComma.col], [3, 1]);
    assert.match(trailingComma.message, /^JSON syntax error: /);
    const truncated = thrown(() => parseSpecText('{"mark": "point"', 's.json'));
    assert.deepEqual([truncated.line, truncated.col], [1, 17]);
    const badLiteral = thrown(() => parseSpecText('{\n  "a": tru,\n  "b": 1\n}', 's.json'));
    assert.deepEqual([badLiteral.line, badLiteral.col], [2, 11]);
    const singleQuotes = thrown(() => parseSpecText(`{"mark": 'point'}`, 's.json'));
    assert.deepEqual([singleQuotes.line, singleQuotes.col], [1, 10]);
  });

  it('is strict JSON for .json files although YAML would accept the text', () => {
    const error = thrown(() => parseSpecText('{"mark": point}', 's.json'));
    assert.match(error.message, /JSON syntax error/);
    assert.equal(parseSpecText('{"mark": point}', 's.yaml').spec.mark, 'point');
  });

  it('requires the spec to be an object', () => {
    assert.match(thrown(() => parseSpecText('', 'e.yaml')).message, /the spec is empty/);
    assert.match(thrown(() => parseSpecText('- a\n', 'e.yaml')).message, /is an array/);
    assert.match(thrown(() => parseSpecText('"point"', 'e.json')).message, /is a string/);
  });

  it('rejects multiple YAML documents and unresolved aliases', () => {
    assert.match(thrown(() => parseSpecText('a: 1\n---\nb: 2\n')).message, /multiple documents/);
    assert.match(thrown(() => parseSpecText('mark: *nothing\n')).message, /alias/);
  });

  it('resolves YAML anchors and aliases', () => {
    const { spec } = parseSpecText('x: &axis { field: a }\ny: *axis\n');
    assert.deepEqual(spec.y, { field: 'a' });
  });
});

describe('loadSpecFile', () => {
  it('loads a file and keeps its name for error messages', async () => {
    const loaded = await loadSpecFile(fixture('good/frame.yaml'));
    assert.equal(loaded.format, 'yaml');
    assert.equal(loaded.file, fixture('good/frame.yaml'));
    assert.equal(loaded.spec.mark, 'point');
  });

  it('reports a missing file as a SpecError', async () => {
    await assert.rejects(loadSpecFile(fixture('nope.yaml')), (error: unknown) => {
      assert.ok(error instanceof SpecError);
      assert.match(formatSpecError(error), /nope\.yaml \$: cannot read spec: no such file/);
      return true;
    });
  });
});
