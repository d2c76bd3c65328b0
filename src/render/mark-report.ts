/**
 * How each mark of a spec is drawn, for `info` and for the render's warning: directly (the
 * raster fast path) or by Vega's canvas renderer, and why not directly. Vega draws a large
 * mark 10–50× slower a frame: a spec that loses the fast path should say so.
 */
import { type FramePlan } from '../data/plan.js';
import { type MarkVerdict, planMarks } from './mark-plan.js';
import { unitOfMark } from '../compile/index.js';

export interface MarkInfo {
  /** Where the mark is written in the spec, as a JSON path (`$`, `$.layer[1]`, …). */
  path: string;
  /**
   * Its Vega-Lite mark type; for a part of a mark Vega-Lite draws with other Vega marks (a
   * boxplot, a line's points, a selection's brush), that part's Vega mark type in brackets.
   */
  mark: string;
  /** The Vega mark's name. */
  name: string;
  /** Items in a frame (the largest), from the data; absent when a transform decides. */
  items?: number;
  drawn: 'direct' | 'vega';
  /** Why Vega draws it. */
  reason?: string;
  /** The spec's `smooth` for its cells, when set (rect marks only). */
  smooth?: boolean;
}

/** The Vega mark type a Vega-Lite mark type draws with (the others draw with their own). */
const VEGA_TYPE: Record<string, string> = {
  point: 'symbol',
  circle: 'symbol',
  square: 'symbol',
  bar: 'rect',
  tick: 'rect',
  geoshape: 'shape',
};

/** Items a frame from which a mark Vega draws is worth a warning. */
export const SLOW_MARK_ITEMS = 10_000;

/** Every mark (groups aside) of the plan's spec, as a GIF render draws it. */
export function describeMarks(plan: FramePlan): MarkInfo[] {
  const verdicts: MarkVerdict[] = planMarks(plan.vega, plan.planned, {
    units: plan.units,
    animation: plan.animation,
  });
  return verdicts.map((v) => {
    const unit = unitOfMark(plan.units, v.markName);
    const path = unit?.path ?? '$';
    const vlMark = unit?.mark ?? v.type;
    const own = (VEGA_TYPE[vlMark] ?? vlMark) === v.type;
    const info: MarkInfo = {
      path,
      mark: own ? vlMark : `${vlMark} (${v.type})`,
      name: v.markName,
      ...(v.items !== undefined ? { items: v.items } : {}),
      drawn: v.fast ? 'direct' : 'vega',
    };
    if (!v.fast) info.reason = v.reason;
    if (unit?.smooth !== undefined && v.type === 'rect') info.smooth = unit.smooth;
    return info;
  });
}

/** `layer[1]` for `$.layer[1]`; the root is the spec itself. */
const where = (path: string) => (path === '$' ? 'the spec' : path.replace(/^\$\./, ''));

/** One line on how a mark is drawn: "point marks of hconcat[0] (30,000 a frame): drawn directly". */
export function markLine(m: MarkInfo): string {
  const count = m.items !== undefined ? ` (${m.items.toLocaleString('en')} a frame)` : '';
  const how = m.drawn === 'direct' ? 'drawn directly' : `drawn by Vega: ${m.reason ?? ''}`;
  return `${m.mark} marks of ${where(m.path)}${count}: ${how}`;
}

/** Warnings for the marks of more than SLOW_MARK_ITEMS items a frame that Vega draws. */
export function markWarnings(marks: MarkInfo[]): string[] {
  return marks
    .filter((m) => m.drawn === 'vega' && (m.items ?? 0) > SLOW_MARK_ITEMS)
    .map((m) => `${markLine(m)} (drawn directly, a mark this large renders many times faster)`);
}

/**
 * The rect marks whose `smooth` does nothing, with why: Vega draws them (the mark's
 * reason), or the output draws every mark as Vega does (`outputReason`).
 */
export function ignoredSmooth(
  marks: MarkInfo[],
  outputReason?: string,
): { path: string; why: string }[] {
  return marks
    .filter((m) => m.smooth !== undefined && (m.drawn === 'vega' || outputReason))
    .map((m) => ({
      path: `${m.path}.mark.smooth`,
      why: m.drawn === 'vega' ? markLine(m) : String(outputReason),
    }));
}
