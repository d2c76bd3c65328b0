/**
 * `vega-frames schema --path`: the installed schema's absolute path, the same from any
 * folder, for a spec's `$schema` that does not depend on where the spec sits.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { installInto, ROOT } from '../helpers/installed-package.js';

const tmp = realpathSync(mkdtempSync(path.join(tmpdir(), 'vf-schema-path-')));
// Each holds a project's node_modules (hard links): removed after the tests.
after(() => rmSync(tmp, { recursive: true, force: true }));

function run(bin: string, cwd: string, ...args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], {
    cwd,
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

test('schema --path prints the absolute path of the schema `schema` prints, from any folder', () => {
  const bin = path.join(ROOT, 'dist/cli/bin.js');
  const here = run(bin, ROOT, 'schema', '--path');
  assert.equal(here.code, 0, here.err);
  assert.equal(here.out, `${path.join(ROOT, 'schemas/vega-frames.schema.json')}\n`);
  const elsewhere = run(bin, tmp, 'schema', '--path');
  assert.equal(elsewhere.out, here.out);
  assert.ok(readFileSync(here.out.trim(), 'utf8') === run(bin, tmp, 'schema').out);
  assert.match(run(bin, tmp, 'schema', '--help').out, /--path/);
});

test('installed, the path is the package file, and a spec in a nested folder naming it validates', () => {
  const project = path.join(tmp, 'project');
  const installed = installInto(project);
  const bin = path.join(installed, 'dist/cli/bin.js');
  const r = run(bin, path.join(project), 'schema', '--path');
  assert.equal(r.code, 0, r.err);
  const schema = r.out.trim();
  assert.equal(
    schema,
    path.join(project, 'node_modules/vega-frames/schemas/vega-frames.schema.json'),
  );
  JSON.parse(readFileSync(schema, 'utf8'));
  const nested = path.join(project, 'specs/deep');
  mkdirSync(nested, { recursive: true });
  const spec = {
    $schema: schema,
    data: { values: [{ t: 1, x: 1 }] },
    mark: 'point',
    encoding: { x: { field: 'x', type: 'quantitative' }, frame: { field: 't' } },
  };
  writeFileSync(path.join(nested, 'chart.json'), JSON.stringify(spec));
  const v = run(bin, tmp, 'validate', path.join(nested, 'chart.json'));
  assert.equal(v.code, 0, v.err);
});
