/**
 * TopoJSON (`format.feature` or `format.mesh`) by topojson.ts, into GeoJSON rows;
 * `format.parse` applies to their fields as to JSON's.
 */
import { type ColumnTable, tableFromRows } from '../table.js';
import { TopoJsonError, parseTopoJson } from '../topojson.js';
import { dataMessage } from '../messages.js';
import { applyParse } from './json.js';
import { type BytesLoader, DataLoadError, type LoadRequest } from './loader.js';

export const topojsonLoader: BytesLoader = {
  extensions: ['topojson'],
  reads: 'bytes',
  geoJson: true,
  readText: (text, request) => fromTopoJson(text, request),
  readFile: (bytes, request) => fromTopoJson(bytes, request),
};

function fromTopoJson(text: string | Uint8Array, { def, where }: LoadRequest): ColumnTable {
  let rows: object[];
  try {
    const source = typeof text === 'string' ? text : Buffer.from(text).toString('utf8');
    rows = parseTopoJson(source, def.format ?? {});
  } catch (e) {
    if (!(e instanceof TopoJsonError)) throw e; // a fault here, not the file's
    throw new DataLoadError(dataMessage.unreadable(where, e.message));
  }
  const table = tableFromRows(rows);
  applyParse(table, def.format?.parse ?? undefined);
  return table;
}
