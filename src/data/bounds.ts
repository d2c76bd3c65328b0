/**
 * Bounds on what the spec asks of Vega that only the loaded data can size: the rows a fold
 * makes, the cells a pivot makes, the bins a `bin.step` makes, and the length of one text
 * value. Checked once the tables are read, before the plan is made.
 */
import { formatJsonPath } from '../spec/errors.js';
import { type Limits, LimitError } from '../spec/limits.js';
import type { VegaFramesSpec } from '../spec/types.js';
import {
  GENERATED_ROW_COST,
  binStepViolation,
  binsByStep,
  foldFactor,
  pivotsOf,
} from '../compile/bounds.js';
import { CompileError } from '../compile/messages.js';
import { DataLoadError } from './load.js';
import { type ColumnTable, longestString } from './table.js';
import { dataMessage } from './messages.js';

/**
 * What the spec asks of Vega that only the data can size: the rows a fold makes (objects
 * Vega holds, bounded like generated rows) and the bins a `bin.step` makes over a column.
 */
export function checkDataBounds(spec: VegaFramesSpec, tables: ColumnTable[], limits: Limits): void {
  const rows = tables.reduce((sum, t) => sum + t.length, 0);
  const folds = foldFactor(spec);
  const mostFolded = Math.floor(limits.maxRows / GENERATED_ROW_COST);
  if (folds > 1 && rows * folds > mostFolded)
    throw new LimitError(dataMessage.foldTooLarge(rows, folds, mostFolded, GENERATED_ROW_COST));
  for (const pivot of pivotsOf(spec)) {
    // Each distinct value of the pivoted field becomes a field of every group's row.
    const groups = (t: ColumnTable) =>
      pivot.groupby.reduce((n, f) => n * Math.max(1, distinctValues(t, f)), 1);
    const cells = tables.reduce(
      (most, t) => Math.max(most, distinctValues(t, pivot.field) * Math.min(t.length, groups(t))),
      0,
    );
    if (cells > mostFolded)
      throw new CompileError(
        dataMessage.pivotTooLarge(cells, pivot.field, mostFolded, GENERATED_ROW_COST),
        formatJsonPath(pivot.path),
      );
  }
  for (const bin of binsByStep(spec)) {
    let [min, max] = [Infinity, -Infinity];
    for (const t of tables) {
      const column = t.columns[bin.field];
      if (column?.kind !== 'number') continue;
      for (const v of column.values) {
        if (v < min) min = v;
        if (v > max) max = v;
      }
    }
    const violation = min <= max ? binStepViolation(bin, min, max) : undefined;
    if (violation) throw new CompileError(violation.message, formatJsonPath(violation.path));
  }
}

/**
 * Characters one text value of the data may hold. Drawing or measuring text costs ~3 µs a
 * character here (a 5 MB field takes 20 s and 1.4 GB to lay out as one text mark), and no
 * chart shows a value this long: such a value is a mistake or an attack, refused.
 */
export const MAX_VALUE_CHARS = 100_000;

/** Refuses a text value longer than MAX_VALUE_CHARS. */
export function checkValueLengths(table: ColumnTable, url: string | undefined): void {
  const long = longestString(table);
  if (long && long.length > MAX_VALUE_CHARS)
    throw new DataLoadError(
      dataMessage.valueTooLong(url, long.length, long.column, MAX_VALUE_CHARS),
    );
}

/** How many distinct values a column holds (0 when the table has no such column). */
function distinctValues(table: ColumnTable, field: string): number {
  const column = table.columns[field];
  if (!column) return 0;
  if (column.kind === 'string') return column.dict.length;
  return new Set(column.values as ArrayLike<unknown> as unknown[]).size;
}
