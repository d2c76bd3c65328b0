/**
 * The files a render reads, so that its output is never written over one of them: the spec
 * file, the data files of its sources, and the local images of its image marks.
 */
import path from 'node:path';
import type { FramePlan } from '../data/plan.js';
import { resolveLocalUrl } from '../data/access.js';
import { type InputFile, assertNotAnInput } from '../encode/atomic.js';
import type { SpecInput } from './options.js';
import { quote } from '../spec/errors.js';

/** Image URLs looked at, at most: a column of distinct URLs beyond this is not all checked. */
const MAX_IMAGE_URLS = 10_000;

export function inputFiles(plan: FramePlan, specPath?: string): InputFile[] {
  const inputs: InputFile[] = [];
  if (specPath !== undefined) inputs.push({ path: path.resolve(specPath), what: 'the spec file' });
  const local = (url: string, what: string) => {
    if (!plan.access) return;
    try {
      inputs.push({ path: resolveLocalUrl(url, plan.access), what });
    } catch {
      // A URL the access rule refuses is never read (and its refusal is reported).
    }
  };
  for (const source of plan.planned) {
    const url = source.data.url;
    if (typeof url === 'string') local(url, `the data file ${quote(url)}`);
  }
  let images = 0;
  for (const url of imageUrls(plan)) {
    if (images++ >= MAX_IMAGE_URLS) break;
    if (!/^data:/i.test(url)) local(url, `the image ${quote(url)}`);
  }
  return inputs;
}

/**
 * The URLs image marks show: constant ones (`url: {value}`), and the values of the columns
 * a `url` field or signal reads (in any source). URLs an expression builds from parts are
 * not known before the render.
 */
function* imageUrls(plan: FramePlan): Generator<string> {
  const fields = new Set<string>();
  const seen = new Set<string>();
  // Marks and group marks' marks only: the rest of the spec may be large (inline data).
  const visit = function* (node: unknown): Generator<string> {
    if (typeof node !== 'object' || node === null) return;
    const mark = node as { type?: unknown; encode?: Record<string, unknown>; marks?: unknown };
    if (mark.type === 'image' && mark.encode) {
      for (const set of Object.values(mark.encode)) {
        const url = (set as { url?: unknown } | null)?.url;
        for (const rule of Array.isArray(url) ? url : [url]) {
          const { value, field, signal } = (rule ?? {}) as Record<string, unknown>;
          if (typeof value === 'string' && !seen.has(value)) {
            seen.add(value);
            yield value;
          }
          if (typeof field === 'string') fields.add(field);
          // Vega-Lite writes `url: {field}` as a signal on `datum["field"]`.
          if (typeof signal === 'string') for (const f of datumFields(signal)) fields.add(f);
        }
      }
    }
    if (Array.isArray(mark.marks)) for (const child of mark.marks) yield* visit(child);
  };
  yield* visit(plan.vega);
  for (const field of fields) {
    for (const source of plan.planned) {
      const column = source.table.columns[field];
      const values =
        column?.kind === 'string' ? column.dict : column?.kind === 'value' ? column.values : [];
      for (const value of values) {
        if (typeof value === 'string' && !seen.has(value)) {
          seen.add(value);
          yield value;
        }
      }
    }
  }
}

/** The fields an expression reads: `datum.f`, `datum["f"]`, `datum['f']`. */
function datumFields(expression: string): string[] {
  return [
    ...expression.matchAll(
      /datum\s*(?:\.\s*([A-Za-z_$][\w$]*)|\[\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)')\s*\])/g,
    ),
  ].map((m) => m[1] ?? m[2] ?? m[3]);
}

/** Refuses an output path that would replace the spec file, its data or its images. */
export async function assertNotInputOf(
  outPath: string,
  input: SpecInput,
  plan: FramePlan,
): Promise<void> {
  await assertNotAnInput(outPath, inputFiles(plan, typeof input === 'string' ? input : undefined));
}
