/**
 * A byte-level CSV/TSV reader that fills typed columns directly: no string per numeric
 * cell, no object per row. Column types are inferred from the first rows (numbers where
 * every value parses, else dictionary-coded strings) and re-read as strings if a later
 * value disagrees. `format.parse` overrides inference per field.
 *
 * The modules, leaf first: layout.ts (options and layout types), records.ts (the record
 * scanner), numbers.ts (number text), infer.ts (column types), columns.ts (the typed
 * columns), kernel.ts (the WebAssembly kernel, csv.wat), fast.ts (the fast reader),
 * parse.ts (a file in memory) and file.ts (a file in chunks).
 */
export type { ColumnArrays, CsvHead, CsvLayout, CsvOptions, FieldParse } from './layout.js';
export { CsvError } from './records.js';
export { csvKernelRows } from './kernel.js';
export { parseCsv } from './parse.js';
export {
  type CsvChunkVisitor,
  readCsvFile,
  readCsvHead,
  readCsvRecords,
  recordBoundary,
  scanCsvFile,
} from './file.js';
