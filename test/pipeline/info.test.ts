/** `info` lists each data source once, however many units read it. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { info } from '../../src/api.js';

const dir = mkdtempSync(path.join(tmpdir(), 'vf-info-'));
after(() => rmSync(dir, { recursive: true, force: true }));
writeFileSync(path.join(dir, 'pts.csv'), 'epoch,x,y\n0,1,2\n0,2,3\n1,3,4\n1,4,5\n');
writeFileSync(path.join(dir, 'other.csv'), 'x,y\n1,1\n');

const xy = 'x: {field: x, type: quantitative}, y: {field: y, type: quantitative}';

function spec(name: string, body: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, body);
  return file;
}

test('two layers sharing one file list it once', async () => {
  const file = spec(
    'two-layers.yaml',
    `layer:
  - data: {url: pts.csv}
    mark: point
    encoding: {${xy}, frame: {field: epoch}}
  - data: {url: pts.csv}
    mark: line
    encoding: {${xy}, frame: {field: epoch}}
  - data: {url: other.csv}
    mark: rule
    encoding: {y: {field: y, type: quantitative}}
`,
  );
  const i = await info(file);
  assert.deepEqual(
    i.sources.map((s) => [s.url, s.rows, s.framed]),
    [
      ['pts.csv', 4, true],
      ['other.csv', 1, false],
    ],
  );
});

test('a static unit sharing a framed source lists it once, as framed', async () => {
  const file = spec(
    'static-copy.yaml',
    `data: {url: pts.csv}
layer:
  - mark: point
    encoding: {${xy}, frame: {field: epoch}}
  - mark: rule
    encoding: {y: {aggregate: mean, field: y}}
`,
  );
  const i = await info(file);
  assert.deepEqual(
    i.sources.map((s) => [s.url, s.rows, s.framed]),
    [['pts.csv', 4, true]],
  );
});

test('inline data shared by two layers is listed once', async () => {
  const file = spec(
    'inline.yaml',
    `data: {values: [{epoch: 0, x: 1, y: 1}, {epoch: 1, x: 2, y: 2}]}
layer:
  - mark: point
    encoding: {${xy}, frame: {field: epoch}}
  - mark: line
    encoding: {${xy}, frame: {field: epoch}}
`,
  );
  const i = await info(file);
  assert.equal(i.sources.length, 1);
  assert.equal(i.sources[0].url, undefined);
});
