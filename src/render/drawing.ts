/**
 * Stage 6 of the pipeline: what every frame of one render is drawn from, made once before
 * any renderer exists and never changed after. The Vega spec with its scale domains fixed
 * over all frames (each data frame's own for rescaled scales), its marks rewritten for
 * motion, and the marks drawn straight into pixels instead of by Vega. Render workers
 * receive it ready-made, so every thread draws from the same one.
 */
import type { ColorMix } from '../compile/index.js';
import type { FramePlan } from '../data/plan.js';
import { type DirectMark, findDirectMarks, findSnappedGrids } from './mark-plan.js';
import { type UnionRange, fixScaleDomains } from './scales.js';
import type { Json } from '../support/json.js';

export interface DrawingPlan {
  readonly plan: FramePlan;
  /** The Vega spec every frame's View runs. */
  readonly vega: Json;
  /** Marks drawn straight into pixels (none when Vega draws everything). */
  readonly fast: readonly DirectMark[];
  /** Grids of rect cells Vega lays out, drawn with their edges on whole pixels. */
  readonly snapped: readonly string[];
  /** Each rescaled scale's domain in each data frame (animation.rescale). */
  readonly frameDomains: Readonly<Record<string, unknown[][]>>;
  /** Rescaled category scales that keep each category's colour: its union over all frames. */
  readonly unionRanges: Readonly<Record<string, UnionRange>>;
  /** How motion mixes the colours of categories. */
  readonly colorMixes: readonly ColorMix[];
}

export interface DrawingOptions {
  /** Vega draws every mark (vector output, fidelity checks). */
  noFastPath?: boolean;
  /**
   * For the HTML player, whose Vega draws every mark as the spec writes it: the direct marks
   * only speed up finding the domains, and the spec's marks are left as they are.
   */
  forPlayer?: boolean;
}

export async function planDrawing(
  plan: FramePlan,
  options: DrawingOptions = {},
): Promise<DrawingPlan> {
  const found = options.noFastPath
    ? []
    : findDirectMarks(plan.vega, plan.planned, { units: plan.units, animation: plan.animation });
  const scaled = await fixScaleDomains(plan, found, { rewriteFastMarks: options.forPlayer });
  const snapped = options.noFastPath || options.forPlayer ? [] : findSnappedGrids(plan.vega, found);
  return Object.freeze({ plan, fast: options.forPlayer ? [] : found, snapped, ...scaled });
}
