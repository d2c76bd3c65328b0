/**
 * Which columns a render loads (compile/reads.ts): those the spec names as a whole, not
 * those whose name is part of a longer identifier in it.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { columnsNamedIn, specTextForColumns } from '../../src/compile/reads.js';
import { info } from '../../src/api.js';

const kept = (spec: unknown, names: string[]) => {
  const keep = columnsNamedIn(specTextForColumns(spec));
  assert.ok(keep, 'a spec that names its fields keeps only those');
  return names.filter((n) => keep(n));
};

const COLUMNS = ['index', 'indexes', 'x', 'pos', 'q"uote', 'Sales ($)', 'élan'];

test('a name inside a longer identifier does not name a column', () => {
  const spec = {
    mark: 'rule',
    encoding: {
      x: { field: 'x', type: 'quantitative' },
      x2: { value: { expr: 'frame_index * 10 + frame_count' } },
      frame: { field: 't' },
    },
    transform: [{ calculate: 'datum.x_index + datum.élans', as: 'y' }],
  };
  assert.deepEqual(kept(spec, COLUMNS), ['x']);
});

test('a field, datum.name, datum["name"] and datum[\'name\'] each name one', () => {
  const named = (body: object) => kept({ mark: 'point', ...body }, COLUMNS);
  assert.deepEqual(named({ encoding: { y: { field: 'index' } } }), ['index']);
  assert.deepEqual(named({ transform: [{ filter: 'datum.index > 2' }] }), ['index']);
  assert.deepEqual(named({ transform: [{ filter: 'datum["index"] > 2' }] }), ['index']);
  assert.deepEqual(named({ transform: [{ filter: "datum['indexes']>2" }] }), ['indexes']);
  assert.deepEqual(named({ encoding: { y: { field: 'q"uote' } } }), ['q"uote']);
  assert.deepEqual(named({ encoding: { y: { field: 'Sales ($)' } } }), ['Sales ($)']);
  assert.deepEqual(named({ transform: [{ filter: 'datum.élan>0' }] }), ['élan']);
  assert.deepEqual(named({ encoding: { y: { field: 'pos.lat' } } }), ['pos']);
});

const dir = mkdtempSync(path.join(tmpdir(), 'vf-reads-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('info: frame_index in an expression loads no column named index', async () => {
  writeFileSync(path.join(dir, 'd.csv'), 'index,t,x,unused\n1,0,3,9\n2,0,4,9\n3,1,5,9\n');
  const spec = (x2: string) => ({
    data: { url: 'd.csv' },
    mark: 'rule',
    encoding: {
      x: { field: 'x', type: 'quantitative' },
      x2: { value: { expr: x2 } },
      frame: { field: 't' },
    },
  });
  const columns = async (x2: string) =>
    (await info(spec(x2) as never, { baseDir: dir })).sources[0].columns.map((c) => c.name);
  assert.deepEqual(await columns('frame_index * 10'), ['t', 'x']);
  assert.deepEqual(await columns('datum.index * 10'), ['index', 't', 'x']);
});
