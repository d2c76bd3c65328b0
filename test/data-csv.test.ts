/** The CSV reader: types, quoting, gaps, and both the fast and the general path. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCsv } from '../src/data/csv.js';
import { cellValue, rowsAt } from '../src/data/table.js';

const read = (text: string, options = {}) => {
  const t = parseCsv(Buffer.from(text), options);
  return rowsAt(
    t,
    Uint32Array.from({ length: t.length }, (_, i) => i),
  );
};

test('numbers become numbers, text stays text, gaps are null', () => {
  assert.deepEqual(read('a,b,c\n1,x,-2.5\n2,,3e2\n,y,\n'), [
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

test('an empty file is an error', () => {
  assert.throws(() => parseCsv(Buffer.from('')), /empty/);
});

test('one column: a blank line is a missing value, whichever reader runs', () => {
  assert.deepEqual(read('x\n1\n\n3\n'), [{ x: 1 }, { x: null }, { x: 3 }]);
  assert.deepEqual(read('x\n"1"\n\n3\n'), [{ x: 1 }, { x: null }, { x: 3 }]);
});
