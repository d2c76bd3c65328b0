/**
 * Every message data/ gives the user, as a function returning the sentence (after
 * Vega-Lite's src/log/message.ts and compile/messages.ts): reading a file by the access
 * policy, the readers of each format, and the bounds only the loaded data can size. One
 * place to read and word them; the readers' own sentences (a CSV, .npy, Arrow, Parquet or
 * TopoJSON file that cannot be read) follow the file's name in a DataLoadError.
 */
import { quote } from '../spec/errors.js';
import { formatBytes, formatCount } from '../spec/limits.js';

/** A topology's objects as a message lists them. */
const objectsOf = (names: readonly string[]) =>
  `it has ${names.length ? names.map((n) => quote(n)).join(', ') : 'no objects'}`;

export const dataMessage = {
  // The access policy (access.ts).
  networkUrl: (url: string) =>
    `${quote(url)} is a network URL; network access is off: vega-frames reads local files only (download it next to the spec)`,
  notAFilePath: (url: string) =>
    `${quote(url)}: only relative file paths inside the spec's folder are read`,
  outsideFolder: (url: string, baseDir: string) =>
    `${quote(url)} is outside the spec's folder ${baseDir}; allow it with --allow-read DIR or set --base`,
  linkOutside: (url: string, real: string, baseDir: string) =>
    `${quote(url)} leads to ${real} through a symbolic link, outside the spec's folder ${baseDir}; allow that folder with --allow-read DIR if you trust this spec`,
  notRegularFile: (url: string, kind: string) =>
    `${quote(url)} is ${kind}, not a regular file; vega-frames reads regular files only`,

  // Loading a source (load.ts); `where` is the quoted URL or "inline values".
  notFound: (url: string, dir: string) => `data file ${quote(url)} not found (looked in ${dir})`,
  cannotRead: (url: string, reason: string) => `cannot read ${quote(url)}: ${reason}`,
  notText: (where: string, binary: string, type: string) =>
    `${where}: this is ${binary}, not ${type.toUpperCase()} text`,
  notReadableAs: (where: string, type: string, reason: string) =>
    `${where}: not readable as ${type.toUpperCase()}: ${reason}`,
  npyNotAFile: (where: string) => `${where}: .npy data must be a file`,
  notReadableNpy: (where: string, reason: string) => `${where}: not readable as .npy: ${reason}`,
  notJson: (where: string, reason: string) => `${where}: not valid JSON: ${reason}`,
  /** A reader's own sentence (TopoJSON, Arrow, Parquet) after the file's name. */
  unreadable: (where: string, reason: string) => `${where}: ${reason}`,
  formatUnsupported: (where: string, type: string) =>
    `${where}: format ${quote(type)} is not supported; use csv, tsv, dsv, json, topojson, or a .npy, .arrow or .parquet file`,
  notRows: (where: string) => `${where}: expected an array of rows`,
  noValuesOrUrl: () => 'a data source needs "values" or "url"',

  // What only the loaded data can size (bounds.ts).
  foldTooLarge: (rows: number, folds: number, most: number, cost: number) =>
    `a fold would make ${(rows * folds).toLocaleString('en')} rows (${rows.toLocaleString('en')} × ${folds}), over the limit of ${most.toLocaleString('en')} for rows Vega makes (a ${cost}th of --max-rows, as each is an object); raise --max-rows if you trust this spec`,
  pivotTooLarge: (cells: number, field: string, most: number, cost: number) =>
    `this pivot would make ${formatCount(cells)} cells (the distinct values of ${quote(field)} × its groups), over the limit of ${formatCount(most)} for values Vega makes (a ${cost}th of --max-rows); raise --max-rows if you trust this spec`,
  valueTooLong: (url: string | undefined, length: number, column: string, most: number) =>
    `${url ? `"${url}"` : 'the inline data'} holds a value of ${length.toLocaleString('en')} characters in column ${quote(column)}; a value may hold at most ${most.toLocaleString('en')} (text that long cannot be drawn or read in a chart)`,

  // Frames from the data (partition.ts).
  unknownTimeUnit: (unit: string) =>
    `encoding.frame.timeUnit ${quote(unit)} is not a Vega-Lite time unit (e.g. "year", "yearmonth", "utcmonthdate")`,

  // Fields the spec reads that the data lacks (field-check.ts); `fields` lists the data's.
  fieldMadeLater: (name: string, transformPath: string) =>
    `${quote(name)} is made by the transform at ${transformPath}, after this one reads it; move that transform before this one`,
  expressionReadsBeforeMade: (expr: string, name: string, transformPath: string) =>
    `the expression ${quote(expr)} reads the field ${quote(name)} before the transform at ${transformPath} makes it; move that transform before this one`,
  expressionReadsMissing: (expr: string, name: string, why: string) =>
    `the expression ${quote(expr)} reads the field ${quote(name)}: ${why}`,
  nestedFieldNamed: (name: string, head: string, source: string, escaped: string) =>
    `${quote(name)} reads into a field ${quote(head)}, which ${source} does not have; for its field ${quote(name)}, write ${quote(escaped)} (a dot or bracket in a field name reaches into nested rows)`,
  nestedFieldMissing: (name: string, head: string, source: string, hint: string, fields: string) =>
    `${quote(name)} reads into the field ${quote(head)}, which is not a field of ${source}${hint}; ${fields}`,
  fieldMissing: (name: string, source: string, hint: string, fields: string) =>
    `${quote(name)} is not a field of ${source}${hint}; ${fields}`,

  // A framed CSV file read a frame at a time (frame-stream.ts).
  streamChanged: (url: string) =>
    `${quote(url)} changed while it was being rendered: render again with the file as it is now`,
  streamEnded: (url: string) => `${quote(url)} ended early while rendering`,
  streamChangedAs: (url: string, reason: string) =>
    `${quote(url)} changed while it was being rendered: ${reason}`,

  // The readers' sentences (csv/, npy.ts, columnar.ts, topojson.ts).
  emptyFile: () => 'the file is empty (0 bytes)',
  csvQuoteOpen: () => 'a quoted field is not closed before the end of the file',
  csvNoHeader: () => 'the file is empty: no header row',
  csvRecords: (count: number, rows: number) =>
    `expected ${count} records at this place in the file, found ${rows}`,

  npyNoMagic: () => 'not a .npy file (no \\x93NUMPY magic)',
  npyVersion: (major: number, minor: number) =>
    `format version ${major}.${minor} is not supported: NumPy writes versions 1.0, 2.0 and 3.0`,
  npyEndsInHeader: () => 'the file ends inside its header',
  npyHeaderTruncated: (headerLength: number, follow: number) =>
    `the header is truncated: it says it holds ${headerLength.toLocaleString('en')} bytes, and ${follow.toLocaleString('en')} follow`,
  npyDimensions: (dimensions: number) =>
    `a ${dimensions}-D array: only 1-D, 2-D and 3-D arrays become tables`,
  /** `shapeText`: the shape as written, quoted. */
  npyTooManyValues: (shapeText: string) =>
    `the shape ${shapeText} has more values than any file holds`,
  npyDataTruncated: (shape: readonly number[], needed: number, available: number) =>
    `the data is truncated: shape (${shape.join(', ')}) needs ${needed.toLocaleString('en')} bytes, the file has ${available.toLocaleString('en')}`,
  npyHeaderEmpty: () => 'the header is empty',
  npyStructured: () =>
    'a structured array (named fields): only plain float, int, uint or bool arrays become tables',
  npyNoDtype: (header: string) => `the header has no dtype ('descr'): ${quote(header.trim(), 120)}`,
  npyFortranOrder: (order: string | undefined) =>
    `the header's 'fortran_order' is ${order === undefined ? 'missing' : quote(order)}, not True or False`,
  npyNoShape: (header: string) => `the header has no shape: ${quote(header.trim(), 120)}`,
  npyShapeItem: (shapeText: string, bad: string) =>
    `the shape ${quote(`(${shapeText.trim()})`, 60)} has ${quote(bad, 40)}, not a whole number of at least 0`,
  npyDtype: (descr: string) =>
    `dtype ${quote(descr, 40)} is not supported: use a float, int, uint or bool array`,

  /** A library's failure to read a file: its own first line, or none for a fault inside. */
  readerFailed: (what: string, said: string | undefined) =>
    said === undefined
      ? `${what}: the file is damaged or cut short`
      : `${what}: ${said.length > 160 ? `${said.slice(0, 160)}…` : said}`,
  arrowCutShort: (bytes: number) =>
    `the Arrow file is cut short: it begins with ARROW1 and does not end with it (${bytes.toLocaleString('en')} bytes)`,
  arrowBufferShort: (column: string, declared: number, held: number) =>
    `the Arrow file is damaged: column ${quote(column)} declares ${declared.toLocaleString('en')} values and its buffer holds ${held.toLocaleString('en')}`,
  columnType: (column: string, type: string) =>
    `column ${quote(column)} has type ${quote(type, 60)}, which is not supported`,
  parquetNoMagic: () => 'not a Parquet file: it does not begin with PAR1',
  parquetCutShort: (bytes: number) =>
    `the Parquet file is cut short: it begins with PAR1 and does not end with it (${bytes.toLocaleString('en')} bytes)`,
  parquetRowCounts: (rows: string, grouped: number) =>
    `the Parquet file's metadata is damaged: it counts ${rows} rows, and its row groups ${grouped}`,
  parquetDecompressed: (bytes: number, most: number) =>
    `the Parquet file declares ${formatBytes(bytes)} of data once decompressed, more than the render may hold (--max-memory ${formatBytes(most)}); raise it if you trust this file`,
  parquetNested: () => 'nested Parquet columns (structs, lists, maps) are not supported',
  columnBinary: (column: string) =>
    `column ${quote(column)} holds binary data, which is not supported`,
  rowsOverMemory: (rows: number) =>
    `the file holds ${rows.toLocaleString('en')} rows: more than there is memory for`,
  declaredTooLarge: (rows: number, columns: number, bytes: number, most: number) =>
    `the file declares ${rows.toLocaleString('en')} rows × ${columns} columns, up to ${formatBytes(bytes)} once read, more than the render may hold (--max-memory ${formatBytes(most)}); raise it if you trust this file`,

  topoNotJson: (reason: string) => `not valid JSON: ${reason}`,
  notTopology: () =>
    'not a TopoJSON topology (an object with "type": "Topology" and its "objects"); GeoJSON is read with format type json',
  topoNeedsFeature: (objects: readonly string[]) =>
    `TopoJSON needs format.feature (a row per shape of an object) or format.mesh (the object's borders as one row); ${objectsOf(objects)}`,
  topoNoObject: (name: string, objects: readonly string[]) =>
    `the topology has no object ${quote(name)}; ${objectsOf(objects)}`,
  topoArcs: () => 'its "arcs" must be a list of arcs, each a list of positions',
  topoTooManyPositions: (
    name: string,
    positions: number,
    arcPositions: number,
    drawsEach: number,
  ) =>
    `the shapes of object ${quote(name)} would hold ${positions.toLocaleString('en')} positions, drawn from arcs of ${arcPositions.toLocaleString('en')}: more than ${drawsEach} times each, which no map needs; refused`,
  topoUnreadable: (reason: string) => `not readable as TopoJSON: ${reason}`,
  notGeometry: (at: string) => `${at} is not a geometry object`,
  collectionGeometries: (at: string) => `${at}: a GeometryCollection needs its "geometries"`,
  unknownArc: (at: string, ref: unknown, arcs: number) =>
    `${at} names arc ${JSON.stringify(ref)}, but the topology has ${arcs} arcs`,

  // The spec's fonts (fonts.ts).
  notFontFile: (file: string) =>
    `${quote(file)} is not a font file vega-frames reads: give a TrueType or OpenType file (.ttf, .otf)`,
  fontNotFound: (file: string, dir: string) =>
    `font file ${quote(file)} not found (looked in ${dir})`,
  cannotReadFont: (file: string, reason: string) =>
    `cannot read font file ${quote(file)}: ${reason}`,
  unreadableFont: (file: string) =>
    `${quote(file)} is not a TrueType or OpenType font (no family name could be read from it)`,
  fontDirUnreadable: (dir: string, reason: string) => `--font-dir ${quote(dir)}: ${reason}`,
  noFontsInDir: (dir: string) => `the font folder ${quote(dir)} holds no .ttf or .otf file`,
};
