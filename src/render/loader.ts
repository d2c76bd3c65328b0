/**
 * Vega's loader for untrusted specs: vega-frames supplies all data rows itself, so Vega's
 * own loader may fetch nothing (no files, no network). Image marks go through `sanitize`,
 * which refuses too.
 */
import * as vega from 'vega';

export function refusingLoader(): unknown {
  const loader = vega.loader() as unknown as Record<string, unknown>;
  const refuse = async (uri: string) => {
    throw new Error(
      `"${uri}": Vega may not load files or URLs here; data is supplied by vega-frames`,
    );
  };
  loader.sanitize = refuse;
  loader.load = refuse;
  loader.file = refuse;
  loader.http = refuse;
  return loader;
}
