/**
 * Small multiples: the selected frames as one still figure for a paper. Without motion, the
 * spec with its frame channel as a facet (stages 3 and 5 again, on the tables already
 * read), drawn by Vega on shared scales, vector if asked; with tweens, trails or reveal, the
 * rendered frames tiled.
 */
import type { VegaFramesSpec } from '../spec/types.js';
import { OptionError } from '../spec/errors.js';
import { checkLimit, resolveLimits } from '../spec/limits.js';
import { PANEL_FIELD, compileSpec, defaultColumns, smallMultiplesSpec } from '../compile/index.js';
import { createMessages } from '../compile/messages.js';
import { type ColumnTable, selectRows } from '../data/table.js';
import { frameLabels, frameRows, outputFrameLabels } from '../data/partition.js';
import { type FramePlan, planFromTables } from '../data/plan.js';
import { planDrawing } from '../render/drawing.js';
import { FrameRenderer } from '../render/frame-renderer.js';
import { STRIP_GAP, renderFrameStrip } from '../render/strip.js';
import { writeFileAtomically } from '../encode/atomic.js';
import { encodePngWith } from '../encode/png.js';
import { canvasPng } from '../render/png.js';
import { SOFTWARE } from '../support/version.js';
import { STILL_WRITERS, type StillFormat } from './formats.js';
import { selectFrames } from './frame-selection.js';
import type { RenderOptions, RenderResult } from './options.js';
import { pipelineMessage } from './messages.js';
import { styleOf } from './style.js';

/** Most panels a small-multiples figure may have. */
const MAX_PANELS = 400;

/**
 * The selected frames as one static figure: the spec with its frame channel as a facet,
 * fed the selected frames' rows (taken from the frame partitions, not filtered by Vega).
 */
export async function writeSmallMultiples(
  spec: VegaFramesSpec,
  plan: FramePlan,
  outPath: string,
  format: StillFormat,
  options: RenderOptions,
): Promise<RenderResult> {
  // Tweens, trails and reveal exist only as rendered frames: tile those. Otherwise (rescale
  // alone included) a faceted Vega-Lite figure, vector if asked, on shared scales.
  const a = plan.animation;
  if (plan.timeline.some((f) => f.t > 0) || a.trail || a.reveal)
    return writeMotionStrip(plan, outPath, format, options);
  const indices = selectFrames(options.frames, plan.clock.values.length);
  if (indices.length > MAX_PANELS) {
    throw new OptionError(pipelineMessage.tooManyPanels(indices.length, MAX_PANELS));
  }
  const allLabels = frameLabels(plan.clock);
  const labels = indices.map((k) => allLabels[k]);
  // 3 again: the spec with its frame channel as a facet.
  const log = createMessages();
  const faceted = smallMultiplesSpec(structuredClone(spec), {
    columns: options.columns ?? plan.animation.columns ?? defaultColumns(indices.length),
    labels,
  });
  const compiled = compileSpec(faceted, log, styleOf(options));
  // 5 again, from the tables already read.
  const tables = compiled.sources.map((source) => {
    const original = plan.planned.find(
      (p) => JSON.stringify(p.data) === JSON.stringify(source.data),
    );
    if (!original) throw new Error(`no loaded data for ${JSON.stringify(source.data)}`);
    // Each selected frame's rows (for a cumulative frame, every row up to it), tagged with
    // the panel they belong to; a source without frames appears in every panel.
    const rows: number[] = [];
    const panel: number[] = [];
    indices.forEach((k, p) => {
      const frameRowList = original.partition
        ? (frameRows(original, k) ?? [])
        : Array.from({ length: original.table.length }, (_, r) => r);
      for (const r of frameRowList) {
        rows.push(r);
        panel.push(p);
      }
    });
    return withPanelColumn(selectRows(original.table, rows), panel, labels);
  });
  const background = plan.animation.background;
  const facetPlan = planFromTables(
    {
      ...compiled,
      animation: { ...compiled.animation, background },
      vega: background ? { ...compiled.vega, background } : compiled.vega,
    },
    tables,
    log,
  );
  // 6. scales, 7. render, 8. encode.
  const drawing = await planDrawing(
    { ...facetPlan, access: plan.access, fonts: plan.fonts },
    { noFastPath: options.noFastPath || format !== 'png' },
  );
  const renderer = await FrameRenderer.create(drawing, {
    scale: options.scale,
    maxPixels: resolveLimits(options.limits).maxPixels,
  });
  try {
    if (options.fitWidth !== undefined) await renderer.fitWidth(0, options.fitWidth);
    const bytes = await STILL_WRITERS[format](renderer, 0, {
      title: plan.title,
      ppi: options.ppi,
    });
    await writeFileAtomically(outPath, bytes);
    return { frames: indices.length, width: 0, height: 0, warnings: facetPlan.warnings };
  } finally {
    renderer.finalize();
  }
}

/** Small multiples of an animation with motion: its output frames, tiled (PNG). */
async function writeMotionStrip(
  plan: FramePlan,
  outPath: string,
  format: StillFormat,
  options: RenderOptions,
): Promise<RenderResult> {
  if (format !== 'png') throw new OptionError(pipelineMessage.tweenedPanelsPng(format));
  const indices = selectFrames(options.frames, plan.timeline.length);
  if (indices.length > MAX_PANELS) {
    throw new OptionError(pipelineMessage.tooManyPanels(indices.length, MAX_PANELS));
  }
  const drawing = await planDrawing(plan, { noFastPath: options.noFastPath });
  const renderer = await FrameRenderer.create(drawing, {
    scale: options.scale,
    maxPixels: resolveLimits(options.limits).maxPixels,
  });
  try {
    const columns = options.columns ?? plan.animation.columns ?? defaultColumns(indices.length);
    if (options.fitWidth !== undefined) {
      // Each panel scaled so that the panels and the gaps between them fill the width.
      const scale = options.scale ?? 1;
      const cols = Math.min(columns, indices.length);
      const panel = (options.fitWidth * scale - (cols + 1) * STRIP_GAP) / cols / scale;
      if (!(panel > 0))
        throw new OptionError(pipelineMessage.figureSize('fit width', options.fitWidth));
      await renderer.fitWidth(indices[0], panel);
    }
    const labels = outputFrameLabels(plan.clock, plan.timeline);
    const strip = await renderFrameStrip(renderer, indices, labels, columns, (w, h) =>
      checkLimit(
        resolveLimits(options.limits),
        'maxPixels',
        w * h,
        `the small multiples' ${w}×${h} pixels`,
      ),
    );
    const text = { ...(plan.title ? { Title: plan.title } : {}), Software: SOFTWARE };
    await writeFileAtomically(
      outPath,
      await encodePngWith(strip, { text, ppi: options.ppi }, canvasPng),
    );
    return {
      frames: indices.length,
      width: strip.width,
      height: strip.height,
      warnings: plan.warnings,
    };
  } finally {
    renderer.finalize();
  }
}

function withPanelColumn(table: ColumnTable, panel: number[], labels: string[]): ColumnTable {
  const codes = Int32Array.from(panel);
  return {
    ...table,
    names: [...table.names.filter((n) => n !== PANEL_FIELD), PANEL_FIELD],
    columns: { ...table.columns, [PANEL_FIELD]: { kind: 'string', codes, dict: labels } },
  };
}
