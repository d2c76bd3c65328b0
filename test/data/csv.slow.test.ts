/**
 * The CSV reader on large generated files: 200,000 columns without overflowing the stack,
 * and the WebAssembly reader against the JavaScript one, record for record, past its window.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { csvKernelRows, parseCsv, readCsvFile } from '../../src/data/csv/index.js';
import { useWasmKernel } from '../../src/support/wasm.js';
import { type ColumnTable, cellValue } from '../../src/data/table.js';

test('200,000 columns: read without overflowing the stack', async () => {
  const n = 200_000;
  const names = Array.from({ length: n }, (_, i) => `c${i}`);
  const text = `${names.join(',')}\n${names.map((_, i) => i % 7).join(',')}\n`;
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'vf-wide-')), 'wide.csv');
  writeFileSync(file, text);
  const keep = (name: string) => name === 'c1' || name === 'c199999';
  for (const t of [await readCsvFile(file, { keep }), parseCsv(Buffer.from(text), { keep })]) {
    assert.deepEqual(t.names, ['c1', 'c199999']);
    assert.equal(cellValue(t.columns.c199999, 0), 199_999 % 7);
  }
  assert.equal(parseCsv(Buffer.from(text)).names.length, n);
});

/** Asserts two tables hold the same columns, types and values (−0 and NaN included). */
function assertSameTable(a: ColumnTable, b: ColumnTable, what: string) {
  assert.equal(a.length, b.length, `${what}: rows`);
  assert.deepEqual(a.names, b.names, `${what}: names`);
  for (const n of a.names) {
    const x = a.columns[n];
    const y = b.columns[n];
    assert.equal(x.kind, y.kind, `${what}: ${n} kind`);
    if (x.kind === 'number' && y.kind === 'number')
      assert.equal(x.values.constructor, y.values.constructor, `${what}: ${n} type`);
    for (let r = 0; r < a.length; r++) {
      if (!Object.is(cellValue(x, r), cellValue(y, r)))
        assert.fail(`${what}: ${n}[${r}] ${cellValue(x, r)} ≠ ${cellValue(y, r)}`);
    }
  }
}

test('the WebAssembly number reader reads what the JavaScript reads', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'vf-csv-kernel-'));
  const records = (n: number) => {
    const lines = ['i,x,y,k'];
    for (let i = 0; i < n; i++) {
      lines.push(
        `${i},${(((i * 7919) % 100_003) / 997 - 50).toFixed(4)},${((i % 1000) * -0.001).toFixed(3)},${i % 10}`,
      );
      if (i % 4_000 === 0) lines.push('');
    }
    return lines;
  };
  const lines = records(30_000);
  const base = lines.join('\n');
  const late = (row: string) => base + '\n' + row + '\n' + lines.slice(1, 3000).join('\n') + '\n';
  const variants: Record<string, string> = {
    // Over 1 MiB (the kernel's window) and 32,768 rows (its values area at 4 columns).
    'over a window': records(60_000).join('\n') + '\n',
    crlf: lines.join('\r\n') + '\r\n',
    'no final newline': base,
    'a fraction in a whole-number column': late('5,1,2,3.5'),
    'a −0 in a whole-number column': late('5,1,2,-0'),
    'an int beyond 32 bits': late('5,1,2,3000000000'),
    'an empty field': late('5,,2,3'),
    'a short record': late('5,1,2'),
    'an extra field': late('5,1,2,3,4'),
    '16 digits and an exponent': late('5,1.234567890123456,2e3,3'),
    // x and y are read as numbers (as a quantitative encoding asks), k is not: a code there
    // makes it text.
    'leading zeros in a number column': late('5,01,-002.5,3'),
    'a leading zero in a code column': late('5,1,2,07'),
    'an id past 2^53 in a code column': late('5,1,2,12345678901234567890'),
    'an exponent in a code column': late('5,1,2,1e5'),
    'text in a number column': late('5,abc,2,3'),
    'a quote': late('5,"1",2,3'),
    'a plus sign and spaces': late('+5, 1,2 ,3'),
    '.5, 5. and a minus alone': late('.5,5.,-.5,-5\n-,1,2,3'),
    // A CR as the last byte of the kernel's first 1 MiB window (the whole-file reading):
    // 17 bytes, then 16-byte records, end a record's CR at byte 1,048,575 after the header.
    'a CR at the window end':
      'i,x\r\n0000000,12345.5\r\n' +
      Array.from({ length: 70_000 }, (_, k) => `${String(k + 1).padStart(7, '0')},1234.5\r\n`).join(
        '',
      ),
    'one column':
      'x\n' +
      lines
        .slice(1, 5000)
        .map((l, i) => (i % 7 ? l.split(',')[1] : ''))
        .join('\n'),
    'empty fields in every other record': lines
      .map((l, i) => (i % 2 ? l.replace(/,[^,]*$/, ',') : l))
      .join('\n'),
  };
  try {
    for (const [what, text] of Object.entries(variants)) {
      const file = path.join(dir, 'kernel.csv');
      writeFileSync(file, text);
      // All columns, and without two a spec never reads (skipped while parsing).
      const keep = (name: string) => name !== 'i' && name !== 'k';
      const numbers = ['x', 'y'];
      const readings = async () => [
        parseCsv(Buffer.from(text), { numbers }),
        await readCsvFile(file, { numbers }, 100_000),
        parseCsv(Buffer.from(text), { keep, numbers }),
        await readCsvFile(file, { keep, numbers }, 100_000),
      ];
      const before = csvKernelRows();
      const withKernel = await readings();
      // The kernel read nearly every record itself (the JavaScript only the odd ones).
      const total = withKernel.reduce((sum, t) => sum + t.length, 0);
      if (!/quote|text in|every other|one column/.test(what))
        assert.ok(csvKernelRows() - before >= total - 8, `${what}: kernel rows`);
      useWasmKernel('csv', false);
      const without = await readings();
      useWasmKernel('csv', true);
      const how = ['whole', 'streamed', 'whole, two columns skipped', 'streamed, two skipped'];
      how.forEach((h, k) => assertSameTable(withKernel[k], without[k], `${what}, ${h}`));
    }
  } finally {
    useWasmKernel('csv', true);
  }
});

