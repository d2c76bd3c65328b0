/**
 * Vega's loader for untrusted specs. vega-frames supplies all data rows itself, so Vega's
 * loader fetches no data. Image marks may show local images inside the spec's folder (the
 * same rule as data files); anything else is refused, and the refusal is reported after
 * the frame renders rather than leaving a silent gap.
 */
import * as vega from 'vega';
import { type DataAccess, DataAccessError, resolveLocalUrl } from '../data/access.js';

export interface CheckedLoader {
  loader: unknown;
  /** Throws the first refusal since the last check. */
  check(): void;
}

export function refusingLoader(access?: DataAccess): CheckedLoader {
  const loader = vega.loader() as unknown as Record<string, unknown>;
  const refusals: string[] = [];
  const refuse = async (uri: string) => {
    const message = `"${uri}": Vega may not load files or URLs here; data is supplied by vega-frames`;
    refusals.push(message);
    throw new Error(message);
  };
  loader.load = refuse;
  loader.file = refuse;
  loader.http = refuse;
  // Images: data: URLs, and local files by the data access rule.
  loader.sanitize = async (uri: string) => {
    if (/^data:image\//i.test(uri)) return { href: uri };
    try {
      if (!access) throw new DataAccessError(`"${uri}": images are not loaded here`);
      return { href: resolveLocalUrl(uri, access) };
    } catch (e) {
      refusals.push(`image ${(e as Error).message}`);
      throw e;
    }
  };
  return {
    loader,
    check() {
      if (refusals.length === 0) return;
      const first = refusals[0];
      refusals.length = 0;
      throw new DataAccessError(first);
    },
  };
}
