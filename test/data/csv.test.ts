/**
 * The CSV reader: types, quoting, gaps, and both the fast and the general path (the
 * WebAssembly reader against the JavaScript one, on large files, in csv.slow.test.ts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseCsv, readCsvFile } from '../../src/data/csv/index.js';
import { loadDataSource } from '../../src/data/load.js';
import { cellValue, narrowColumns, rowsAt } from '../../src/data/table.js';

const read = (text: string, options = {}) => {
  const t = parseCsv(Buffer.from(text), options);
  return rowsAt(
    t,
    Uint32Array.from({ length: t.length }, (_, i) => i),
  );
};

test('numbers become numbers, text stays text, gaps are null', () => {
  assert.deepEqual(read('a,b,c\n1,x,-2.5\n2,,3e2\n,y,\n', { numbers: ['c'] }), [
    { a: 1, b: 'x', c: -2.5 },
    { a: 2, b: null, c: 300 },
    { a: null, b: 'y', c: null },
  ]);
});

test('quoted fields with delimiters, quotes and newlines (general path)', () => {
  assert.deepEqual(read('name,n\n"Smith, J.",1\n"say ""hi""",2\n"two\nlines",3\n'), [
    { name: 'Smith, J.', n: 1 },
    { name: 'say "hi"', n: 2 },
    { name: 'two\nlines', n: 3 },
  ]);
});

test('a column that turns out not numeric after the sampled rows is read as text', () => {
  const body = Array.from({ length: 2500 }, (_, i) => `${i},${i}`).join('\n');
  const t = parseCsv(Buffer.from(`a,b\n${body}\n2500,oops\n`));
  assert.equal(t.columns.a.kind, 'number');
  assert.equal(t.columns.b.kind, 'string');
  assert.equal(cellValue(t.columns.b, 2500), 'oops');
  assert.equal(cellValue(t.columns.b, 7), '7');
});

test('whole-number columns are Int32, widened to Float64 by a later fraction, gap or −0', async () => {
  const rows = ['k,late,gap,neg,big'];
  for (let i = 0; i < 8000; i++) {
    const late = i === 2600 ? '2.5' : String(i);
    const gap = i === 2700 ? '' : String(-i);
    const neg = i === 2800 ? '-0' : String(i % 5);
    rows.push(`${i % 10},${late},${gap},${neg},${i === 2900 ? 2 ** 31 : i}`);
  }
  const text = rows.join('\n') + '\n';
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'vf-csv-int-')), 'ints.csv');
  writeFileSync(file, text);
  for (const t of [parseCsv(Buffer.from(text)), await readCsvFile(file, {}, 48_000)]) {
    const values = (n: string) => (t.columns[n] as { values: ArrayLike<number> }).values;
    assert.ok(values('k') instanceof Int32Array, 'whole numbers: Int32');
    for (const n of ['late', 'gap', 'neg', 'big']) assert.ok(values(n) instanceof Float64Array, n);
    assert.equal(cellValue(t.columns.late, 2600), 2.5);
    assert.equal(cellValue(t.columns.late, 2599), 2599);
    assert.equal(cellValue(t.columns.gap, 2700), null);
    assert.equal(cellValue(t.columns.gap, 2699), -2699);
    assert.ok(Object.is(cellValue(t.columns.neg, 2800), -0));
    assert.equal(cellValue(t.columns.big, 2900), 2 ** 31);
    assert.equal(cellValue(t.columns.k, 7999), 9);
    assert.equal(t.length, 8000);
  }
});

test('CRLF, blank lines, short rows, TSV', () => {
  assert.deepEqual(read('a,b\r\n1,2\r\n\r\n3\r\n'), [
    { a: 1, b: 2 },
    { a: 3, b: null },
  ]);
  assert.deepEqual(read('a\tb\n1\tx\n', { delimiter: '\t' }), [{ a: 1, b: 'x' }]);
});

test('format.parse: null keeps text, date gives timestamps, number forces numbers', () => {
  assert.deepEqual(read('d,k\n01,2020-01-02\n', { parse: { d: null, k: 'date' } }), [
    { d: '01', k: Date.parse('2020-01-02') },
  ]);
  assert.deepEqual(read('n\n1\nn/a\n', { parse: { n: 'number' } }), [{ n: 1 }, { n: null }]);
});

test('a blank line is not a record when the first column is skipped (general path)', () => {
  const keep = (name: string) => name !== 'i';
  const t = parseCsv(Buffer.from('i,x\n1,2\n\n3,"4"\n'), { keep });
  assert.equal(t.length, 2);
  assert.deepEqual(t.names, ['x']);
});

test('an empty file is an error', () => {
  assert.throws(() => parseCsv(Buffer.from('')), /empty/);
});

test('a UTF-8 byte order mark is not part of the first name, quoted or not', async () => {
  const bom = '\ufeff';
  assert.deepEqual(read(`${bom}x,t\n1,0\n`), [{ x: 1, t: 0 }]);
  assert.deepEqual(read(`${bom}"x",t\n1,0\n`), [{ x: 1, t: 0 }]);
  assert.deepEqual(read(`${bom}"a,b"\tt\n1\t0\n`, { delimiter: '\t' }), [{ 'a,b': 1, t: 0 }]);
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'vf-bom-')), 'bom.csv');
  writeFileSync(file, `${bom}"x",t\n1,0\n`);
  assert.deepEqual((await readCsvFile(file)).names, ['x', 't']);
});

test('a JSON data file that starts with a byte order mark reads as one without', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'vf-bom-json-'));
  writeFileSync(path.join(dir, 'bom.json'), '\ufeff[{"x": 1, "t": 0}, {"x": 2, "t": 1}]');
  const t = await loadDataSource({ url: 'bom.json' }, { baseDir: dir });
  assert.deepEqual(t.names, ['x', 't']);
  assert.equal(t.length, 2);
});

test('columns named like properties of every object are columns like any other', () => {
  const t = parseCsv(Buffer.from('__proto__,constructor,x\n1,2,3\n'));
  assert.deepEqual(t.names, ['__proto__', 'constructor', 'x']);
  const column = (name: string) => t.columns[name];
  assert.equal(cellValue(column('__proto__'), 0), 1, 'a number column');
  assert.equal(cellValue(column('constructor'), 0), 2, 'a number column');
  assert.equal(Object.hasOwn(t.columns, 'toString'), false);
});

test('one column: a blank line is a missing value, whichever reader runs', () => {
  assert.deepEqual(read('x\n1\n\n3\n'), [{ x: 1 }, { x: null }, { x: 3 }]);
  assert.deepEqual(read('x\n"1"\n\n3\n'), [{ x: 1 }, { x: null }, { x: 3 }]);
});

test('streamed CSV reading equals whole-file reading at any chunk boundary', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'vf-csv-stream-'));
  const lines = ['x,y,name'];
  for (let i = 0; i < 12000; i++) {
    const name = i % 97 === 0 ? 'a'.repeat(300) : `n${i % 13}`; // long lines now and then
    lines.push(`${(i * 0.37).toFixed(3)},${i % 7 === 0 ? '' : -i},${name}`);
    if (i % 500 === 0) lines.push(''); // blank lines are not records
  }
  const variants: Record<string, string> = {
    lf: lines.join('\n') + '\n',
    crlf: lines.join('\r\n') + '\r\n',
    'no final newline': lines.join('\n'),
    'late text in a number column': lines.join('\n') + '\nnot-a-number,1,z\n',
    quoted: lines.join('\n') + '\n"4.5",2,"q, r"\n',
  };
  for (const [what, text] of Object.entries(variants)) {
    const file = path.join(dir, `${what}.csv`);
    writeFileSync(file, text);
    const whole = parseCsv(Buffer.from(text));
    // Chunks must hold the 2,000 rows types are inferred from (else the file is read whole).
    for (const chunk of [48_000, 50_001, 65_536]) {
      const streamed = await readCsvFile(file, {}, chunk);
      assert.equal(streamed.length, whole.length, `${what}, chunk ${chunk}`);
      assert.deepEqual(streamed.names, whole.names);
      for (const n of whole.names) {
        assert.equal(streamed.columns[n].kind, whole.columns[n].kind, `${what}: ${n}`);
        for (let r = 0; r < whole.length; r++) {
          assert.ok(
            Object.is(cellValue(streamed.columns[n], r), cellValue(whole.columns[n], r)),
            `${what}, chunk ${chunk}: ${n}[${r}]`,
          );
        }
      }
    }
  }
});

test('only the columns a spec names are loaded (all when it can reach any field)', async () => {
  const { compile } = await import('../../src/api.js');
  const dir = mkdtempSync(path.join(tmpdir(), 'vf-columns-'));
  const rows = ['x,y,t,unused_notes,unused_id'];
  for (let i = 0; i < 50; i++) rows.push(`${i},${i * 2},${i % 2},note ${i},${1000 + i}`);
  writeFileSync(path.join(dir, 'wide.csv'), rows.join('\n'));
  const base = {
    data: { url: 'wide.csv' },
    mark: 'point',
    encoding: {
      x: { field: 'x', type: 'quantitative' },
      y: { field: 'y', type: 'quantitative' },
      frame: { field: 't' },
    },
  };
  const names = async (spec: object) =>
    (await compile(spec as never, { baseDir: dir })).planned[0].table.names;
  assert.deepEqual(await names(base), ['x', 'y', 't']);
  assert.deepEqual(await names({ ...base, mark: { type: 'point', tooltip: true } }), [
    'x',
    'y',
    't',
    'unused_notes',
    'unused_id',
  ]);
  const computed = { ...base, transform: [{ calculate: "datum['unused_' + 'id']", as: 'k' }] };
  assert.equal((await names(computed)).length, 5, 'a computed datum key keeps every column');
  const named = { ...base, transform: [{ filter: 'datum.unused_id > 1010' }] };
  assert.deepEqual(await names(named), ['x', 'y', 't', 'unused_id']);
  // Declaring every column's type, as Vega-Lite users do, reads none more.
  const typed = {
    ...base,
    data: {
      url: 'wide.csv',
      format: { type: 'csv', parse: { x: 'number', unused_notes: 'string', unused_id: 'number' } },
    },
  };
  assert.deepEqual(await names(typed), ['x', 'y', 't']);
});

test('whole-number columns are stored in the narrowest type that holds them, same values', () => {
  const text =
    'u8,i8,u16,i16,i32,f\n' +
    Array.from(
      { length: 3000 },
      (_, i) => `${i % 256},${(i % 200) - 100},${i * 20},${i * 10 - 15000},${i * 1000},${i / 4}`,
    ).join('\n');
  const t = parseCsv(Buffer.from(text));
  const before = rowsAt(
    t,
    Uint32Array.from({ length: t.length }, (_, i) => i),
  );
  const saved = narrowColumns(t);
  const kinds = Object.fromEntries(
    t.names.map((n) => {
      const c = t.columns[n];
      return [n, c.kind === 'number' ? c.values.constructor.name : c.kind];
    }),
  );
  assert.deepEqual(kinds, {
    u8: 'Uint8Array',
    i8: 'Int8Array',
    u16: 'Uint16Array',
    i16: 'Int16Array',
    i32: 'Int32Array',
    f: 'Float64Array',
  });
  assert.equal(saved, 3000 * (3 + 3 + 2 + 2));
  for (const n of t.names) {
    const c = t.columns[n];
    assert.ok(c.kind === 'number' && c.values.buffer instanceof SharedArrayBuffer, n);
  }
  assert.deepEqual(
    rowsAt(
      t,
      Uint32Array.from({ length: t.length }, (_, i) => i),
    ),
    before,
  );
});

test('number text that would change stays text unless a number is asked for, as Vega-Lite reads it', async () => {
  const vega = await import('vega');
  const vl = await import('vega-lite');
  const text =
    'zip,id,code,hex,n,neg,f\n' +
    '00501,12345678901234567890,1e5,0x10,12,-3,0.25\n' +
    '10001,9007199254740993,2E3,0x1f,1234567890123456,-3.5,1.5\n';
  // Vega's own inference (parse: "auto") reads every one of these as a number, but
  // Vega-Lite never asks for it: a field it is not asked to parse stays the file's text.
  const auto = vega.read(text, { type: 'csv', parse: 'auto' }) as Record<string, unknown>[];
  assert.equal(auto[0].zip, 501);
  const vegaLite = (encoding: object, parse?: object) => {
    const spec = { data: { url: 'd.csv', format: parse && { parse } }, mark: 'point', encoding };
    const data = (vl.compile(spec as never).spec.data ?? []) as { format?: object }[];
    return vega.read(text, data[0].format as never) as Record<string, unknown>[];
  };
  const nominal = vegaLite({ color: { field: 'zip', type: 'nominal' } });
  const ours = read(text);
  for (const [r, row] of ours.entries()) {
    for (const [field, value] of Object.entries(row)) {
      // What Vega-Lite shows for a nominal field: its text; a number here prints the same.
      assert.equal(String(value), nominal[r][field], `${field}[${r}]`);
      const code = ['zip', 'id', 'code', 'hex'].includes(field);
      assert.equal(typeof value, code ? 'string' : 'number', `${field}[${r}]`);
    }
  }
  // A quantitative encoding reads the field as a number (Vega's scales take +text): 501.
  const asked = read(text, { numbers: ['zip', 'id', 'code'] });
  for (const [r, row] of asked.entries())
    for (const field of ['zip', 'id', 'code'])
      assert.equal(row[field], +(nominal[r][field] as string), `${field}[${r}]`);
  // format.parse asks for numbers as Vega-Lite's own parse does.
  const parsed = vegaLite({}, { zip: 'number', code: 'number' });
  const oursParsed = read(text, { parse: { zip: 'number', code: 'number' } });
  for (const [r, row] of oursParsed.entries()) {
    assert.equal(row.zip, parsed[r].zip);
    assert.equal(row.code, parsed[r].code);
    assert.equal(row.id, nominal[r].id);
  }
  // A code after the rows types are inferred from turns the column to text then.
  const late = Array.from({ length: 2500 }, (_, i) => `${i},${i}`).join('\n');
  const t = parseCsv(Buffer.from(`zip,n\n${late}\n00501,1\n`));
  assert.equal(t.columns.zip.kind, 'string');
  assert.equal(cellValue(t.columns.zip, 2500), '00501');
  assert.equal(cellValue(t.columns.zip, 7), '7');
  assert.equal(t.columns.n.kind, 'number');
});