test('text columns are read by the WebAssembly reader too, to the same codes', async () => {
  // format.parse {digit: string} made W1's load 3× slower when text sent every record to
  // the JavaScript: the kernel notes where each text field lies, the dictionary is the same.
  const dir = mkdtempSync(path.join(tmpdir(), 'vf-csv-text-'));
  const lines = ['i,x,label,k'];
  const labels = ['a', 'bb', 'seven b', 'naïve', '東京', 'a much longer label', ''];
  for (let i = 0; i < 40_000; i++)
    lines.push(`${i},${(i / 7).toFixed(3)},${labels[(i * 31) % labels.length]},${i % 10}`);
  const base = lines.join('\n') + '\n';
  const variants: Record<string, string> = {
    plain: base,
    crlf: lines.join('\r\n') + '\r\n',
    'no final newline': lines.join('\n'),
    'a quoted label late': base + '5,1,"q, r",3\n' + lines.slice(1, 3000).join('\n') + '\n',
    'a short record late': base + '5,1\n' + lines.slice(1, 3000).join('\n') + '\n',
  };
  const parse = { k: 'string' as const };
  try {
    for (const [what, text] of Object.entries(variants)) {
      const file = path.join(dir, 'text.csv');
      writeFileSync(file, text);
      const readings = async () => [
        parseCsv(Buffer.from(text), { parse }),
        await readCsvFile(file, { parse }, 100_000),
        parseCsv(Buffer.from(text), { parse, keep: (n) => n !== 'x' }),
      ];
      const before = csvKernelRows();
      const withKernel = await readings();
      assert.equal(withKernel[0].columns.k.kind, 'string', `${what}: parse makes k text`);
      assert.equal(withKernel[0].columns.label.kind, 'string', `${what}: label is text`);
      if (!/quoted/.test(what)) {
        const total = withKernel.reduce((sum, t) => sum + t.length, 0);
        assert.ok(csvKernelRows() - before >= total - 8, `${what}: kernel rows`);
      }
      useWasmKernel('csv', false);
      const without = await readings();
      useWasmKernel('csv', true);
      ['whole', 'streamed', 'whole, x skipped'].forEach((h, n) => {
        assertSameTable(withKernel[n], without[n], `${what}, ${h}`);
        for (const name of ['label', 'k']) {
          const [a, b] = [withKernel[n].columns[name], without[n].columns[name]];
          assert.ok(a.kind === 'string' && b.kind === 'string');
          assert.deepEqual(a.dict, b.dict, `${what}, ${h}: ${name}'s dictionary`);
          assert.deepEqual(a.codes, b.codes, `${what}, ${h}: ${name}'s codes`);
        }
      });
    }
  } finally {
    useWasmKernel('csv', true);
  }
});
