/**
 * Arrow IPC (.arrow, .feather, .ipc) and Parquet files by columnar.ts. Files only: a
 * string `values` in either format is refused as an unsupported format.
 */
import type { ColumnTable } from '../table.js';
import { dataMessage } from '../messages.js';
import { type BytesLoader, DataLoadError } from './loader.js';

type Columnar = typeof import('../columnar.js');

export const arrowLoader: BytesLoader = {
  extensions: ['arrow', 'feather', 'ipc'],
  // Arrow's fixed-width columns are used where they lie in the file's bytes: in shared
  // memory, render workers read them too.
  reads: 'shared bytes',
  readFile: (bytes, { where }) => readColumnar(where, (columnar) => columnar.parseArrow(bytes)),
};

export const parquetLoader: BytesLoader = {
  extensions: ['parquet'],
  reads: 'bytes',
  readFile: (bytes, { where, access }) =>
    readColumnar(where, (columnar) => columnar.parseParquet(bytes, access.maxColumnBytes)),
};

async function readColumnar(
  where: string,
  parse: (columnar: Columnar) => ColumnTable | Promise<ColumnTable>,
): Promise<ColumnTable> {
  // Loaded on first use: apache-arrow and hyparquet take ~150 ms to import, which
  // every CSV render would otherwise pay at startup.
  const columnar = await import('../columnar.js');
  try {
    return await parse(columnar);
  } catch (e) {
    if (!(e instanceof columnar.ColumnarError)) throw e; // a fault here, not the file's
    throw new DataLoadError(dataMessage.unreadable(where, e.message));
  }
}
