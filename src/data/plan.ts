/**
 * The frame plan: the compiled spec with its data read and partitioned by frame, and the
 * output frames in play order. What every renderer (this thread, a render worker, the HTML
 * player) draws from.
 */
import type { DataAccess } from './access.js';
import type { FontFile } from './fonts.js';
import type { ColumnTable } from './table.js';
import { type FrameClock, type PlannedSource, planFrames } from './partition.js';
import { type CompiledSpec, buildTimeline } from '../compile/index.js';
import { type Messages, createMessages } from '../compile/messages.js';
import type { OutputFrame } from '../compile/timeline.js';

export interface FramePlan extends CompiledSpec {
  clock: FrameClock;
  /** The output frames in play order: data frames, tweens, holds, rewind. */
  timeline: OutputFrame[];
  planned: PlannedSource[];
  /** Where local files (image marks) may be read from: the data access policy. */
  access?: DataAccess;
  /** The spec's own font files (`fonts:`, `--font-dir`), registered in every render thread. */
  fonts?: FontFile[];
}

/** Partitions the loaded tables by frame. `tables[i]` holds `compiled.sources[i]`. */
export function planFromTables(
  compiled: CompiledSpec,
  tables: ColumnTable[],
  log: Messages = createMessages(),
  maxFrames?: number,
): FramePlan {
  const { clock, planned } = planFrames(compiled.sources, tables, log);
  // Quantitative and temporal frames are spaced by the gaps between their values.
  const positions = clock.continuous ? (clock.values as number[]) : undefined;
  const timeline = buildTimeline(clock.values.length, compiled.animation, maxFrames, positions);
  // The same log may have compiled the spec: each warning once.
  const warnings = [...new Set([...compiled.warnings, ...log.warnings])];
  return { ...compiled, clock, planned, timeline, warnings };
}

/**
 * The plan without each framed source's frame column where the rendered spec cannot read
 * it, so an animation's render does not hold it: the frame channel is gone from the Vega
 * spec, so a field it does not name (and no motion key or series) is read by nothing but
 * planFrames, which has partitioned the rows by it already (a 30,000-point scatter over
 * 200 epochs: 23 MB of its 144). Kept whenever a Vega expression may compute a field name
 * (datum[...] with anything but a literal, or all of datum).
 */
export function withoutUnreadFrameColumns(plan: FramePlan): FramePlan {
  const vegaText = JSON.stringify(plan.vega);
  // Every datum access must name its field: datum.f, datum['f'] or datum["f"] (escaped in
  // JSON text); anything else (all of datum, a computed key) may read any field.
  const literalAccess = /^\s*(?:\.|\[\s*(?:'[^']*'|\\"(?:[^"\\]|\\.)*?\\")\s*\])/;
  for (const m of vegaText.matchAll(/\bdatum\b/g))
    if (!literalAccess.test(vegaText.slice(m.index! + 5, m.index! + 205))) return plan;
  const planned = plan.planned.map((s) => {
    const field = s.frame?.field;
    const { stream } = s.table;
    if (!field || !s.partition || !s.table.names.includes(field)) return s;
    const motion = s.motion;
    const readByMotion =
      motion &&
      (motion.key === field ||
        motion.series.includes(field) ||
        Object.values(motion.channels).includes(field));
    if (readByMotion || namesField(vegaText, field)) return s;
    const columns = { ...s.table.columns };
    delete columns[field];
    const names = s.table.names.filter((n) => n !== field);
    // A streamed source's frames are read without it too: less to parse per frame.
    const unread = stream && {
      ...stream,
      layout: { ...stream.layout, kept: stream.layout.kept.filter((n) => n !== field) },
    };
    return { ...s, table: { ...s.table, columns, names, ...(unread ? { stream: unread } : {}) } };
  });
  return { ...plan, planned };
}

/**
 * Whether the JSON text of a Vega spec may read `field`: a string of its own ("field": "t",
 * "fields": ["t"]), a property access in an expression (datum.t, datum . t, data('d')[0].t),
 * or a quoted name in one (datum['t'], datum["t"], pluck(data('d'), 't'), indata('d', 't', v)).
 */
function namesField(vegaText: string, field: string): boolean {
  const raw = JSON.stringify(field)
    .slice(1, -1)
    .replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`"${raw}"|\\.\\s*${raw}(?![\\w$])|'${raw}'|\\\\"${raw}\\\\"`).test(vegaText);
}
