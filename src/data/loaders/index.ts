/**
 * The data formats, each read by its Loader (loader.ts): a new format is one module here
 * and one line in LOADERS. A source's format is its `format.type`, else the loader whose
 * extensions hold its file's, else JSON.
 */
import path from 'node:path';
import type { DataSourceDef } from '../../compile/extract.js';
import type { Loader } from './loader.js';
import { csvLoader, dsvLoader, tsvLoader } from './csv.js';
import { jsonLoader } from './json.js';
import { topojsonLoader } from './topojson.js';
import { npyLoader } from './npy.js';
import { arrowLoader, parquetLoader } from './columnar.js';

export {
  type BytesLoader,
  DataLoadError,
  type HandleLoader,
  type LoadRequest,
  type Loader,
  type OpenDataFile,
} from './loader.js';

export const LOADERS = {
  csv: csvLoader,
  tsv: tsvLoader,
  dsv: dsvLoader,
  json: jsonLoader,
  topojson: topojsonLoader,
  npy: npyLoader,
  arrow: arrowLoader,
  parquet: parquetLoader,
} satisfies Record<string, Loader>;

/** The formats a loader reads. */
export type FormatType = keyof typeof LOADERS;

/** A source's format: `format.type`, else its file's extension, else JSON. */
export function formatType(def: DataSourceDef): string {
  if (def.format?.type) return def.format.type;
  if (def.url) {
    const ext = path.extname(def.url.split('?')[0]).slice(1).toLowerCase();
    for (const [type, loader] of Object.entries(LOADERS) as [FormatType, Loader][])
      if (loader.extensions.includes(ext)) return type;
  }
  return 'json';
}

/**
 * The loader of format `type`, or undefined for one no loader reads: any name a spec gives,
 * "constructor" and "__proto__" included.
 */
export function loaderFor(type: string): Loader | undefined {
  return Object.hasOwn(LOADERS, type) ? LOADERS[type as FormatType] : undefined;
}
